// Crash test: the real server process is SIGKILLed under a stream of signed CallRail webhooks and
// restarted on the same database. Nothing acknowledged may be lost, nothing may be stored twice,
// and jobs the dead process had claimed must run again once their lease expires (DESIGN.md §3:
// "a process killed mid-job leaves a lease that expires and the job runs again").
//
// The test only ever reads the database while a server runs (WAL readers take no write lock), so
// it cannot make the server's writes fail: see shared-writer.test.ts for what happens when it does.
import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobCounts, openFileClient, scalar, type JobCounts } from '../support/db';
import { HttpClient } from '../support/http';
import { killAllServers, ServerProcess } from '../support/server-process';
import { callrailPath, signedCallrailWebhooks, type SignedWebhook } from '../support/webhooks';
import { sleep, until } from '../support/wait';

const LEASE_MS = 1_500;
const TOTAL = 4_000;
const SENDERS = 16;
/** Each round kills the server once this many more deliveries have been acknowledged. */
const ACKS_PER_ROUND = 300;
/** Rounds stop once a kill has left a claimed job behind (or after this many). */
const MAX_ROUNDS = 6;
const PROCESS_CALL = 'process_call';
/** Jobs of any kind (process_call, and what it enqueues after it) claimed and unfinished. */
const RUNNING = `SELECT count(*) FROM jobs WHERE status = 'running'`;
/** Where a call stands once process_call has run: `received`, or further down the pipeline. */
const PROCESSED = `status NOT IN ('pending', 'failed') AND prior_calls IS NOT NULL`;

interface Ack {
  index: number;
  callId: string;
  duplicate: boolean;
}

interface Round {
  ackedBeforeKill: number;
  inFlightAtKill: number;
  unackedAtKill: number;
  committedButNotAcked: number;
  /** process_call jobs by status, read from the file just after the kill. */
  processCallJobsAtKill: JobCounts;
  /** Jobs of every kind by status. */
  allJobsAtKill: JobCounts;
  /** Jobs of every kind left `running` by the kill. */
  runningAtKill: number;
  looksBeforeKill: number;
  restartMs: number;
}

let server: ServerProcess | undefined;
let db: Client | undefined;

beforeAll(async () => {
  // The lease is written by the process that claims a job, so every process gets the short lease:
  // a restarted one only honours what is in the jobs table.
  server = await ServerProcess.start({ env: { CALLSIGHT_JOB_LEASE_MS: String(LEASE_MS) } });
  db = await openFileClient(server.dbPath);
});

afterAll(async () => {
  db?.close();
  await server?.cleanup();
  await killAllServers();
});

describe('crash: SIGKILL under a webhook stream, restart on the same database', () => {
  it('keeps every acknowledged webhook, stores no call twice, and reruns the jobs the dead process held', async () => {
    if (!server || !db) throw new Error('server did not start');
    const s = server;
    const client = db;
    const t0 = performance.now();
    const demo = s.requireDemo();
    const path = callrailPath(demo.slug);
    const hooks: SignedWebhook[] = await signedCallrailWebhooks(demo.secrets.callrail, TOTAL, {
      firstId: 710_000_000,
      transcriptEvery: 3,
    });
    const sentIds = new Set(hooks.map((h) => h.sourceCallId));

    const acked = new Map<string, Ack>();
    /** Deliveries sent that got no 202 (in flight at a kill): a source delivers them again. */
    let unacked: number[] = [];
    const rejectedWhileUp: { index: number; status: number; body: string }[] = [];
    const errorsWhileUp: string[] = [];
    const rounds: Round[] = [];
    const heldJobIds = new Set<string>();
    const serverErrors: Record<string, unknown>[] = [];
    let next = 0;

    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const http = new HttpClient(s.url, { maxSockets: SENDERS });
      let killed = false;
      let inFlight = 0;
      const target = acked.size + ACKS_PER_ROUND;
      let reachedTarget: () => void = () => undefined;
      const targetReached = new Promise<void>((resolve) => (reachedTarget = resolve));

      // This round's stream: first what the last kill left unacknowledged, then new calls.
      const queue = [...unacked, ...Array.from({ length: TOTAL - next }, (_, i) => next + i)];
      unacked = [];
      let cursor = 0;
      const sender = async () => {
        while (!killed && cursor < queue.length) {
          const index = queue[cursor++];
          const hook = index === undefined ? undefined : hooks[index];
          if (index === undefined || !hook) break;
          next = Math.max(next, index + 1);
          inFlight++;
          try {
            const res = await http.post(path, hook.body, hook.headers);
            if (res.status === 202) {
              const body = JSON.parse(res.body) as { callId: string; duplicate: boolean };
              acked.set(hook.sourceCallId, { index, callId: body.callId, duplicate: body.duplicate });
              if (acked.size >= target) reachedTarget();
            } else {
              unacked.push(index);
              if (!killed) rejectedWhileUp.push({ index, status: res.status, body: res.body.slice(0, 300) });
            }
          } catch (e) {
            unacked.push(index);
            if (!killed) errorsWhileUp.push(e instanceof Error ? e.message : String(e));
          } finally {
            inFlight--;
          }
        }
      };
      const senders = Promise.all(Array.from({ length: SENDERS }, () => sender())).then(() => reachedTarget());
      await targetReached;
      expect(acked.size, 'the stream ended before the kill point').toBeGreaterThanOrEqual(target);

      // Kill while the runner holds a claimed job. A process_call job lasts a few milliseconds,
      // so: look (a plain read) until one is `running`, then SIGKILL in the same tick.
      let looks = 0;
      for (;;) {
        looks++;
        if ((await scalar(client, RUNNING)) > 0 || looks >= 2_000) break;
        await sleep(1);
      }
      const ackedBeforeKill = acked.size;
      const inFlightAtKill = inFlight;
      killed = true;
      const exit = await s.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      const killedAt = performance.now();
      await senders;
      http.close();

      // What the dead process left, read with nothing else writing.
      const processCallJobsAtKill = await jobCounts(client, PROCESS_CALL);
      const allJobsAtKill = await jobCounts(client);
      const running = await client.execute(`SELECT id FROM jobs WHERE status = 'running'`);
      for (const row of running.rows) heldJobIds.add(String(row.id));
      const stored = new Map(
        (await client.execute('SELECT id, source_call_id FROM calls')).rows.map((r) => [
          String(r.source_call_id),
          String(r.id),
        ]),
      );
      // Every acknowledged webhook is committed, under the id its 202 named; nothing else is.
      for (const [sourceCallId, ack] of acked) expect(stored.get(sourceCallId)).toBe(ack.callId);
      for (const sourceCallId of stored.keys()) expect(sentIds.has(sourceCallId)).toBe(true);

      serverErrors.push(...s.problems().filter((p) => p.level === 'error'));

      // Restart on the same data dir and database with the same short lease.
      await s.restart();
      rounds.push({
        ackedBeforeKill,
        inFlightAtKill,
        unackedAtKill: unacked.length,
        // Committed, but the 202 never arrived: the kill came between the commit and the reply.
        committedButNotAcked: [...stored.keys()].filter((id) => !acked.has(id)).length,
        processCallJobsAtKill,
        allJobsAtKill,
        runningAtKill: running.rows.length,
        looksBeforeKill: looks,
        restartMs: Math.round(performance.now() - killedAt),
      });
      if (running.rows.length > 0) break;
    }
    expect(rejectedWhileUp, 'non-202 answers while the server was up').toEqual([]);
    expect(errorsWhileUp, 'transport errors while the server was up').toEqual([]);
    expect(heldJobIds.size, `no kill left a claimed job behind: ${JSON.stringify(rounds)}`).toBeGreaterThan(0);

    // A source delivers again, byte for byte, what it never saw acknowledged. Those committed
    // before the kill come back as duplicates and add nothing.
    const http = new HttpClient(s.url, { maxSockets: SENDERS });
    const storedBefore = new Set(
      (await client.execute('SELECT source_call_id FROM calls')).rows.map((r) => String(r.source_call_id)),
    );
    const redelivered = await Promise.all(
      unacked.map(async (index) => {
        const hook = hooks[index];
        if (!hook) throw new Error(`no delivery ${index}`);
        const res = await http.post(path, hook.body, hook.headers);
        expect(res.status).toBe(202);
        const body = JSON.parse(res.body) as { callId: string; duplicate: boolean };
        acked.set(hook.sourceCallId, { index, callId: body.callId, duplicate: body.duplicate });
        expect(body.duplicate).toBe(storedBefore.has(hook.sourceCallId));
        return body.duplicate;
      }),
    );

    // Every job reaches `done`: the queued ones, and the ones a dead process had claimed, once
    // their lease has expired.
    const readyAt = performance.now();
    const all = await until('every job done', 20_000, async () => {
      const c = await jobCounts(client);
      return c.queued === 0 && c.running === 0 ? c : null;
    });
    const drainMs = Math.round(performance.now() - readyAt);
    expect(all.dead).toBe(0);
    const finished = await jobCounts(client, PROCESS_CALL);

    // One call per distinct acknowledged call id, one delivery and one job each, all processed.
    const calls = await scalar(client, 'SELECT count(*) FROM calls');
    expect(calls).toBe(acked.size);
    expect(await scalar(client, 'SELECT count(DISTINCT source_call_id) FROM calls')).toBe(calls);
    expect(await scalar(client, `SELECT count(*) FROM calls WHERE NOT (${PROCESSED})`)).toBe(0);
    expect(await scalar(client, 'SELECT count(*) FROM webhook_deliveries')).toBe(calls);
    expect(finished.done).toBe(calls);

    // The jobs a dead process held ran again under a later process.
    const held = [...heldJobIds];
    const rerun = await client.execute({
      sql: `SELECT attempts, status FROM jobs WHERE id IN (${held.map(() => '?').join(',')})`,
      args: held,
    });
    expect(rerun.rows.length).toBe(held.length);
    for (const row of rerun.rows) {
      expect(row.status).toBe('done');
      expect(Number(row.attempts)).toBeGreaterThanOrEqual(2);
    }

    // And the API of the restarted server tells the same story.
    const admin = { authorization: `Bearer ${demo.adminKey}` };
    const sample = [...acked.values()].filter((_, i) => i % 53 === 0);
    for (const ack of sample) {
      const res = await http.get(`/v1/calls/${ack.callId}`, admin);
      expect(res.status).toBe(200);
      const call = JSON.parse(res.body) as { status: string; transcript: string | null };
      expect(['received', 'analyzed']).toContain(call.status);
      expect(Boolean(call.transcript)).toBe(hooks[ack.index]?.hasTranscript);
    }
    http.close();
    serverErrors.push(...s.problems().filter((p) => p.level === 'error'));
    expect(serverErrors).toEqual([]);

    const summary = {
      rounds,
      sent: next,
      redelivered: redelivered.length,
      redeliveredDuplicates: redelivered.filter(Boolean).length,
      callsStored: calls,
      jobsHeldAtKillAndRerun: held.length,
      jobsAtEnd: all,
      drainAfterLastRestartMs: drainMs,
      totalMs: Math.round(performance.now() - t0),
    };
    console.log(`crash summary ${JSON.stringify(summary)}`);
  }, 60_000);
});
