// The `ingest` case: signed CallRail webhooks against the real Node server process on a temp
// libSQL file, compared with libSQL committing the same rows on its own.
//
//   (a) closed loop: 32 senders, a fixed count of distinct calls after a warm-up; throughput and
//       acknowledgement latency;
//   (b) open loop: a fixed 200 webhooks/s for 10 s; latency from each request's scheduled time;
//   (c) raw libSQL: the delivery, call and job rows of each webhook as one write batch, in a
//       fresh file database, one after the other; ratio = (a) throughput / (c) rate.
//
// Each is measured REPEATS times, each time on a fresh server and a fresh database; medians and
// every run are reported.
import { cpus, loadavg, totalmem } from 'node:os';
import type { Client } from '@libsql/client';
import { jobCounts, openFileClient } from '../support/db';
import { HttpClient } from '../support/http';
import { ServerProcess } from '../support/server-process';
import { callrailPath, signedCallrailWebhooks, type SignedWebhook } from '../support/webhooks';
import {
  closedLoop,
  medians,
  openHandles,
  openLoop,
  ownCpuSeconds,
  processCpuSeconds,
  progress,
  round,
  sleep,
  summarize,
  type BenchCase,
  type Delivery,
  type LoadResult,
} from './harness';
import { ingestStatements, openRawDb, rawInsertRun } from './raw-insert';

const REPEATS = 3;
const WARMUP = 500;
const CLOSED_COUNT = 3_000;
const CLOSED_CONCURRENCY = 32;
const OPEN_RATE = 200;
const OPEN_SECONDS = 10;
const OPEN_COUNT = OPEN_RATE * OPEN_SECONDS;
/** A second open loop at half the closed-loop throughput just measured: latency below saturation. */
const HALF_SECONDS = 5;
const MAX_HALF_COUNT = 5_000;
const TARGET_OPEN_P99_MS = 25;
const TARGET_RATIO = 0.5;

interface ClosedRun {
  throughputPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non202: number;
  statuses: Record<string, number>;
  /** After the last 202, until the job runner had processed every call. */
  jobsDrainMs: number;
  serverCpuSec: number;
  /** Server CPU per webhook, its job included. */
  serverCpuMsPerWebhook: number;
  loadGeneratorCpuSec: number;
  wallSec: number;
  /** 1-minute load average when the run ended: other work on the machine shows here. */
  loadAverage1m: number;
  /** SQLite connections the server holds on its database file (fds on callsight.db). */
  serverDbConnections: number;
}

interface OpenRun {
  targetRatePerSec: number;
  achievedRatePerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non202: number;
  /** Status code → count; "error:<code>" for a transport error, "error:timeout" after 30 s. */
  statuses: Record<string, number>;
  maxSendLagMs: number;
  jobsDrainMs: number;
  serverCpuSec: number;
  serverCpuMsPerWebhook: number;
  loadGeneratorCpuSec: number;
  loadAverage1m: number;
}

interface RawRun {
  ratePerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The same rows with synchronous = FULL: what a connection without the PRAGMA does. */
  ratePerSecSynchronousFull: number;
}

const non202 = (r: LoadResult) =>
  Object.entries(r.statuses)
    .filter(([status]) => status !== '202')
    .reduce((n, [, count]) => n + count, 0);

const toDelivery = (path: string, hooks: readonly SignedWebhook[], offset: number) => (i: number) => {
  const hook = hooks[offset + i];
  if (!hook) throw new Error(`no webhook ${offset + i}`);
  return { path, body: hook.body, headers: hook.headers } satisfies Delivery;
};

/** The job queue 5 s after a load ended, when jobs were still unfinished: backlog, or stuck. */
const backlogs: Record<string, unknown>[] = [];

async function waitForJobs(db: Client, label: string, timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  let reported = false;
  for (;;) {
    const c = await jobCounts(db);
    if (c.queued === 0 && c.running === 0) return Math.round(performance.now() - started);
    const waited = performance.now() - started;
    if (waited > timeoutMs) throw new Error(`jobs not drained: ${JSON.stringify(c)}`);
    if (waited > 5_000 && !reported) {
      reported = true;
      const now = Date.now();
      const oldest = await db.execute(`SELECT min(run_at) FROM jobs WHERE status = 'queued'`);
      // A running job whose row has not moved for 5 s is stuck, not merely behind.
      const stuck = await db.execute({
        sql: `SELECT count(*) FROM jobs WHERE status = 'running' AND updated_at < ?`,
        args: [now - 5_000],
      });
      const oldestRunAt = oldest.rows[0]?.[0];
      backlogs.push({
        after: label,
        counts: c,
        oldestQueuedWaitingMs: oldestRunAt === null || oldestRunAt === undefined ? null : now - Number(oldestRunAt),
        stuckRunning: Number(stuck.rows[0]?.[0] ?? 0),
      });
      progress(`${label}: jobs unfinished 5 s after the load: ${JSON.stringify(backlogs.at(-1))}`);
    }
    await sleep(20);
  }
}

async function openRunOf(
  server: ServerProcess,
  db: Client,
  rate: number,
  count: number,
  delivery: (i: number) => Delivery,
): Promise<OpenRun> {
  const http = new HttpClient(server.url, { maxSockets: 256 });
  const cpu0 = { server: processCpuSeconds(server.pid), own: ownCpuSeconds() };
  const open = await openLoop(http, count, rate, delivery);
  const cpu1 = { server: processCpuSeconds(server.pid), own: ownCpuSeconds() };
  const drain = await waitForJobs(db, `open loop at ${rate}/s`);
  http.close();
  const latency = summarize(open.latencies);
  const cpu = (cpu1.server ?? Number.NaN) - (cpu0.server ?? Number.NaN);
  return {
    targetRatePerSec: rate,
    achievedRatePerSec: round((open.sent / open.elapsedMs) * 1000, 1),
    p50Ms: latency.p50Ms,
    p90Ms: latency.p90Ms,
    p99Ms: latency.p99Ms,
    maxMs: latency.maxMs,
    non202: non202(open),
    statuses: open.statuses,
    maxSendLagMs: open.maxSendLagMs ?? 0,
    jobsDrainMs: drain,
    serverCpuSec: round(cpu),
    serverCpuMsPerWebhook: round((cpu * 1000) / open.sent),
    loadGeneratorCpuSec: round(cpu1.own - cpu0.own),
    loadAverage1m: round(loadavg()[0] ?? Number.NaN),
  };
}

async function serverRun(rep: number): Promise<{
  closed: ClosedRun;
  open: OpenRun;
  half: OpenRun;
  integrity: { acknowledged: number; stored: number; lost: number };
  problems: unknown[];
}> {
  const server = await ServerProcess.start({ env: { CALLSIGHT_LOG_LEVEL: 'warn', CALLSIGHT_SANDBOXES: '0' } });
  const db = await openFileClient(server.dbPath);
  try {
    const demo = server.requireDemo();
    const path = callrailPath(demo.slug);
    const hooks = await signedCallrailWebhooks(demo.secrets.callrail, WARMUP + CLOSED_COUNT + OPEN_COUNT, {
      firstId: 800_000_000 + rep * 1_000_000,
      transcriptEvery: 3,
    });

    // (a) closed loop, after a warm-up (JIT, connections, the database's first pages).
    const closedHttp = new HttpClient(server.url, { maxSockets: CLOSED_CONCURRENCY });
    progress(`run ${rep}: warm-up ${WARMUP}`);
    const warm = await closedLoop(closedHttp, WARMUP, CLOSED_CONCURRENCY, toDelivery(path, hooks, 0));
    await waitForJobs(db, `run ${rep} warm-up`);
    progress(`run ${rep}: closed loop ${CLOSED_COUNT} at concurrency ${CLOSED_CONCURRENCY}`);
    const cpu0 = { server: processCpuSeconds(server.pid), own: ownCpuSeconds() };
    const closed = await closedLoop(closedHttp, CLOSED_COUNT, CLOSED_CONCURRENCY, toDelivery(path, hooks, WARMUP));
    const cpu1 = { server: processCpuSeconds(server.pid), own: ownCpuSeconds() };
    const connections = openHandles(server.pid, server.dbPath) ?? -1;
    const closedDrain = await waitForJobs(db, `run ${rep} closed loop`);
    closedHttp.close();
    const closedLatency = summarize(closed.latencies);
    const closedCpu = (cpu1.server ?? Number.NaN) - (cpu0.server ?? Number.NaN);
    const closedRun: ClosedRun = {
      throughputPerSec: Math.round((closed.sent / closed.elapsedMs) * 1000),
      p50Ms: closedLatency.p50Ms,
      p90Ms: closedLatency.p90Ms,
      p99Ms: closedLatency.p99Ms,
      maxMs: closedLatency.maxMs,
      non202: non202(closed),
      statuses: closed.statuses,
      jobsDrainMs: closedDrain,
      serverCpuSec: round(closedCpu),
      serverCpuMsPerWebhook: round((closedCpu * 1000) / closed.sent),
      loadGeneratorCpuSec: round(cpu1.own - cpu0.own),
      wallSec: round(closed.elapsedMs / 1000),
      loadAverage1m: round(loadavg()[0] ?? Number.NaN),
      serverDbConnections: connections,
    };
    progress(`run ${rep}: closed ${JSON.stringify(closedRun)}`);

    // (b) open loop at a fixed rate.
    progress(`run ${rep}: open loop ${OPEN_RATE}/s for ${OPEN_SECONDS} s`);
    const openRun = await openRunOf(server, db, OPEN_RATE, OPEN_COUNT, toDelivery(path, hooks, WARMUP + CLOSED_COUNT));
    progress(`run ${rep}: open ${JSON.stringify(openRun)}`);

    // (b2) open loop at half the closed-loop throughput: the latency of a server that keeps up.
    const halfRate = Math.max(1, Math.round(closedRun.throughputPerSec / 2));
    const halfCount = Math.min(MAX_HALF_COUNT, halfRate * HALF_SECONDS);
    const halfHooks = await signedCallrailWebhooks(demo.secrets.callrail, halfCount, {
      firstId: 800_500_000 + rep * 1_000_000,
      transcriptEvery: 3,
    });
    progress(`run ${rep}: open loop ${halfRate}/s for ${HALF_SECONDS} s (half the closed-loop throughput)`);
    const halfRun = await openRunOf(server, db, halfRate, halfCount, toDelivery(path, halfHooks, 0));
    progress(`run ${rep}: half ${JSON.stringify(halfRun)}`);

    // Every acknowledged webhook must be stored (a request that timed out may be stored too).
    const calls = Number((await db.execute('SELECT count(*) FROM calls')).rows[0]?.[0] ?? 0);
    const acknowledged = [warm.statuses, closed.statuses, openRun.statuses, halfRun.statuses].reduce(
      (n, st) => n + (st['202'] ?? 0),
      0,
    );
    if (calls < acknowledged)
      progress(`run ${rep}: LOST WEBHOOKS: ${calls} calls stored, ${acknowledged} acknowledged`);
    return {
      closed: closedRun,
      open: openRun,
      half: halfRun,
      integrity: { acknowledged, stored: calls, lost: Math.max(0, acknowledged - calls) },
      problems: server.problems().slice(0, 20),
    };
  } finally {
    db.close();
    await server.cleanup();
  }
}

async function rawRun(rep: number): Promise<RawRun> {
  progress(`run ${rep}: raw libSQL inserts, ${WARMUP} + ${CLOSED_COUNT}`);
  const measure = async (synchronous: 'NORMAL' | 'FULL') => {
    const raw = await openRawDb({ synchronous });
    try {
      // Same bodies and signatures as the server run (the token only changes the signature).
      const hooks = await signedCallrailWebhooks('raw-bench-token', WARMUP + CLOSED_COUNT, {
        firstId: 800_000_000 + rep * 1_000_000,
        transcriptEvery: 3,
      });
      const now = Date.now();
      const groups = [];
      for (const hook of hooks) groups.push(await ingestStatements(raw, hook.body, hook.headers, now));
      await rawInsertRun(raw, groups.slice(0, WARMUP));
      return await rawInsertRun(raw, groups.slice(WARMUP));
    } finally {
      raw.close();
    }
  };
  const normal = await measure('NORMAL');
  const full = await measure('FULL');
  const run: RawRun = {
    ratePerSec: normal.ratePerSec,
    p50Ms: normal.p50Ms,
    p99Ms: normal.p99Ms,
    maxMs: normal.maxMs,
    ratePerSecSynchronousFull: full.ratePerSec,
  };
  progress(`run ${rep}: raw ${JSON.stringify(run)}`);
  return run;
}

export const ingest: BenchCase = {
  name: 'ingest',
  description:
    'Signed CallRail webhooks into the real Node server process (npm start) on a temp libSQL file: ' +
    'closed-loop throughput, open-loop latency at a fixed rate, and the raw libSQL rate of the same writes.',
  async run() {
    const closedRuns: ClosedRun[] = [];
    const openRuns: OpenRun[] = [];
    const halfRuns: OpenRun[] = [];
    const integrity: { acknowledged: number; stored: number; lost: number }[] = [];
    const rawRuns: RawRun[] = [];
    const problems: unknown[] = [];
    const loadAtStart = round(loadavg()[0] ?? Number.NaN);
    for (let rep = 1; rep <= REPEATS; rep++) {
      const s = await serverRun(rep);
      closedRuns.push(s.closed);
      openRuns.push(s.open);
      halfRuns.push(s.half);
      integrity.push(s.integrity);
      problems.push(...s.problems);
      rawRuns.push(await rawRun(rep));
    }
    const closed = medians(closedRuns);
    const open = medians(openRuns);
    const raw = medians(rawRuns);
    const ratio = round((closed.throughputPerSec ?? 0) / (raw.ratePerSec ?? 1), 3);
    const openP99 = open.p99Ms ?? Number.NaN;
    return {
      description: this.description,
      environment: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: round(totalmem() / 2 ** 30, 1),
        loadAverage1m: { atStart: loadAtStart, atEnd: round(loadavg()[0] ?? Number.NaN) },
        note:
          `The load generator, the server process and (c) share these ${cpus().length} cores: ` +
          'the generator takes CPU from the server, so (a) and (b) understate what a server alone ' +
          'would do. Latency is measured by the generator (HTTP on loopback, node:http keep-alive). ' +
          'A 1-minute load average above ~2 before a run means other work shared the machine too. ' +
          'Medians are per field, across runs.',
      },
      settings: {
        repeats: REPEATS,
        warmup: WARMUP,
        closedLoop: { count: CLOSED_COUNT, concurrency: CLOSED_CONCURRENCY },
        openLoop: { ratePerSec: OPEN_RATE, seconds: OPEN_SECONDS, count: OPEN_COUNT },
        openLoopHalfCapacity: { ratePerSec: 'half the closed-loop throughput of the same run', seconds: HALF_SECONDS },
        rawInsert: { count: CLOSED_COUNT, statementsPerBatch: 3, mode: 'write', pragmas: 'as edge/src/db/libsql.ts' },
        server: 'node --import tsx edge/src/node.ts, CALLSIGHT_LOG_LEVEL=warn, job runner on (concurrency 2)',
        webhooks: 'distinct CallRail call ids, 500 different callers, every 3rd with a transcript',
      },
      closedLoop: { median: closed, runs: closedRuns },
      openLoop: { median: open, runs: openRuns },
      openLoopHalfCapacity: { median: medians(halfRuns), runs: halfRuns },
      rawInsert: { median: raw, runs: rawRuns },
      ratio: {
        value: ratio,
        definition: 'median closed-loop throughput / median raw libSQL insert rate',
        perRun: closedRuns.map((c, i) => round(c.throughputPerSec / (rawRuns[i]?.ratePerSec ?? Number.NaN), 3)),
      },
      targets: {
        openLoopP99: {
          valueMs: openP99,
          target: `< ${TARGET_OPEN_P99_MS} ms at ${OPEN_RATE}/s`,
          met: openP99 < TARGET_OPEN_P99_MS,
        },
        openLoopNon202: {
          valueAllRuns: openRuns.reduce((n, r) => n + r.non202, 0),
          target: '0 in every run',
          met: openRuns.every((r) => r.non202 === 0),
        },
        ratio: { value: ratio, target: `>= ${TARGET_RATIO}`, met: ratio >= TARGET_RATIO },
      },
      integrity: { note: 'calls in the database vs webhooks answered 202, per run', runs: integrity },
      jobBacklogs: {
        note: 'jobs still queued or running 5 s after a load ended (the runner falls behind ingest)',
        runs: backlogs,
      },
      serverWarnings: problems,
    };
  },
};
