import type { Clock } from '../clock';
import type { Logger } from '../log';
import { newId } from '../auth/digest';
import { type JobQueue, PermanentJobError, RetryLaterError, type JobRow } from './queue';

export type JobHandler = (job: JobRow) => Promise<void>;

const yieldToIo = () =>
  new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

export interface RunnerOptions {
  /** How long a claimed job is ours before another runner may take it over. */
  leaseMs: number;
  /** Parallel workers in `start()` mode. */
  concurrency: number;
  /** How often an idle runner looks for jobs that became due (backoff, expired leases). */
  pollMs: number;
}

export const defaultRunnerOptions: RunnerOptions = { leaseMs: 60_000, concurrency: 2, pollMs: 1_000 };

/**
 * Runs jobs from the queue. On Node it runs all the time (`start`) and is woken by `kick` when a
 * webhook enqueues work; on Workers each request and cron tick `drain`s within a time budget.
 */
export class JobRunner {
  readonly workerId = newId('wrk');
  private readonly options: RunnerOptions;
  private running = false;
  private loops: Promise<void>[] = [];
  /** Idle workers' wake-ups, oldest first. */
  private idlers: (() => void)[] = [];
  private kicked = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Record<string, JobHandler>,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = { ...defaultRunnerOptions, ...options };
  }

  /** Claims and runs one job; false when nothing is due. */
  async runOne(): Promise<boolean> {
    const job = await this.queue.claim(this.workerId, this.clock.now(), this.options.leaseMs);
    if (!job) return false;
    // Where there was one job there may be more (a call's syncs, one per CRM, enqueued together):
    // one idle worker looks now, and wakes the next if it finds one too.
    this.idlers.shift()?.();
    const handler = this.handlers[job.kind];
    const started = this.clock.now();
    // A job that outlives its lease would be claimed again by another worker while this one is
    // still writing to a CRM: renew the lease while it runs, well before it runs out.
    const { leaseMs } = this.options;
    const heartbeat = setInterval(() => {
      this.queue.renew(job, this.workerId, this.clock.now(), leaseMs).catch((e: unknown) => {
        this.log.warn('lease renewal failed', { job: job.id, error: e instanceof Error ? e.message : String(e) });
      });
    }, leaseMs / 3);
    (heartbeat as { unref?: () => void }).unref?.();
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind "${job.kind}"`);
      await handler(job);
      await this.queue.complete(job, this.workerId, this.clock.now());
      this.log.info('job done', { job: job.id, kind: job.kind, tenant: job.tenantId, ms: this.clock.now() - started });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const status = await this.queue.fail(job, this.workerId, this.clock.now(), message, {
        permanent: e instanceof PermanentJobError,
        retryAfterMs: e instanceof RetryLaterError ? e.retryAfterMs : null,
        exact: e instanceof RetryLaterError && e.exact,
      });
      this.log.warn('job failed', {
        job: job.id,
        kind: job.kind,
        tenant: job.tenantId,
        attempt: job.attempts,
        status,
        error: message,
      });
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }

  /** Runs due jobs until none is left, `maxJobs` have run, or `budgetMs` has passed. */
  async drain(limits: { maxJobs?: number; budgetMs?: number } = {}): Promise<number> {
    const deadline = limits.budgetMs === undefined ? Infinity : this.clock.now() + limits.budgetMs;
    let ran = 0;
    while (ran < (limits.maxJobs ?? Infinity) && this.clock.now() < deadline && (await this.runOne())) ran++;
    return ran;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.loop());
  }

  /** Wakes idle workers at once: a job was just enqueued. */
  kick(): void {
    this.kicked = true;
    for (const wake of this.idlers.splice(0)) wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.idlers.splice(0)) wake();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        this.kicked = false;
        worked = await this.runOne();
      } catch (e) {
        // The database itself failed (locked, gone): wait a poll interval and try again.
        this.log.error('job runner error', { error: e instanceof Error ? e.message : String(e) });
      }
      if (!worked && this.running && !this.kicked) await this.idle();
      // Database calls resolve as microtasks: without a macrotask turn between jobs, a backlog
      // would starve the HTTP server (webhook acknowledgements wait behind every queued job).
      else await yieldToIo();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const i = this.idlers.indexOf(done);
        if (i >= 0) this.idlers.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs);
      this.idlers.push(done);
    });
  }
}
