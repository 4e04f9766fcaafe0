// The local entry: the same app as on Workers, on Node with a libSQL file, an always-on job
// runner, and a demo tenant on first run.
import { serve } from '@hono/node-server';
import type { ExecutionContext } from 'hono';
import { createApp } from './app';
import { systemClock, type Clock } from './clock';
import { loadConfig, type NodeConfig } from './config';
import { jsonLogger, type Logger } from './log';
import { loadSecretBox, openDatabase } from './bootstrap';
import { connectDemoCrms, ensureDemoTenant, type DemoTenant } from './demo/demo-tenant';
import { mountSandboxes, type SandboxCredentials } from './sandbox/mount';
import { JobQueue } from './jobs/queue';
import { JobRunner } from './jobs/runner';
import { pipelineHandlers } from './pipeline/handlers';
import { openAiCompatibleExtractor } from './analysis/llm-extractor';
import { RateLimits } from './sync/rate-limits';

export interface RunningServer {
  url: string;
  port: number;
  demo: DemoTenant | null;
  sandboxes: SandboxCredentials | null;
  close(): Promise<void>;
}

export async function startServer(config: NodeConfig = loadConfig()): Promise<RunningServer> {
  const log = jsonLogger(config.logLevel);
  const clock = systemClock;
  const { db, close: closeDb, applied } = await openDatabase(config);
  const secrets = await loadSecretBox(config);
  const extractor = config.llm ? openAiCompatibleExtractor(config.llm) : undefined;
  // One set of CRM rate-limit windows for the syncs and the admin's connection checks.
  const rateLimits = new RateLimits({ clock });
  const handlers = pipelineHandlers({ db, clock, log, extractor, secrets, rateLimits });
  const queue = new JobQueue(db);
  const runner = new JobRunner(queue, handlers, clock, log, {
    leaseMs: config.jobLeaseMs,
    concurrency: config.jobConcurrency,
  });
  const app = createApp({ db, secrets, clock, log, crmRateLimits: rateLimits, onEnqueued: () => runner.kick() });
  // The CRM sandboxes live beside the product on the local server only, never in the Worker.
  const sandboxes = config.sandboxes ? await mountSandboxes(config.dataDir, clock) : null;

  // Hono reads c.executionCtx on Workers; on Node we hand it one whose waitUntil just lets the
  // work finish in the background.
  const ctx: ExecutionContext = {
    waitUntil: (work) => void work.catch((e: unknown) => log.error('background work failed', { error: String(e) })),
    passThroughOnException: () => undefined,
    props: {},
  };
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    // The sandboxes are separate apps: they answer their own paths with their vendor's errors.
    const fetch = (req: Request) =>
      sandboxes && new URL(req.url).pathname.startsWith('/sandbox/')
        ? sandboxes.app.fetch(req)
        : app.fetch(req, {}, ctx);
    const s = serve({ fetch, port: config.port, hostname: '0.0.0.0' }, () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) => {
      sandboxes?.close();
      closeDb();
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${config.port} is in use: stop the other server or set PORT=<another port>`)
          : e,
      );
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const demo = config.demo ? await ensureDemoTenant(db, secrets, config.dataDir, clock.now()) : null;
  if (demo && sandboxes) {
    await connectDemoCrms(db, secrets, demo, `http://localhost:${port}`, sandboxes.credentials, clock.now());
  }
  // Only now: a sync claimed earlier would use the sandbox address of the previous start.
  runner.start();
  const housekeeping = startPruning(queue, clock, log);
  log.info('callsight edge started', { port, migrationsApplied: applied.length });

  return {
    url: `http://localhost:${port}`,
    port,
    demo,
    sandboxes: sandboxes?.credentials ?? null,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(housekeeping);
      await runner.stop();
      sandboxes?.close();
      closeDb();
    },
  };
}

const PRUNE_EVERY_MS = 3_600_000;

/** Finished jobs are deleted after a week (FINISHED_JOB_RETENTION_MS): now, then every hour. */
function startPruning(queue: JobQueue, clock: Clock, log: Logger): ReturnType<typeof setInterval> {
  const prune = () =>
    queue
      .pruneFinished(clock.now())
      .then((n) => n > 0 && log.info('finished jobs pruned', { count: n }))
      .catch((e: unknown) =>
        log.warn('pruning finished jobs failed', { error: e instanceof Error ? e.message : String(e) }),
      );
  void prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return timer;
}

function banner(config: NodeConfig, s: RunningServer): string {
  const base = config.publicUrl.replace(`:${config.port}`, `:${s.port}`);
  const lines = [
    '',
    `Callsight edge is running at ${base}`,
    `  database      ${config.dbUrl}`,
    `  analyzer      ${config.llm ? `LLM ${config.llm.model} at ${config.llm.baseURL} (rules as fallback)` : 'rules (set CALLSIGHT_LLM_BASE_URL for an LLM)'}`,
    `  health        ${base}/healthz   readiness ${base}/readyz`,
  ];
  if (s.demo) {
    const d = s.demo;
    lines.push(
      '',
      `Demo tenant "${d.name}" (slug ${d.slug})`,
      `  admin API key ${d.adminKey}`,
      '',
      'Webhook URLs to give your call sources:',
      `  CallRail      POST ${base}/v1/webhooks/callrail/${d.slug}`,
      `                signing token ${d.secrets.callrail}`,
      `  Retell AI     POST ${base}/v1/webhooks/retell/${d.slug}`,
      `                API key ${d.secrets.retell}`,
      `  Ringostat     POST|GET ${base}/v1/webhooks/ringostat/${d.slug}`,
      `                Basic auth ${d.secrets.ringostat.username} / ${d.secrets.ringostat.password}`,
    );
  }
  if (s.sandboxes) {
    const c = s.sandboxes;
    lines.push(
      '',
      'CRM sandboxes (same paths and payloads as the real APIs; the demo tenant syncs to all three):',
      `  HubSpot       ${base}/sandbox/hubspot        private app token ${c.hubspot.token}`,
      `  Salesforce    ${base}/sandbox/salesforce     client ${c.salesforce.clientId} / ${c.salesforce.clientSecret}`,
      `  Pipedrive     ${base}/sandbox/pipedrive      x-api-token ${c.pipedrive.apiToken}`,
      `  e.g. curl -H "Authorization: Bearer ${c.hubspot.token}" ${base}/sandbox/hubspot/crm/v3/objects/contacts`,
    );
  }
  if (s.demo) {
    lines.push(
      '',
      'Next: `npm run demo` posts signed sample webhooks; then read them back with',
      `  curl -H "Authorization: Bearer ${s.demo.adminKey}" ${base}/v1/calls`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) {
  const config = loadConfig();
  const server = await startServer(config).catch((e: unknown) => {
    console.error(`callsight: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
  process.stdout.write(banner(config, server));
  const shutdown = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
