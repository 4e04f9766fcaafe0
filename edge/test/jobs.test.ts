import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobs } from '../src/db/schema';
import { backoffDelay, BACKOFF_BASE_MS, BACKOFF_CAP_MS, GIVE_UP_AFTER_MS, parseRetryAfter } from '../src/jobs/backoff';
import { FINISHED_JOB_RETENTION_MS, JobQueue, PermanentJobError, RetryLaterError } from '../src/jobs/queue';
import { JobRunner } from '../src/jobs/runner';
import { silentLogger } from '../src/log';
import { callrailHeaders } from '../src/demo/sign';
import { callrailCall } from '../src/demo/samples';
import { callrailFixture, json, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const job = (key: string) => ({ tenantId: t.a.tenant.id, kind: 'test', payload: { key }, dedupeKey: key });

describe('backoff', () => {
  it('grows exponentially with full jitter up to the cap', () => {
    expect(backoffDelay(1, null, () => 0.999)).toBeLessThan(BACKOFF_BASE_MS);
    expect(backoffDelay(3, null, () => 0.999)).toBeLessThan(4 * BACKOFF_BASE_MS);
    expect(backoffDelay(3, null, () => 0.999)).toBeGreaterThan(3.9 * BACKOFF_BASE_MS);
    expect(backoffDelay(30, null, () => 0.999)).toBeLessThanOrEqual(BACKOFF_CAP_MS);
    expect(backoffDelay(5, null, () => 0)).toBe(0);
  });

  it('never comes back sooner than Retry-After', () => {
    expect(backoffDelay(1, 120_000, () => 0.5)).toBe(120_000);
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:10 GMT', Date.UTC(2026, 10, 22, 12))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});

describe('JobQueue', () => {
  it('enqueues a dedupe key once', async () => {
    await t.queue.enqueue(job('k1'), t.clock.now());
    await t.queue.enqueue(job('k1'), t.clock.now());
    expect((await t.queue.counts()).queued).toBe(1);
  });

  it('gives each job to one claimant, and back to the queue when its lease expires', async () => {
    await t.queue.enqueue(job('k1'), t.clock.now());
    const first = await t.queue.claim('w1', t.clock.now(), 10_000);
    expect(first?.attempts).toBe(1);
    expect(await t.queue.claim('w2', t.clock.now(), 10_000)).toBeNull();
    t.clock.advance(10_001);
    const second = await t.queue.claim('w2', t.clock.now(), 10_000);
    expect(second?.id).toBe(first?.id);
    expect(second?.attempts).toBe(2);
    // The first worker's late completion does not count: the job is the second worker's now.
    await t.queue.complete(first!, 'w1', t.clock.now());
    expect((await t.db.select().from(jobs).where(eq(jobs.id, first!.id)).get())?.status).toBe('running');
    await t.queue.complete(second!, 'w2', t.clock.now());
    expect((await t.db.select().from(jobs).where(eq(jobs.id, first!.id)).get())?.status).toBe('done');
  });

  it('deletes jobs finished more than a week ago, and keeps recent, waiting and dead ones', async () => {
    const finish = async (key: string, ok: boolean) => {
      await t.queue.enqueue(job(key), t.clock.now());
      const claimed = (await t.queue.claim('w', t.clock.now(), 10_000))!;
      if (ok) await t.queue.complete(claimed, 'w', t.clock.now());
      else await t.queue.fail(claimed, 'w', t.clock.now(), 'bad input', { permanent: true });
    };
    await finish('old-done', true);
    await finish('old-dead', false);
    t.clock.advance(FINISHED_JOB_RETENTION_MS - 60_000);
    await finish('recent-done', true);
    await t.queue.enqueue(job('waiting'), t.clock.now());
    t.clock.advance(120_000);

    expect(await t.queue.pruneFinished(t.clock.now())).toBe(1);
    const left = (await t.db.select().from(jobs)).map((j) => `${String(j.payload.key)}:${j.status}`).sort();
    expect(left).toEqual(['old-dead:dead', 'recent-done:done', 'waiting:queued']);
    expect(await t.queue.pruneFinished(t.clock.now())).toBe(0);
  });

  it('backs off after a failure, honours Retry-After, and gives up after 24 hours', async () => {
    const queue = new JobQueue(t.db, () => 0.5);
    await queue.enqueue(job('k1'), t.clock.now());
    let claimed = await queue.claim('w', t.clock.now(), 1000);
    expect(await queue.fail(claimed!, 'w', t.clock.now(), 'boom', { retryAfterMs: 90_000 })).toBe('queued');
    expect(await queue.claim('w', t.clock.now() + 89_999, 1000)).toBeNull();
    t.clock.advance(90_000);
    claimed = await queue.claim('w', t.clock.now(), 1000);
    expect(claimed).not.toBeNull();
    t.clock.advance(GIVE_UP_AFTER_MS);
    expect(await queue.fail(claimed!, 'w', t.clock.now(), 'still down')).toBe('dead');
    expect(await queue.byDedupeKey(t.a.tenant.id, 'k1')).toMatchObject({ status: 'dead', lastError: 'still down' });
  });

  it('runs the jobs of one lane one at a time, and other lanes beside them', async () => {
    const now = t.clock.now();
    await t.queue.enqueue({ ...job('a1'), lane: 'caller-a' }, now);
    await t.queue.enqueue({ ...job('a2'), lane: 'caller-a' }, now);
    await t.queue.enqueue({ ...job('b1'), lane: 'caller-b' }, now);
    const first = await t.queue.claim('w1', now, 10_000);
    const second = await t.queue.claim('w2', now, 10_000);
    expect([first?.dedupeKey, second?.dedupeKey]).toEqual(['a1', 'b1']);
    // a2 waits for a1, however many workers ask.
    expect(await t.queue.claim('w3', now, 10_000)).toBeNull();
    await t.queue.complete(first!, 'w1', now);
    expect((await t.queue.claim('w3', now, 10_000))?.dedupeKey).toBe('a2');
  });

  it('does not hold a lane for a worker that died: the lease runs out', async () => {
    const now = t.clock.now();
    await t.queue.enqueue({ ...job('c1'), lane: 'caller-c' }, now);
    await t.queue.enqueue({ ...job('c2'), lane: 'caller-c' }, now + 1);
    await t.queue.claim('dead-worker', now + 1, 1_000);
    expect(await t.queue.claim('w', now + 500, 1_000)).toBeNull();
    // The abandoned job comes back first; its lane mate still waits behind it.
    expect((await t.queue.claim('w', now + 2_000, 1_000))?.dedupeKey).toBe('c1');
    expect(await t.queue.claim('w2', now + 2_000, 1_000)).toBeNull();
  });

  it('runs a job that booked its own wait at exactly that time, without jitter', async () => {
    // Jitter would put this retry anywhere up to 30 s out; a booked wait of 1.2 s must not drift.
    const queue = new JobQueue(t.db, () => 0.99);
    await queue.enqueue(job('k2'), t.clock.now());
    const claimed = await queue.claim('w', t.clock.now(), 1000);
    await queue.fail(claimed!, 'w', t.clock.now(), 'waiting for room', { retryAfterMs: 1_200, exact: true });
    expect(await queue.claim('w', t.clock.now() + 1_199, 1000)).toBeNull();
    expect(await queue.claim('w', t.clock.now() + 1_200, 1000)).not.toBeNull();
  });
});

describe('JobRunner', () => {
  it('runs handlers, retries retryable errors and kills permanent ones', async () => {
    let calls = 0;
    const runner = new JobRunner(
      t.queue,
      {
        flaky: async () => {
          calls++;
          if (calls === 1) throw new RetryLaterError('rate limited', 5_000);
        },
        broken: async () => {
          throw new PermanentJobError('bad input');
        },
      },
      t.clock,
      silentLogger,
    );
    await t.queue.enqueue({ ...job('f'), kind: 'flaky' }, t.clock.now());
    await t.queue.enqueue({ ...job('b'), kind: 'broken' }, t.clock.now());
    await t.queue.enqueue({ ...job('u'), kind: 'unknown-kind' }, t.clock.now());
    expect(await runner.drain()).toBe(3);
    expect(await t.queue.counts()).toMatchObject({ queued: 1, dead: 2 });
    t.clock.advance(BACKOFF_CAP_MS);
    expect(await runner.drain()).toBe(1);
    expect(await t.queue.counts()).toMatchObject({ queued: 0, done: 1, dead: 2 });
  });

  it('start() picks up work as soon as it is kicked', async () => {
    const done: string[] = [];
    const runner = new JobRunner(
      t.queue,
      { test: async (j) => void done.push(String(j.payload.key)) },
      t.clock,
      silentLogger,
      {
        pollMs: 60_000,
        concurrency: 2,
      },
    );
    runner.start();
    await t.queue.enqueue(job('a'), t.clock.now());
    runner.kick();
    await expect.poll(() => done, { timeout: 2000 }).toEqual(['a']);
    await runner.stop();
  });

  it('wakes more workers when it finds work, so jobs a job enqueued run side by side', async () => {
    let running = 0;
    let most = 0;
    const runner = new JobRunner(
      t.queue,
      {
        // Like process_call: it enqueues the call's syncs, one per CRM, and nobody kicks the runner.
        process: async () => {
          for (const key of ['hubspot', 'salesforce', 'pipedrive']) await t.queue.enqueue(job(key), t.clock.now());
        },
        test: async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 50));
          running--;
        },
      },
      t.clock,
      silentLogger,
      { pollMs: 60_000, concurrency: 3 },
    );
    runner.start();
    await t.queue.enqueue({ ...job('call'), kind: 'process' }, t.clock.now());
    runner.kick();
    await expect.poll(async () => (await t.queue.counts()).done, { timeout: 5_000 }).toBe(4);
    await runner.stop();
    expect(most).toBe(3);
  });
});

describe('process_call job', () => {
  it('marks calls received and counts earlier calls from the same number', async () => {
    const post = async (id: string, phone: string, startTime: string) => {
      const body = JSON.stringify(callrailCall({ id, phone, startTime }));
      const res = await t.app.request(`/v1/webhooks/callrail/${t.a.tenant.slug}`, {
        method: 'POST',
        body,
        headers: await callrailHeaders(callrailFixture.token, body),
      });
      return (await json<{ callId: string }>(res)).callId;
    };
    const second = await post('C2', '+13036231131', '2026-11-02T10:00:00Z');
    const first = await post('C1', '(303) 623-1131', '2026-11-01T10:00:00Z');
    const other = await post('C3', '+17205550143', '2026-11-03T10:00:00Z');
    expect(await t.runner.drain()).toBe(3); // one process_call each, analysis included
    const read = async (id: string) => json(await t.get(`/v1/calls/${id}`, t.a.rep));
    expect(await read(first)).toMatchObject({ status: 'analyzed', firstCall: true, priorCalls: 0 });
    expect(await read(second)).toMatchObject({ status: 'analyzed', firstCall: false, priorCalls: 1 });
    expect(await read(other)).toMatchObject({ firstCall: true, priorCalls: 0 });
  });
});
