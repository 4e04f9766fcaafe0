// The `analyze` case: the rules extractor's speed on the evaluation set, the same code the
// analyze_call job and `callsight analyze` run (redact → extract → score), in this process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeTranscript } from '../../edge/src/analysis/index';
import { medians, progress, round, summarize, type BenchCase } from './harness';

interface EvalCall {
  transcript: string;
  direction: 'inbound' | 'outbound';
  answered: boolean;
  duration_s: number;
  call_date: string;
}

const sets = ['calls.jsonl', 'holdout.jsonl', 'blind.jsonl'];
const RUNS = 5;
const PASSES = 20;

function loadCalls(): EvalCall[] {
  return sets.flatMap((name) =>
    readFileSync(fileURLToPath(new URL(`../fixtures/eval/${name}`, import.meta.url)), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as EvalCall),
  );
}

async function onePass(calls: EvalCall[], latencies: number[]): Promise<void> {
  for (const c of calls) {
    const started = performance.now();
    await analyzeTranscript({
      transcript: c.transcript,
      direction: c.direction,
      answered: c.answered,
      durationSeconds: c.duration_s,
      callDate: c.call_date,
    });
    latencies.push(performance.now() - started);
  }
}

export const analyze: BenchCase = {
  name: 'analyze',
  description: 'rules analyzer (redact, extract, score): transcripts per second and latency on the eval set',
  async run() {
    const calls = loadCalls();
    const chars = calls.reduce((n, c) => n + c.transcript.length, 0);
    await onePass(calls, []); // warm-up: JIT and lazily built lexicons
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const latencies: number[] = [];
      const started = performance.now();
      for (let p = 0; p < PASSES; p++) await onePass(calls, latencies);
      const seconds = (performance.now() - started) / 1000;
      const s = summarize(latencies);
      runs.push({
        transcriptsPerSec: round(latencies.length / seconds, 1),
        p50Ms: s.p50Ms,
        p99Ms: s.p99Ms,
        maxMs: s.maxMs,
      });
      progress(`analyze run ${r + 1}/${RUNS}: ${runs.at(-1)?.transcriptsPerSec} transcripts/s`);
    }
    return {
      transcripts: calls.length,
      meanTranscriptChars: Math.round(chars / calls.length),
      passesPerRun: PASSES,
      median: medians(runs),
      runs,
    };
  },
};
