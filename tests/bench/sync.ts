// The `sync` case: calls through the whole path (signed CallRail webhook → process and analyse →
// sync job → HubSpot) against the HubSpot sandbox served by the real Node server, with the
// sandbox's real limits (190 requests per rolling 10 s, 5 searches a second) and 50 ms added to
// every HubSpot answer. 60 % of the calls come from callers who called before; 15 % are missed.
//
//   (a) saturated: 1,000 calls posted at once. The rate limit is the bottleneck by design, so the
//       figures are throughput as a share of what the limit allows for the requests made, CRM
//       requests per call, and 429s received (aim: none);
//   (b) paced: 300 calls at 5 a second (under the limit): time from webhook to the call logged in
//       HubSpot, p50 and p95.
import { loadavg } from 'node:os';
import type { Client } from '@libsql/client';
import { callrailHeaders } from '../../edge/src/demo/sign';
import { callrailCall } from '../../edge/src/demo/samples';
import { DEFAULT_SANDBOX_TOKEN } from '../../edge/src/sandbox/hubspot';
import { openFileClient, scalar } from '../support/db';
import { HttpClient } from '../support/http';
import { ServerProcess } from '../support/server-process';
import { callrailPath } from '../support/webhooks';
import { percentile, progress, round, sleep, type BenchCase } from './harness';

const SATURATED_CALLS = 1_000;
const PACED_CALLS = 300;
const PACED_RATE = 5;
const REPEAT_SHARE = 0.6;
const MISSED_SHARE = 0.15;
const LATENCY_MS = 50;
/** What the sandbox enforces, as HubSpot does for a private app. */
const WINDOW_LIMIT = 190;
const WINDOW_MS = 10_000;
const SEARCH_PER_SECOND = 5;
const TARGET_REQUESTS_PER_CALL = 2;
const TARGET_SHARE = 0.9;
const GIVE_UP_MS = 15 * 60_000;
/**
 * Job workers in the server (CALLSIGHT_JOB_CONCURRENCY). A sync waiting for room under a rate
 * limit holds its worker, so with few workers the waits for search and for the 10-second window
 * block each other; waiting costs no CPU, so a sync-heavy server runs more of them (32 is the
 * most the config allows; more workers also make bigger batch creates). BENCH_SYNC_WORKERS
 * overrides it, BENCH_SYNC_CALLS the number of calls, BENCH_SYNC_PACED=0 or
 * BENCH_SYNC_SATURATED=0 skips a run.
 */
const WORKERS = Number(process.env.BENCH_SYNC_WORKERS ?? 32);

const TRANSCRIPTS = [
  "Hi, I'm interested in remodeling my kitchen. I'm looking to do this in the next 2-3 months. My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?",
  'Caller: Hi, our bathroom is leaking into the basement and we need someone this week. Agent: We can come Thursday. Caller: Great, what would a new shower cost? Probably around 8 thousand?',
  'Caller: Hello, just calling to ask about your opening hours on Saturday. Agent: We are open 9 to 1. Caller: Thanks, bye.',
  'Caller: We are thinking about a deck for next summer, nothing urgent, maybe 15k. Agent: I can send someone for a quote. Caller: Sure, next month is fine.',
];

/** A small seeded generator: the same mix on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface PlannedCall {
  id: number;
  caller: number;
  answered: boolean;
  transcript: string;
}

/** `count` calls, `REPEAT_SHARE` of them from a caller seen earlier in the list. */
export function callMix(count: number, firstId: number, seed: number): PlannedCall[] {
  const random = seeded(seed);
  const distinct = Math.round(count * (1 - REPEAT_SHARE));
  const callers = Array.from({ length: count }, (_, i) => (i < distinct ? i : Math.floor(random() * distinct)));
  for (let i = callers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [callers[i], callers[j]] = [callers[j] as number, callers[i] as number];
  }
  return callers.map((caller, i) => ({
    id: firstId + i,
    caller,
    answered: random() >= MISSED_SHARE,
    transcript: TRANSCRIPTS[Math.floor(random() * TRANSCRIPTS.length)] as string,
  }));
}

async function signed(token: string, c: PlannedCall, base: number) {
  const body = JSON.stringify(
    callrailCall({
      id: c.id,
      phone: `+1303555${String(c.caller).padStart(4, '0')}`,
      name: `Caller ${c.caller}`,
      answered: c.answered,
      duration: c.answered ? 120 + (c.id % 300) : 0,
      startTime: new Date(base + c.id * 1_000).toISOString(),
      ...(c.answered ? { transcription: c.transcript } : {}),
    }),
  );
  return { body, headers: await callrailHeaders(token, body) };
}

interface SandboxStats {
  /** Standard (non-search) requests that arrived in each second since the reset. */
  standardPerSecond: number[];
  searchPerSecond: number[];
  total: number;
  search: number;
  search429: number;
  byStatus: Record<string, number>;
}

/** A server with the sandboxes, the demo tenant connected to HubSpot only, and 50 ms on every HubSpot answer. */
async function startWorld(): Promise<{ server: ServerProcess; http: HttpClient; db: Client }> {
  const server = await ServerProcess.start({
    env: { CALLSIGHT_SANDBOXES: '1', CALLSIGHT_JOB_CONCURRENCY: String(WORKERS) },
    readyTimeoutMs: 60_000,
  });
  const demo = server.demo;
  if (!demo) throw new Error('the server started without its demo tenant');
  const http = new HttpClient(server.url, { maxSockets: 16 });
  const admin = { authorization: `Bearer ${demo.adminKey}` };
  // The demo tenant's CRMs are connected just after the server answers: wait for them.
  for (let i = 0; ; i++) {
    const list = await http.request('GET', '/v1/integrations', { headers: admin });
    const kinds = (JSON.parse(list.body) as { data?: { kind: string }[] }).data?.map((d) => d.kind) ?? [];
    if (['hubspot', 'salesforce', 'pipedrive'].every((k) => kinds.includes(k))) break;
    if (i > 100) throw new Error(`the demo tenant has no CRM connections: ${list.body}`);
    await sleep(100);
  }
  for (const crm of ['salesforce', 'pipedrive']) {
    const res = await http.request('DELETE', `/v1/integrations/${crm}`, { headers: admin });
    if (res.status !== 204) throw new Error(`could not disconnect ${crm}: ${res.status} ${res.body}`);
  }
  const fault = await http.request('POST', '/sandbox/hubspot/__faults', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: LATENCY_MS }),
  });
  if (fault.status !== 201) throw new Error(`could not add latency: ${fault.status} ${fault.body}`);
  // The demo's start-up (HubSpot property set-up, ~25 requests) is still in HubSpot's rolling
  // 10-second window, and it did not go through the sync's limiter: let that window pass, so the
  // run measures the sync alone.
  await sleep(WINDOW_MS + 500);
  await http.request('DELETE', '/sandbox/hubspot/__stats');
  return { server, http, db: await openFileClient(server.dbUrl) };
}

/** Posts each call at its time (`gapMs` apart; 0 = as fast as 8 senders go); returns Callsight id → send time. */
async function send(
  http: HttpClient,
  server: ServerProcess,
  calls: PlannedCall[],
  gapMs: number,
  /** Filled with each planned call's Callsight id. */
  callIds?: Map<number, string>,
): Promise<Map<string, number>> {
  const demo = server.demo!;
  const base = Date.UTC(2026, 10, 1);
  const deliveries = await Promise.all(calls.map((c) => signed(demo.secrets.callrail, c, base)));
  const sentAt = new Map<string, number>();
  const start = Date.now();
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < deliveries.length; i = next++) {
      const due = start + i * gapMs;
      if (gapMs > 0 && due > Date.now()) await sleep(due - Date.now());
      const d = deliveries[i]!;
      const at = Date.now();
      const res = await http.request('POST', callrailPath(demo.slug), { body: d.body, headers: d.headers });
      if (res.status !== 202) throw new Error(`webhook ${i} answered ${res.status}: ${res.body}`);
      const { callId } = JSON.parse(res.body) as { callId: string };
      sentAt.set(callId, at);
      callIds?.set(calls[i]!.id, callId);
    }
  };
  await Promise.all(Array.from({ length: 8 }, sender));
  return sentAt;
}

/** Waits until every call is synced into HubSpot (or failed for good), with progress. */
async function settled(db: Client, count: number): Promise<number> {
  const started = Date.now();
  let last = -1;
  for (;;) {
    const synced = await scalar(db, `SELECT count(*) AS n FROM crm_syncs WHERE crm = 'hubspot' AND status = 'synced'`);
    const stuck = await scalar(
      db,
      `SELECT count(*) AS n FROM crm_syncs WHERE crm = 'hubspot' AND status IN ('failed', 'dead')`,
    );
    if (synced !== last) {
      progress(
        `synced ${synced}/${count}${stuck ? `, ${stuck} failed` : ''} after ${Math.round((Date.now() - started) / 1000)} s`,
      );
      last = synced;
    }
    if (synced + stuck >= count) return synced;
    if (Date.now() - started > GIVE_UP_MS)
      throw new Error(`only ${synced}/${count} synced after ${GIVE_UP_MS / 60_000} min`);
    await sleep(1_000);
  }
}

/** When each Callsight call was logged in HubSpot: the call records' own creation times, read back. */
async function loggedAt(http: HttpClient): Promise<{ at: Map<string, number>; records: number }> {
  const out = new Map<string, number>();
  let records = 0;
  let after: string | undefined;
  do {
    const query = `limit=100&properties=callsight_call_id${after ? `&after=${after}` : ''}`;
    const res = await http.request('GET', `/sandbox/hubspot/crm/v3/objects/calls?${query}`, {
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_TOKEN}` },
    });
    if (res.status === 429) {
      await sleep(1_000);
      continue;
    }
    if (res.status !== 200) throw new Error(`listing calls answered ${res.status}: ${res.body}`);
    const page = JSON.parse(res.body) as {
      results: { createdAt: string; properties: Record<string, string | null> }[];
      paging?: { next?: { after: string } };
    };
    records += page.results.length;
    for (const r of page.results) {
      const id = r.properties.callsight_call_id;
      if (id) out.set(id, Date.parse(r.createdAt));
    }
    after = page.paging?.next?.after;
  } while (after);
  return { at: out, records };
}

/** Shortest time a rolling window of `limit` per `windowMs` lets `n` requests through. */
const boundMs = (n: number, limit: number, windowMs: number) => Math.max(0, Math.ceil(n / limit) - 1) * windowMs;

/** Sums of consecutive groups of `size` values. */
function sums(values: number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size).reduce((a, b) => a + b, 0));
  return out;
}

/** Counts of `times` in consecutive buckets of `size` ms from `start`. */
function perBucket(times: number[], start: number, size: number): number[] {
  const counts: number[] = [];
  for (const t of times) {
    const i = Math.max(0, Math.floor((t - start) / size));
    while (counts.length <= i) counts.push(0);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

async function sandboxStats(http: HttpClient): Promise<SandboxStats> {
  return JSON.parse((await http.request('GET', '/sandbox/hubspot/__stats')).body) as SandboxStats;
}

/** The server's warnings, counted by message and error: what slowed a run down, for people. */
function warnings(server: ServerProcess): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of server.problems()) {
    const key = `${String(p.msg ?? p.message ?? '')}: ${String(p.error ?? '').slice(0, 120)}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function saturated(): Promise<Record<string, unknown>> {
  const { server, http, db } = await startWorld();
  try {
    const calls = callMix(Number(process.env.BENCH_SYNC_CALLS ?? SATURATED_CALLS), 7_000_000, 1);
    progress(`saturated: posting ${calls.length} calls from ${new Set(calls.map((c) => c.caller)).size} callers`);
    const sentAt = await send(http, server, calls, 0);
    const synced = await settled(db, calls.length);
    const stats = await sandboxStats(http);
    const { at: logged, records } = await loggedAt(http);
    const first = Math.min(...sentAt.values());
    const last = Math.max(...logged.values());
    const elapsedMs = last - first;
    const standard = stats.total - stats.search;
    const bound = Math.max(boundMs(standard, WINDOW_LIMIT, WINDOW_MS), boundMs(stats.search, SEARCH_PER_SECOND, 1_000));
    const latencies = [...sentAt].flatMap(([id, at]) => (logged.has(id) ? [logged.get(id)! - at] : []));
    latencies.sort((a, b) => a - b);
    return {
      calls: calls.length,
      synced,
      hubspotCallRecords: records,
      duplicateCallRecords: records - logged.size,
      hubspotRequests: stats.total,
      searchRequests: stats.search,
      requestsPerCall: round(stats.total / calls.length),
      targetRequestsPerCall: TARGET_REQUESTS_PER_CALL,
      status429: stats.byStatus['429'] ?? 0,
      search429: stats.search429,
      statuses: stats.byStatus,
      elapsedSec: round(elapsedMs / 1000, 1),
      rateBoundSec: round(bound / 1000, 1),
      shareOfRateBound: round(bound / elapsedMs, 3),
      targetShare: TARGET_SHARE,
      callsPerSec: round(calls.length / (elapsedMs / 1000)),
      /** HubSpot requests other than search in each 10 s: how full the 190-per-10-s window was kept. */
      standardRequestsPer10s: sums(stats.standardPerSecond, 10),
      /** Searches in each 10 s (HubSpot allows 50). */
      searchRequestsPer10s: sums(stats.searchPerSecond, 10),
      /** The most in any 10 s in a row (HubSpot allows 190). */
      busiest10s: Math.max(0, ...stats.standardPerSecond.map((_, i, a) => sums(a.slice(i, i + 10), 10)[0] ?? 0)),
      /** Calls logged in each 10 s from the first webhook: how steady the pace was. */
      loggedPer10s: perBucket([...logged.values()], first, 10_000),
      /** How long posting every webhook took. */
      postedInSec: round((Math.max(...sentAt.values()) - first) / 1000, 1),
      /** From the first webhook to the first call logged: the analysis backlog ahead of the syncs. */
      firstLoggedAfterSec: round((Math.min(...logged.values()) - first) / 1000, 1),
      webhookToLoggedUnderSaturation: {
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        maxMs: latencies.at(-1) ?? null,
      },
      loadAverage1m: round(loadavg()[0] ?? 0),
      serverWarnings: warnings(server),
    };
  } finally {
    db.close();
    await server.cleanup();
  }
}

async function paced(): Promise<Record<string, unknown>> {
  const { server, http, db } = await startWorld();
  try {
    const calls = callMix(PACED_CALLS, 8_000_000, 2);
    progress(`paced: ${calls.length} calls at ${PACED_RATE}/s`);
    const callIds = new Map<number, string>();
    const sentAt = await send(http, server, calls, 1000 / PACED_RATE, callIds);
    await settled(db, calls.length);
    const stats = await sandboxStats(http);
    const { at: logged } = await loggedAt(http);
    const latencies = [...sentAt].flatMap(([id, at]) => (logged.has(id) ? [logged.get(id)! - at] : []));
    latencies.sort((a, b) => a - b);
    // A caller's first call costs a search and three creates in a row; a repeat call, one.
    const firstOfCaller = new Set<string>();
    const seen = new Set<number>();
    for (const c of calls) if (!seen.has(c.caller) && seen.add(c.caller)) firstOfCaller.add(callIds.get(c.id) ?? '');
    const split = (first: boolean) => {
      const ms = [...sentAt]
        .filter(([id]) => firstOfCaller.has(id) === first && logged.has(id))
        .map(([id, at]) => logged.get(id)! - at)
        .sort((a, b) => a - b);
      return { calls: ms.length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) };
    };
    return {
      calls: calls.length,
      ratePerSec: PACED_RATE,
      newCaller: split(true),
      repeatCaller: split(false),
      logged: latencies.length,
      webhookToLoggedP50Ms: percentile(latencies, 50),
      webhookToLoggedP95Ms: percentile(latencies, 95),
      webhookToLoggedMaxMs: latencies.at(-1) ?? null,
      requestsPerCall: round(stats.total / calls.length),
      status429: stats.byStatus['429'] ?? 0,
    };
  } finally {
    db.close();
    await server.cleanup();
  }
}

export const sync: BenchCase = {
  name: 'sync',
  description: '1,000 calls webhook → HubSpot sandbox (190/10 s, 5 searches/s, +50 ms); 300 paced calls for latency',
  async run() {
    const saturatedRun = process.env.BENCH_SYNC_SATURATED === '0' ? null : await saturated();
    const pacedRun = process.env.BENCH_SYNC_PACED === '0' ? null : await paced();
    return { saturated: saturatedRun, paced: pacedRun };
  },
};
