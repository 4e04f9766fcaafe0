// A HubSpot look-alike for local runs and tests: the subset of the CRM API Callsight's adapter and
// an official client use, on HubSpot's own paths, bodies, status codes, error bodies and
// throttles, over its own libSQL tables. Mount it at `/sandbox/hubspot` on the Node server (never
// in the Worker) so that `{base}/crm/v3/objects/contacts` is HubSpot's path.
//
// Its own admin endpoints (no auth): `GET|POST|DELETE {base}/__faults` (a FaultRule, an array of
// them, or a preset: `{"preset":"rate_limit_storm","policyName":"DAILY","times":3}`,
// `{"preset":"outage","mode":"timeout","forMs":60000}`), `DELETE {base}/__faults/{id}` and
// `POST {base}/__search-index/flush` (make every write searchable now), `GET|DELETE {base}/__stats`
// (requests answered since the last reset: totals, by status, standard requests per second).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { basePath } from 'hono/route';
import { systemClock, type Clock } from '../../clock';
import { FaultInjector } from '../faults';
import { HubspotApiError, INVALID_AUTHENTICATION_MESSAGE, rateLimitBody, type HubspotErrorBody } from './errors';
import { outage, rateLimitStorm, type OutageOptions, type RateLimitStormOptions } from './fault-presets';
import type { ObjectType } from './object-types';
import { buildPipelines, DEFAULT_DEAL_PIPELINE, type PipelineSpec } from './pipelines';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitSettings } from './rate-limits';
import { accountRoutes } from './routes/account';
import { adminRoutes } from './routes/admin';
import { associationRoutes } from './routes/associations';
import { objectRoutes } from './routes/objects';
import { ownerRoutes } from './routes/owners';
import { pipelineRoutes } from './routes/pipelines';
import { propertyRoutes } from './routes/properties';
import { HubspotStore, type SandboxDatabase, type StoredAssociation, type StoredRecord } from './store';
import type { SandboxCore, SandboxEnv } from './core';

export type { SandboxDatabase } from './store';
export type { FaultRule } from '../faults';
export type { ObjectType } from './object-types';
export type { OutageOptions, RateLimitStormOptions } from './fault-presets';
export { DEFAULT_CALL_DISPOSITIONS } from './property-catalog';

/** A private-app token the sandbox accepts; `scopes` absent = every scope granted. */
export interface SandboxToken {
  token: string;
  scopes?: string[];
}

export interface SandboxOwner {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  userId?: number;
}

export interface HubspotSandboxOptions {
  /** libSQL URL (`:memory:` in tests, `file:.data/sandbox.db` locally), client, or drizzle over one. */
  database?: SandboxDatabase;
  tokens?: (string | SandboxToken)[];
  portalId?: number;
  clock?: Clock;
  /** How long a write takes to become searchable (HubSpot: seconds). */
  searchLagMs?: number;
  limits?: Partial<Omit<RateLimitSettings, 'timeZone'>>;
  /** The account's time zone: account-info and the daily limit reset. */
  timeZone?: string;
  /** Country HubSpot assumes for numbers typed without a country code. */
  defaultCountry?: string;
  owners?: SandboxOwner[];
  pipelines?: PipelineSpec[];
}

export interface SandboxRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface SandboxRecord extends StoredRecord {
  associations: StoredAssociation[];
}

export type SandboxFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HubspotSandbox {
  app: Hono<SandboxEnv>;
  /** A `fetch` straight into the app (any host): hand it to an adapter under test. */
  fetch: SandboxFetch;
  /** The first configured token. */
  token: string;
  portalId: number;
  clock: Clock;
  faults: FaultInjector;
  /** Adds a 429 storm with HubSpot's body for the policy; returns the fault id. */
  rateLimitStorm(options?: RateLimitStormOptions): string;
  /** Adds an outage (503s, or hung requests with `mode: 'timeout'`); returns the fault id. */
  outage(options?: OutageOptions): string;
  /** Every API request answered (newest last, at most 1,000), admin calls excluded. */
  requests: SandboxRequest[];
  /** Makes every write searchable now, skipping the lag. */
  flushSearchIndex(): Promise<void>;
  record(type: ObjectType, id: string): Promise<SandboxRecord | null>;
  records(type: ObjectType): Promise<StoredRecord[]>;
  addOwner(owner: SandboxOwner): Promise<void>;
  close(): void;
}

export const DEFAULT_SANDBOX_TOKEN = 'pat-na1-5a9d0c3e-1b7f-4c2a-9e61-0d8b4f2a7c31';
export const DEFAULT_SANDBOX_PORTAL_ID = 24_681_357;

export const DEFAULT_SANDBOX_OWNERS: SandboxOwner[] = [
  { id: '75000001', email: 'top.manager@callsight.test', firstName: 'Toni', lastName: 'Manager', userId: 9_100_001 },
  { id: '75000002', email: 'alex.rep@callsight.test', firstName: 'Alex', lastName: 'Rep', userId: 9_100_002 },
  { id: '75000003', email: 'sam.rep@callsight.test', firstName: 'Sam', lastName: 'Rep', userId: 9_100_003 },
];

const SEARCH_PATH = /^\/crm\/v3\/objects\/[^/]+\/search$/;
const REQUEST_LOG_SIZE = 1_000;

export async function createHubspotSandbox(options: HubspotSandboxOptions = {}): Promise<HubspotSandbox> {
  const clock = options.clock ?? systemClock;
  const store = await HubspotStore.open(options.database ?? ':memory:');
  const portalId = options.portalId ?? DEFAULT_SANDBOX_PORTAL_ID;
  const timeZone = options.timeZone ?? 'UTC';
  const core: SandboxCore = {
    store,
    clock,
    portalId,
    timeZone,
    defaultCountry: options.defaultCountry ?? 'US',
    searchLagMs: options.searchLagMs ?? 2_000,
    pipelines: buildPipelines(options.pipelines ?? [DEFAULT_DEAL_PIPELINE]),
  };
  const addOwner = async (o: SandboxOwner) => {
    const now = clock.now();
    await store.upsertOwner({
      id: o.id,
      email: o.email,
      firstName: o.firstName ?? null,
      lastName: o.lastName ?? null,
      userId: o.userId ?? Number(o.id),
      createdAt: now,
      updatedAt: now,
      archived: false,
    });
  };
  for (const owner of options.owners ?? DEFAULT_SANDBOX_OWNERS) await addOwner(owner);

  const tokens = new Map(
    (options.tokens ?? [DEFAULT_SANDBOX_TOKEN]).map((t) => {
      const token = typeof t === 'string' ? { token: t } : t;
      return [token.token, token.scopes ? new Set(token.scopes) : null] as const;
    }),
  );
  const faults = new FaultInjector(clock);
  const limiter = new RateLimiter(clock, { ...DEFAULT_RATE_LIMITS, ...options.limits, timeZone });
  const requests: SandboxRequest[] = [];
  // Totals since the last reset, for benchmarks over HTTP (the log above keeps only the latest).
  const freshStats = () => ({
    since: clock.now(),
    total: 0,
    search: 0,
    search429: 0,
    byStatus: {} as Record<string, number>,
    /** Requests other than search that arrived in each second since `since`: what the 10 s limit counts. */
    standardPerSecond: [] as number[],
    /** Searches that arrived in each second since `since` (HubSpot allows 5 a second). */
    searchPerSecond: [] as number[],
  });
  const stats = freshStats();

  // Rules and logs speak HubSpot's paths, wherever the sandbox is mounted.
  const innerPath = (c: Context) => {
    const base = basePath(c);
    return (base === '/' ? c.req.path : c.req.path.slice(base.length)) || '/';
  };
  const isAdmin = (c: Context) => innerPath(c).startsWith('/__');
  const unlessAdmin =
    (mw: MiddlewareHandler<SandboxEnv>): MiddlewareHandler<SandboxEnv> =>
    (c, next) =>
      isAdmin(c) ? next() : mw(c, next);

  const app = new Hono<SandboxEnv>();
  app.use(
    '*',
    unlessAdmin(async (c, next) => {
      const entry = { method: c.req.method, path: innerPath(c), status: 0, at: clock.now() };
      requests.push(entry);
      if (requests.length > REQUEST_LOG_SIZE) requests.shift();
      await next();
      entry.status = c.res.status;
      stats.total++;
      if (c.req.method === 'POST' && SEARCH_PATH.test(entry.path)) {
        stats.search++;
        if (entry.status === 429) stats.search429++;
      }
      stats.byStatus[entry.status] = (stats.byStatus[entry.status] ?? 0) + 1;
      const perSecond =
        c.req.method === 'POST' && SEARCH_PATH.test(entry.path) ? stats.searchPerSecond : stats.standardPerSecond;
      const second = Math.max(0, Math.floor((entry.at - stats.since) / 1000));
      while (perSecond.length <= second) perSecond.push(0);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }),
  );
  app.use('*', unlessAdmin(faults.middleware(innerPath)));
  app.use(
    '*',
    unlessAdmin(async (c, next) => {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      const token = match?.[1];
      if (!token || !tokens.has(token)) {
        throw new HubspotApiError(401, 'INVALID_AUTHENTICATION', INVALID_AUTHENTICATION_MESSAGE);
      }
      c.set('token', token);
      c.set('scopes', tokens.get(token) ?? null);
      await next();
    }),
  );
  app.use(
    '*',
    unlessAdmin(async (c, next) => {
      const kind = c.req.method === 'POST' && SEARCH_PATH.test(innerPath(c)) ? 'search' : 'standard';
      const verdict = limiter.admit(c.get('token'), kind);
      for (const [name, value] of Object.entries(verdict.headers)) c.header(name, value);
      if (!verdict.allowed) return c.json(rateLimitBody(verdict.policy), 429);
      await next();
    }),
  );

  app.route('/', objectRoutes(core));
  app.route('/', associationRoutes(core));
  app.route('/', ownerRoutes(core));
  app.route('/', propertyRoutes(core));
  app.route('/', pipelineRoutes(core));
  app.route('/', accountRoutes(core));
  app.route('/', adminRoutes(core, faults));
  app.get('/__stats', (c) => c.json(stats));
  app.delete('/__stats', (c) => {
    Object.assign(stats, freshStats());
    return c.body(null, 204);
  });

  // A catch-all rather than notFound alone: mounted in another app, that app's notFound would answer.
  app.all('*', (c) => c.json(notFoundBody(), 404));
  app.notFound((c) => c.json(notFoundBody(), 404));
  app.onError((err, c) => {
    if (err instanceof HubspotApiError) return c.json(err.body(), err.status);
    const body: HubspotErrorBody = {
      status: 'error',
      message: 'internal error',
      correlationId: crypto.randomUUID(),
      category: 'INTERNAL_ERROR',
    };
    return c.json(body, 500);
  });

  const fetch: SandboxFetch = (input, init) => Promise.resolve(app.request(input, init));
  return {
    app,
    fetch,
    token: tokens.keys().next().value ?? DEFAULT_SANDBOX_TOKEN,
    portalId,
    clock,
    faults,
    rateLimitStorm: (o) => faults.add(rateLimitStorm(o)),
    outage: (o) => faults.add(outage(o)),
    requests,
    flushSearchIndex: () => store.flushSearchIndex(clock.now()),
    async record(type, id) {
      const r = await store.getObject(type, id);
      return r ? { ...r, associations: await store.associations(type, id) } : null;
    },
    async records(type) {
      return store.listObjects(type, 0, 10_000);
    },
    addOwner,
    close: () => store.close(),
  };
}

function notFoundBody(): HubspotErrorBody {
  return {
    status: 'error',
    message: 'resource not found',
    correlationId: crypto.randomUUID(),
    category: 'OBJECT_NOT_FOUND',
  };
}
