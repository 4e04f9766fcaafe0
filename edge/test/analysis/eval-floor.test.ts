import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeTranscript } from '../../src/analysis/analyze';

/**
 * The labelled evaluation set (tests/fixtures/eval) as a regression floor: a rule change that
 * drops accuracy below the brief's targets fails here. tests/eval/run-eval.ts prints the detail.
 */
interface LabelledCall {
  transcript: string;
  direction: 'inbound' | 'outbound';
  answered: boolean;
  duration_s: number;
  call_date: string;
  labels: { intent: string; band: string; disposition: string; budget_min: number | null; budget_max: number | null };
}

const load = (name: string): LabelledCall[] =>
  readFileSync(new URL(`../../../tests/fixtures/eval/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledCall);

const near = (p: number | null, l: number | null) => (p === null || l === null ? p === l : Math.abs(p - l) <= 0.1 * l);

describe.each(['calls.jsonl', 'holdout.jsonl', 'blind.jsonl'])('eval set %s', (file) => {
  it('meets the accuracy targets', async () => {
    const calls = load(file);
    let intent = 0;
    let band = 0;
    let disposition = 0;
    let budgetHits = 0;
    let budgetCalls = 0;
    for (const c of calls) {
      const a = await analyzeTranscript({
        transcript: c.transcript,
        direction: c.direction,
        answered: c.answered,
        durationSeconds: c.duration_s,
        callDate: c.call_date,
      });
      intent += a.intent === c.labels.intent ? 1 : 0;
      band += a.band === c.labels.band ? 1 : 0;
      disposition += a.disposition === c.labels.disposition ? 1 : 0;
      if (c.labels.budget_min !== null || c.labels.budget_max !== null) {
        budgetCalls++;
        budgetHits += near(a.budget.min, c.labels.budget_min) && near(a.budget.max, c.labels.budget_max) ? 1 : 0;
      }
    }
    expect(intent / calls.length).toBeGreaterThanOrEqual(0.9);
    expect(band / calls.length).toBeGreaterThanOrEqual(0.85);
    expect(disposition / calls.length).toBeGreaterThanOrEqual(0.8);
    expect(budgetHits / budgetCalls).toBeGreaterThanOrEqual(0.9);
  });
});
