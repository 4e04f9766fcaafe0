// What every benchmark case shares: the case shape, progress on stderr, percentiles and medians,
// and load generators (closed loop at a fixed concurrency, open loop at a fixed rate).
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { HttpClient } from '../support/http';

export interface BenchCase {
  name: string;
  description: string;
  /** Returns the case's figures: plain JSON, printed on stdout by run.ts. */
  run(): Promise<Record<string, unknown>>;
}

/** Progress for people: stderr only, so stdout stays one JSON document. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile of `sorted` (ascending). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    meanMs: round(sorted.length ? sum / sorted.length : Number.NaN),
  };
}

/** For each numeric field of the runs, the median across runs. */
export function medians<T extends object>(runs: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  const first = runs[0];
  if (!first) return out;
  for (const [key, value] of Object.entries(first)) {
    if (typeof value !== 'number') continue;
    out[key] = round(median(runs.map((r) => Number((r as Record<string, unknown>)[key]))));
  }
  return out;
}

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  sent: number;
  elapsedMs: number;
  latencies: number[];
  /** Status code → count; transport errors as "error:<code>" ("error:timeout" after 30 s). */
  statuses: Record<string, number>;
  /** Open loop only: how late the generator sent its latest request (its own overload). */
  maxSendLagMs?: number;
}

function tally(statuses: Record<string, number>, key: string): void {
  statuses[key] = (statuses[key] ?? 0) + 1;
}

/** `error:ECONNRESET`, `error:timeout`, ...: a transport error, by kind. */
function errorKey(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `error:${code}`;
  const message = e instanceof Error ? e.message : String(e);
  return message.includes('no answer') ? 'error:timeout' : `error:${message.slice(0, 40)}`;
}

/** `count` requests, `concurrency` at a time, each sent as soon as the previous one came back. */
export async function closedLoop(
  http: HttpClient,
  count: number,
  concurrency: number,
  delivery: (i: number) => Delivery,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const d = delivery(next++);
      try {
        const res = await http.post(d.path, d.body, d.headers);
        latencies.push(res.ms);
        tally(statuses, String(res.status));
      } catch (e) {
        tally(statuses, errorKey(e));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent: count, elapsedMs: performance.now() - started, latencies, statuses };
}

/**
 * `count` requests at a fixed `ratePerSec`, each sent at its scheduled time whether or not the
 * earlier ones were answered. Latency runs from the scheduled time, so a generator or server
 * that falls behind shows in the figures (no coordinated omission).
 */
export async function openLoop(
  http: HttpClient,
  count: number,
  ratePerSec: number,
  delivery: (i: number) => Delivery,
): Promise<LoadResult> {
  const interval = 1000 / ratePerSec;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let maxSendLagMs = 0;
  const t0 = performance.now() + 10;
  const send = async (i: number, scheduledAt: number) => {
    const d = delivery(i);
    try {
      const res = await http.post(d.path, d.body, d.headers);
      latencies.push(performance.now() - scheduledAt);
      tally(statuses, String(res.status));
    } catch (e) {
      tally(statuses, errorKey(e));
    }
  };
  let i = 0;
  while (i < count) {
    const now = performance.now();
    while (i < count && t0 + i * interval <= now) {
      const scheduledAt = t0 + i * interval;
      maxSendLagMs = Math.max(maxSendLagMs, now - scheduledAt);
      pending.push(send(i, scheduledAt));
      i++;
    }
    if (i < count) await sleep(Math.max(0, t0 + i * interval - performance.now()));
  }
  await Promise.all(pending);
  return { sent: count, elapsedMs: performance.now() - t0, latencies, statuses, maxSendLagMs: round(maxSendLagMs) };
}

const CLOCK_TICKS_PER_SEC = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}

/** CPU seconds this process has used so far. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** How many file descriptors a process holds on `file` (one per SQLite connection to it). */
export function openHandles(pid: number | undefined, file: string): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/fd`)) return null;
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}
