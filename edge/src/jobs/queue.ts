import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { jobs } from '../db/schema';
import { newId } from '../auth/digest';
import { backoffDelay, GIVE_UP_AFTER_MS } from './backoff';

export type JobRow = typeof jobs.$inferSelect;

/**
 * How long a finished job is kept after its work was committed: a week to look into what ran
 * (its call, sync state and audit log keep the rest for good). Failed (`dead`) jobs stay.
 */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 3_600_000;
export type JobStatus = JobRow['status'];

export interface NewJob {
  tenantId: string;
  kind: string;
  payload: Record<string, unknown>;
  /** The same key enqueues once: replays and double clicks add nothing. */
  dedupeKey: string;
  /** Jobs sharing a lane run one at a time (see the `jobs.lane` column). */
  lane?: string | null;
  runAt?: number;
}

/** Thrown by a handler when retrying cannot help (the call is gone, the input is invalid). */
export class PermanentJobError extends Error {}

/** Thrown by a handler to ask for a retry no sooner than a server said. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
    /**
     * Run again at exactly `retryAfterMs`, no jitter: for waits we booked ourselves (room in a
     * rate-limit window, a search index catching up), which are not failures to spread out.
     */
    readonly exact = false,
  ) {
    super(message);
  }
}

/**
 * A durable job queue on the database. Claiming is one UPDATE … RETURNING, so two runners (two
 * Node processes, or a Worker and its cron) never take the same job; a runner that dies leaves a
 * lease that expires, and the job becomes runnable again.
 */
export class JobQueue {
  constructor(
    private readonly db: Db,
    private readonly random: () => number = Math.random,
  ) {}

  /** The insert, for callers that put it in their own batch. */
  enqueueStatement(job: NewJob, now: number) {
    return this.db
      .insert(jobs)
      .values({
        id: newId('job'),
        tenantId: job.tenantId,
        kind: job.kind,
        payload: job.payload,
        dedupeKey: job.dedupeKey,
        lane: job.lane ?? null,
        status: 'queued',
        attempts: 0,
        runAt: job.runAt ?? now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: jobs.dedupeKey });
  }

  async enqueue(job: NewJob, now: number): Promise<void> {
    await this.enqueueStatement(job, now);
  }

  async claim(workerId: string, now: number, leaseMs: number): Promise<JobRow | null> {
    const rows = await this.db.all<Record<string, unknown>>(sql`
      UPDATE jobs
         SET status = 'running', lease_until = ${now + leaseMs}, locked_by = ${workerId},
             attempts = attempts + 1, updated_at = ${now}
       WHERE id = (
         SELECT j.id FROM jobs j
          WHERE ((j.status = 'queued' AND j.run_at <= ${now})
                 OR (j.status = 'running' AND j.lease_until < ${now}))
            AND (j.lane IS NULL OR NOT EXISTS (
                   SELECT 1 FROM jobs busy
                    WHERE busy.lane = j.lane AND busy.status = 'running'
                      AND busy.lease_until >= ${now} AND busy.id <> j.id))
          ORDER BY j.run_at, j.created_at
          LIMIT 1)
      RETURNING *`);
    const row = rows[0];
    return row ? rowToJob(row) : null;
  }

  /** Marks the job done, unless another runner took it over after this one's lease expired. */
  async complete(job: JobRow, workerId: string, now: number): Promise<void> {
    await this.db
      .update(jobs)
      .set({ status: 'done', finishedAt: now, updatedAt: now, leaseUntil: null, lastError: null })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
  }

  /**
   * Deletes up to `limit` jobs finished (`done`) before `now - keepMs`; returns how many. A
   * batch at a time, so one sweep never holds the database for long.
   */
  async pruneFinished(now: number, keepMs = FINISHED_JOB_RETENTION_MS, limit = 1_000): Promise<number> {
    const old = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, 'done'), lt(jobs.finishedAt, now - keepMs)))
      .limit(limit);
    const deleted = await this.db.delete(jobs).where(inArray(jobs.id, old)).returning({ id: jobs.id });
    return deleted.length;
  }

  /** Extends the lease of a job this worker still holds: long work is not taken over mid-way. */
  async renew(job: JobRow, workerId: string, now: number, leaseMs: number): Promise<void> {
    await this.db
      .update(jobs)
      .set({ leaseUntil: now + leaseMs })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
  }

  /**
   * A failed attempt: back off and try again, or give up (`dead`) when the error is permanent or
   * the job has been failing for 24 hours. Returns the status the job is left in.
   */
  async fail(
    job: JobRow,
    workerId: string,
    now: number,
    error: string,
    opts: { permanent?: boolean; retryAfterMs?: number | null; exact?: boolean } = {},
  ): Promise<JobStatus> {
    const giveUp = opts.permanent === true || now - job.createdAt >= GIVE_UP_AFTER_MS;
    const status: JobStatus = giveUp ? 'dead' : 'queued';
    const delay =
      opts.exact && opts.retryAfterMs != null
        ? opts.retryAfterMs
        : backoffDelay(job.attempts, opts.retryAfterMs ?? null, this.random);
    const runAt = giveUp ? job.runAt : now + delay;
    await this.db
      .update(jobs)
      .set({
        status,
        runAt,
        leaseUntil: null,
        lastError: error.slice(0, 2000),
        updatedAt: now,
        finishedAt: giveUp ? now : null,
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    return status;
  }

  async counts(tenantId?: string): Promise<Record<JobStatus, number>> {
    const rows = await this.db
      .select({ status: jobs.status, n: sql<number>`count(*)` })
      .from(jobs)
      .where(tenantId ? eq(jobs.tenantId, tenantId) : undefined)
      .groupBy(jobs.status);
    const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, dead: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  async byDedupeKey(tenantId: string, dedupeKey: string): Promise<JobRow | undefined> {
    return this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenantId), eq(jobs.dedupeKey, dedupeKey)))
      .get();
  }
}

// The claim is raw SQL (UPDATE … RETURNING with a sub-select), so its row comes back in column
// names and is mapped here.
function rowToJob(r: Record<string, unknown>): JobRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    kind: String(r.kind),
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    dedupeKey: String(r.dedupe_key),
    lane: r.lane === null || r.lane === undefined ? null : String(r.lane),
    status: String(r.status) as JobStatus,
    attempts: Number(r.attempts),
    runAt: Number(r.run_at),
    leaseUntil: num(r.lease_until),
    lockedBy: r.locked_by === null ? null : String(r.locked_by),
    lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    finishedAt: num(r.finished_at),
  };
}
