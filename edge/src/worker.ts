// The Cloudflare entry: the same app as on Node, with deps built from the Worker's bindings.
// Jobs have no always-on runner here: each request that enqueued work drains the queue in
// `waitUntil`, and the cron trigger (wrangler.toml) sweeps whatever is left or became due.
import { createClient } from '@libsql/client/web';
import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql/web';
import type {
  Ai,
  D1Database,
  ExecutionContext,
  ExportedHandler,
  Request as WorkerRequest,
  Response as WorkerResponse,
  ScheduledController,
} from '@cloudflare/workers-types';
import { createApp, type App } from './app';
import { SecretBox } from './auth/secret-box';
import { systemClock } from './clock';
import { schema, type Db } from './db/client';
import { pipelineHandlers } from './pipeline/handlers';
import { workersAiExtractor, type WorkersAiBinding } from './analysis/llm-extractor';
import { workersAiTranscriber } from './analysis/transcriber';
import { JobQueue } from './jobs/queue';
import { JobRunner } from './jobs/runner';
import { jsonLogger, type Logger, type LogLevel } from './log';
import { RateLimits } from './sync/rate-limits';

/** The bindings this Worker reads: [vars] and secrets from wrangler.toml, plus the test pool's D1. */
export interface Env {
  /** Secret: the Turso database URL (`libsql://…`). */
  TURSO_URL?: string;
  /** Secret: the Turso auth token. */
  TURSO_AUTH_TOKEN?: string;
  /** Secret: base64 of the 32-byte key that seals integration secrets. */
  CALLSIGHT_ENCRYPTION_KEY: string;
  CALLSIGHT_LOG_LEVEL?: string;
  CALLSIGHT_JOB_LEASE_MS?: string;
  /** `rules` keeps analysis on the rules extractor even where Workers AI is bound. */
  CALLSIGHT_ANALYZER?: string;
  /** Only in the Workers test pool: real SQLite standing in for Turso. */
  DB?: D1Database;
  /** Workers AI, for the LLM analyzer (remote-only). */
  AI?: Ai;
}

/**
 * How long one drain may run. A request's drain must end inside the 30 s `waitUntil` gets after
 * the response; a cron sweep stays under 30 s as well, so a tick every minute never piles up.
 * A job cut off mid-run keeps its lease, which expires, and a later sweep runs it again.
 */
export const REQUEST_DRAIN = { budgetMs: 20_000, maxJobs: 25 } as const;
export const CRON_DRAIN = { budgetMs: 25_000, maxJobs: 200 } as const;

interface Runtime {
  app: App;
  runner: JobRunner;
  queue: JobQueue;
  log: Logger;
}

const LOG_LEVELS: readonly string[] = ['info', 'warn', 'error', 'silent'];

/**
 * drizzle over a D1 binding, as our `Db`. drizzle's D1 and libSQL databases are both
 * BaseSQLiteDatabase<'async', …> over the same sqlite dialect and the same schema: every query
 * builder, `run`, `all` and `batch` our repositories use exists on both and yields the same row
 * shapes. Only the driver's raw result type (D1Result vs ResultSet) differs, and no code of ours
 * reads it, so the cast is sound.
 */
export function openD1Db(binding: D1Database): Db {
  return drizzleD1(binding, { schema }) as unknown as Db;
}

function openDb(env: Env): Db {
  if (env.DB) return openD1Db(env.DB);
  if (!env.TURSO_URL) throw new Error('TURSO_URL is not set: wrangler secret put TURSO_URL');
  const client = createClient({
    url: env.TURSO_URL,
    ...(env.TURSO_AUTH_TOKEN ? { authToken: env.TURSO_AUTH_TOKEN } : {}),
  });
  return drizzleLibsql(client, { schema });
}

function leaseMs(env: Env): number {
  const n = Number(env.CALLSIGHT_JOB_LEASE_MS ?? 60_000);
  if (!Number.isInteger(n) || n < 1_000 || n > 3_600_000) {
    throw new Error(
      `CALLSIGHT_JOB_LEASE_MS must be a whole number from 1000 to 3600000, got "${env.CALLSIGHT_JOB_LEASE_MS}"`,
    );
  }
  return n;
}

async function buildRuntime(env: Env): Promise<Runtime> {
  const level = env.CALLSIGHT_LOG_LEVEL ?? 'info';
  const log = jsonLogger(LOG_LEVELS.includes(level) ? (level as LogLevel) : 'info');
  if (!env.CALLSIGHT_ENCRYPTION_KEY) {
    throw new Error('CALLSIGHT_ENCRYPTION_KEY is not set: wrangler secret put CALLSIGHT_ENCRYPTION_KEY');
  }
  const secrets = await SecretBox.fromBase64Key(env.CALLSIGHT_ENCRYPTION_KEY);
  const db = openDb(env);
  const clock = systemClock;
  // Workers AI when the binding is there and not switched off; the rules extractor stands in
  // whenever the model fails, and always without the binding.
  const ai = env.AI && env.CALLSIGHT_ANALYZER !== 'rules' ? (env.AI as unknown as WorkersAiBinding) : null;
  // One set of CRM rate-limit windows per isolate, for its syncs and connection checks.
  const rateLimits = new RateLimits({ clock });
  const handlers = pipelineHandlers({
    db,
    clock,
    log,
    secrets,
    rateLimits,
    ...(ai ? { extractor: workersAiExtractor(ai), transcriber: workersAiTranscriber(ai) } : {}),
  });
  const queue = new JobQueue(db);
  const runner = new JobRunner(queue, handlers, clock, log, {
    leaseMs: leaseMs(env),
  });
  const app = createApp({
    db,
    secrets,
    clock,
    log,
    crmRateLimits: rateLimits,
    onEnqueued: (waitUntil) => {
      // Without an execution context the cron sweep picks the job up within a minute.
      waitUntil?.(drain(runner, log, REQUEST_DRAIN, 'request'));
    },
  });
  return { app, runner, queue, log };
}

async function drain(
  runner: JobRunner,
  log: Logger,
  limits: typeof REQUEST_DRAIN | typeof CRON_DRAIN,
  trigger: string,
) {
  try {
    const ran = await runner.drain(limits);
    if (ran > 0) log.info('jobs drained', { trigger, ran });
  } catch (e) {
    // The database failed mid-drain: the jobs keep their leases and the next sweep retries them.
    log.error('job drain failed', { trigger, error: e instanceof Error ? e.message : String(e) });
  }
}

// Built once per isolate, on the first event (random ids and crypto keys cannot be made at
// module load). Keyed by the env object so an isolate given other bindings (tests) gets its own.
const runtimes = new WeakMap<Env, Promise<Runtime>>();

function runtimeFor(env: Env): Promise<Runtime> {
  let runtime = runtimes.get(env);
  if (!runtime) {
    runtime = buildRuntime(env);
    // A failed start (a missing secret) is not cached: the next event tries again.
    runtime.catch(() => runtimes.delete(env));
    runtimes.set(env, runtime);
  }
  return runtime;
}

async function fetch(request: WorkerRequest, env: Env, ctx: ExecutionContext): Promise<WorkerResponse> {
  let runtime: Runtime;
  try {
    runtime = await runtimeFor(env);
  } catch (e) {
    jsonLogger('error').error('worker start failed', { error: e instanceof Error ? e.message : String(e) });
    const body = { error: { code: 'unavailable', message: 'the service is not configured' } };
    return Response.json(body, { status: 503 }) as unknown as WorkerResponse;
  }
  // TypeScript sees the Workers Request/Response and the standard ones edge/src is typed with as
  // different types; at run time they are the same objects.
  return (await runtime.app.fetch(request as unknown as Request, env, ctx)) as unknown as WorkerResponse;
}

// Awaited rather than handed to waitUntil, so the cron event's outcome and duration are the sweep's.
async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const { runner, queue, log } = await runtimeFor(env);
  await drain(runner, log, CRON_DRAIN, `cron ${controller.cron}`);
  // Housekeeping after the work: finished jobs older than a week go, a batch per tick.
  try {
    const pruned = await queue.pruneFinished(systemClock.now());
    if (pruned > 0) log.info('finished jobs pruned', { count: pruned });
  } catch (e) {
    log.warn('pruning finished jobs failed', { error: e instanceof Error ? e.message : String(e) });
  }
}

export default { fetch, scheduled } satisfies ExportedHandler<Env>;
