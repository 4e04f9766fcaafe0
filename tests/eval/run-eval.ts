/**
 * Evaluation of the analyzer on hand-labelled calls (tests/fixtures/eval/calls.jsonl).
 *
 *   npx tsx tests/eval/run-eval.ts [--misses] [FILE]
 *
 * Prints per-field accuracy, per-class precision/recall/F1 for intent and disposition, the share
 * of stated budgets found within 10%, and one JSON summary line last. Always exits 0: it
 * measures, it does not gate.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type Analysis } from '@callsight/shared';
import { analyzeTranscript } from '../../edge/src/analysis/index';

const LabelledCallSchema = z.object({
  id: z.string(),
  transcript: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  answered: z.boolean(),
  duration_s: z.number().int().nonnegative(),
  call_date: z.string(),
  labels: z.object({
    intent: z.string(),
    band: z.enum(['high', 'medium', 'low']),
    disposition: z.string(),
    timeline: z.string(),
    budget_min: z.number().nullable(),
    budget_max: z.number().nullable(),
  }),
});
type LabelledCall = z.infer<typeof LabelledCallSchema>;

const defaultFile = fileURLToPath(new URL('../fixtures/eval/calls.jsonl', import.meta.url));

export function loadCalls(file: string): LabelledCall[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = LabelledCallSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Both ends null, or both within 10% of the label. */
function endMatches(predicted: number | null, label: number | null): boolean {
  if (label === null || predicted === null) return label === predicted;
  return Math.abs(predicted - label) <= 0.1 * label;
}

interface ClassStats {
  tp: number;
  fp: number;
  fn: number;
}

function perClass(pairs: Array<[string, string]>): Map<string, ClassStats> {
  const stats = new Map<string, ClassStats>();
  const get = (c: string): ClassStats => {
    if (!stats.has(c)) stats.set(c, { tp: 0, fp: 0, fn: 0 });
    return stats.get(c)!;
  };
  for (const [predicted, label] of pairs) {
    if (predicted === label) get(label).tp++;
    else {
      get(predicted).fp++;
      get(label).fn++;
    }
  }
  return stats;
}

const pct = (x: number) => (Number.isNaN(x) ? '   -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

function classTable(title: string, pairs: Array<[string, string]>): string[] {
  const rows = [...perClass(pairs)].sort(([a], [b]) => a.localeCompare(b));
  const out = [`${title.padEnd(22)} support  precision  recall     F1`];
  for (const [name, s] of rows) {
    const p = s.tp / (s.tp + s.fp);
    const r = s.tp / (s.tp + s.fn);
    const f1 = (2 * p * r) / (p + r);
    out.push(`  ${name.padEnd(20)} ${String(s.tp + s.fn).padStart(7)}  ${pct(p)}     ${pct(r)}  ${pct(f1 || 0)}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showMisses = args.includes('--misses');
  const file = args.find((a) => !a.startsWith('--')) ?? defaultFile;
  const calls = loadCalls(file);
  const results: Array<{ call: LabelledCall; analysis: Analysis }> = [];
  const started = performance.now();
  for (const call of calls) {
    const analysis = await analyzeTranscript({
      transcript: call.transcript,
      direction: call.direction,
      answered: call.answered,
      durationSeconds: call.duration_s,
      callDate: call.call_date,
    });
    results.push({ call, analysis });
  }
  const ms = performance.now() - started;

  const fields = {
    intent: (r: (typeof results)[number]) => r.analysis.intent === r.call.labels.intent,
    band: (r: (typeof results)[number]) => r.analysis.band === r.call.labels.band,
    disposition: (r: (typeof results)[number]) => r.analysis.disposition === r.call.labels.disposition,
    timeline: (r: (typeof results)[number]) => r.analysis.timeline === r.call.labels.timeline,
    budget: (r: (typeof results)[number]) =>
      endMatches(r.analysis.budget.min, r.call.labels.budget_min) &&
      endMatches(r.analysis.budget.max, r.call.labels.budget_max),
  };
  const accuracy: Record<string, number> = {};
  for (const [name, ok] of Object.entries(fields)) accuracy[name] = results.filter(ok).length / results.length;
  const stated = results.filter((r) => r.call.labels.budget_min !== null || r.call.labels.budget_max !== null);
  const budgetWithin10 = stated.filter(fields.budget).length / stated.length;
  const unstated = results.filter((r) => r.call.labels.budget_min === null && r.call.labels.budget_max === null);
  const inventedBudgets = unstated.filter(
    (r) => r.analysis.budget.min !== null || r.analysis.budget.max !== null,
  ).length;

  const lines: string[] = [];
  lines.push(`Callsight analysis eval: ${results.length} calls from ${file}`);
  lines.push(
    `extractor ${results[0]?.analysis.extractor.name} ${results[0]?.analysis.extractor.version}, ${ms.toFixed(0)} ms total`,
  );
  lines.push('');
  lines.push('field          accuracy');
  for (const [name, value] of Object.entries(accuracy)) lines.push(`  ${name.padEnd(12)} ${pct(value)}`);
  lines.push(`  budget within 10% on the ${stated.length} calls that state one: ${pct(budgetWithin10)}`);
  lines.push(`  budgets invented on the ${unstated.length} calls that state none: ${inventedBudgets}`);
  lines.push('');
  lines.push(
    ...classTable(
      'intent',
      results.map((r) => [r.analysis.intent, r.call.labels.intent]),
    ),
  );
  lines.push('');
  lines.push(
    ...classTable(
      'disposition',
      results.map((r) => [r.analysis.disposition, r.call.labels.disposition]),
    ),
  );
  if (showMisses) {
    lines.push('', 'misses (field: predicted ≠ label)');
    for (const r of results) {
      const wrong = Object.entries(fields)
        .filter(([, ok]) => !ok(r))
        .map(([name]) => {
          const a = r.analysis;
          const l = r.call.labels;
          if (name === 'budget') return `budget: ${a.budget.min}-${a.budget.max} ≠ ${l.budget_min}-${l.budget_max}`;
          if (name === 'band') return `band: ${a.band} (${a.leadScore}) ≠ ${l.band}`;
          const key = name as 'intent' | 'disposition' | 'timeline';
          return `${name}: ${a[key]} ≠ ${l[key]}`;
        });
      if (wrong.length) lines.push(`  ${r.call.id}: ${wrong.join('; ')}`);
    }
  }
  lines.push('');
  console.log(lines.join('\n'));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      eval: 'analysis',
      calls: results.length,
      extractor: results[0]?.analysis.extractor,
      accuracy: Object.fromEntries(Object.entries(accuracy).map(([k, v]) => [k, round(v)])),
      budgetWithin10: round(budgetWithin10),
      budgetCalls: stated.length,
      inventedBudgets,
    }),
  );
}

await main();
