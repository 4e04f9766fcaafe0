import { createClient, type Client } from '@libsql/client';
import { Hono, type Context } from 'hono';
import { basePath } from 'hono/route';
import { systemClock, type Clock } from '../../clock';
import { FaultInjector } from '../faults';
import { adminRoutes } from '../admin';
import { SalesforceApiError } from './errors';
import { oauthRoutes } from './oauth';
import { buildSchema, callsightCustomFields, type FieldValue, type SchemaOverrides, type SObjectType } from './objects';
import type { SalesforceEnv, SandboxClient, SandboxOrg } from './org';
import { recordPages } from './record-page';
import { createRecord, recordView, updateRecord, type RecordContext } from './records';
import { restRoutes } from './rest';
import { SalesforceStore } from './store';

// A Salesforce org simulator for local runs and tests: the REST paths, payloads, status codes and
// error arrays the Callsight adapter relies on, on its own libSQL database. Mount it on the local
// Node server only (`app.route('/sandbox/salesforce', sandbox.app)`), never in the Worker.

export type { SObjectType } from './objects';

/** The path inside the sandbox, without the prefix it is mounted at: what fault rules match. */
function innerPath(c: Context): string {
  const prefix = basePath(c);
  return prefix === '/' ? c.req.path : c.req.path.slice(prefix.length) || '/';
}

export interface SalesforceSandboxOptions {
  /** A libSQL client, or a URL to open (`file:.data/salesforce.db`); `:memory:` by default. */
  db?: Client | string;
  clock?: Clock;
  /** Connected apps allowed to use client credentials; one demo app by default. */
  clients?: SandboxClient[];
  /** Users seeded into a new org; the first one is the run-as user of client credentials. */
  users?: Array<{ FirstName?: string; LastName: string; Email: string }>;
  orgName?: string;
  /** `instance_url` in token answers; by default the origin and mount path the token request used. */
  instanceUrl?: string;
  /** How long an access token lives on the sandbox clock (Salesforce's default session: 2 h). */
  sessionTtlMs?: number;
  /** The org's rolling 24-hour API request allocation (about 15,000 on a Developer Edition). */
  dailyRequestLimit?: number;
  /** New and changed phone numbers become visible to SOSL after this long on the sandbox clock. */
  searchLagMs?: number;
  /** An active "same phone number" duplicate rule on Leads and Contacts (DUPLICATES_DETECTED). */
  duplicateRules?: boolean;
  /** Custom fields per object, replacing the documented Callsight set for the objects given. */
  customFields?: SchemaOverrides;
  /** Highest API version served (`v31.0` … `vNN.0`). */
  maxApiVersion?: number;
}

export type SandboxRecord = Record<string, unknown>;

export interface SalesforceSandbox {
  app: Hono<SalesforceEnv>;
  /** The shared fault model (sandbox/faults.ts); rule paths are globs inside the sandbox, e.g. `/services/data/**`. */
  faults: FaultInjector;
  clock: Clock;
  /** Resolves once tables exist and the org is seeded; requests wait for it on their own. */
  ready: Promise<void>;
  /** The first connected app's credentials. */
  clientId: string;
  clientSecret: string;
  /** Creates a record through the same validation as the API (seeding tests and demos). */
  create(type: SObjectType, fields: Record<string, FieldValue>): Promise<string>;
  update(id: string, fields: Record<string, FieldValue>): Promise<void>;
  record(id: string): Promise<SandboxRecord | null>;
  records(type: SObjectType): Promise<SandboxRecord[]>;
  /** Ends every session: the next API call answers 401 INVALID_SESSION_ID. */
  expireSessions(): Promise<void>;
  apiUsage(): Promise<{ used: number; max: number }>;
  setApiUsage(requests: number): Promise<void>;
  close(): void;
}

export function createSalesforceSandbox(options: SalesforceSandboxOptions = {}): SalesforceSandbox {
  const clock = options.clock ?? systemClock;
  const ownsClient = typeof options.db !== 'object';
  const client = typeof options.db === 'object' ? options.db : createClient({ url: options.db ?? ':memory:' });
  const store = new SalesforceStore(client, clock, options.searchLagMs ?? 0);
  const clients = options.clients ?? [{ clientId: 'callsight-sandbox', clientSecret: 'sandbox-secret' }];
  const org: SandboxOrg = {
    store,
    schema: buildSchema({ ...callsightCustomFields, ...options.customFields }),
    clock,
    clients,
    instanceUrl: options.instanceUrl ?? null,
    sessionTtlMs: options.sessionTtlMs ?? 2 * 60 * 60 * 1000,
    dailyRequestLimit: options.dailyRequestLimit ?? 15_000,
    duplicateRules: options.duplicateRules ?? false,
    minApiVersion: 31,
    maxApiVersion: options.maxApiVersion ?? 66,
    ids: { orgId: '', runAsUserId: '' },
  };
  const version = `v${org.maxApiVersion}.0`;
  const handleContext = (): RecordContext => ({
    store,
    schema: org.schema,
    lookup: (id) => store.get(id),
    userId: org.ids.runAsUserId,
    version,
    duplicateRules: false,
  });
  const objectDef = (type: string) => {
    const def = org.schema.get(type);
    if (!def) throw new Error(`unknown sObject type ${type}`);
    return def;
  };

  const ready = (async () => {
    await store.init();
    const [existingOrg] = await store.list('Organization');
    if (existingOrg) {
      const [admin] = (await store.list('User')).sort((a, b) => a.createdAt - b.createdAt);
      org.ids = { orgId: existingOrg.id, runAsUserId: admin?.id ?? '' };
      return;
    }
    const orgId = await store.insert('Organization', '00D', { Name: options.orgName ?? 'Callsight Sandbox Org' }, []);
    const users = options.users ?? [{ FirstName: 'Sandra', LastName: 'Admin', Email: 'admin@sandbox.callsight.test' }];
    const userIds: string[] = [];
    for (const user of users) {
      userIds.push(await store.insert('User', '005', { IsActive: true, Username: user.Email, ...user }, []));
    }
    org.ids = { orgId, runAsUserId: userIds[0] ?? '' };
  })();
  ready.catch(() => undefined); // surfaced to whoever awaits `ready` or sends a request

  const app = new Hono<SalesforceEnv>();
  const faults = new FaultInjector(clock);
  app.use('*', async (_c, next) => {
    await ready;
    await next();
  });
  const applyFaults = faults.middleware(innerPath);
  app.use('*', (c, next) => (innerPath(c).startsWith('/__') ? next() : applyFaults(c, next)));
  app.route('/', adminRoutes(faults));
  app.route('/', oauthRoutes(org));
  app.route('/', restRoutes(org));
  app.route('/', recordPages(org));
  app.all('*', (c) => c.json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], 404));
  app.onError((err, c) => {
    if (err instanceof SalesforceApiError) return c.json(err.errors, err.status);
    return c.json(
      [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred in the sandbox: ${err.message}` }],
      500,
    );
  });

  return {
    app,
    faults,
    clock,
    ready,
    clientId: clients[0]?.clientId ?? '',
    clientSecret: clients[0]?.clientSecret ?? '',
    async create(type, fields) {
      await ready;
      return store.exclusive(() => createRecord(objectDef(type), fields, handleContext()));
    },
    async update(id, fields) {
      await ready;
      await store.exclusive(async () => {
        const record = await store.get(id);
        if (!record) throw new Error(`no record ${id}`);
        await updateRecord(objectDef(record.type), record, fields, handleContext());
      });
    },
    async record(id) {
      await ready;
      const record = await store.get(id);
      return record ? recordView(objectDef(record.type), record, version) : null;
    },
    async records(type) {
      await ready;
      return (await store.list(type)).map((r) => recordView(objectDef(type), r, version));
    },
    async expireSessions() {
      await ready;
      await store.expireSessions();
    },
    async apiUsage() {
      await ready;
      return { used: await store.apiUsage(), max: org.dailyRequestLimit };
    },
    async setApiUsage(requests) {
      await ready;
      await store.setApiUsage(requests);
    },
    close() {
      if (ownsClient) client.close();
    },
  };
}
