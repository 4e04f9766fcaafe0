import { createClient, type Client } from '@libsql/client';
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { basePath } from 'hono/route';
import { systemClock, type Clock } from '../../clock';
import { FaultInjector } from '../faults';
import { adminRoutes } from '../admin';
import { activityRoutes, activityView, noteView } from './activities';
import type { CustomFieldDef, PipedriveEnv, SandboxCompany } from './company';
import { PipedriveApiError } from './envelope';
import { apiGate } from './limits';
import { personRoutes, personView, searchSnapshot } from './persons';
import { dealView, DEFAULT_LEAD_LABELS, leadView, pipelineRoutes } from './pipeline';
import { PipedriveStore, type ItemData, type ItemKind } from './store';
import { userRoutes } from './users';

// A Pipedrive company simulator for local runs and tests: the /api/v1 and /api/v2 paths, payloads,
// envelopes, rate-limit headers and 429s the Callsight adapter relies on, on its own libSQL
// database. Mount it on the local Node server only (`app.route('/sandbox/pipedrive', sandbox.app)`).

export type { CustomFieldDef } from './company';

/** The person custom field the sandbox company has by default for do-not-call (see crm/pipedrive/FIELDS.md). */
export const SANDBOX_DO_NOT_CALL_FIELD: CustomFieldDef = {
  key: 'f3c1b0d2a4e5f60718293a4b5c6d7e8f90a1b2c3',
  name: 'Do not call',
  field_type: 'enum',
  options: [
    { id: 31, label: 'Yes' },
    { id: 32, label: 'No' },
  ],
};

export interface PipedriveSandboxOptions {
  /** A libSQL client, or a URL to open (`file:.data/pipedrive.db`); `:memory:` by default. */
  db?: Client | string;
  clock?: Clock;
  /** The one valid API token (sent as `x-api-token`); it belongs to the first user. */
  apiToken?: string;
  /** Users seeded into a new company. */
  users?: Array<{ name: string; email: string }>;
  companyName?: string;
  companyDomain?: string;
  /** Requests per rolling 2 seconds per token: 20 is the Essential plan with an api_token. */
  burstLimit?: number;
  /** Search requests per rolling 2 seconds: 10 on every plan. */
  searchBurstLimit?: number;
  /** Tokens per UTC day: 30,000 base × plan multiplier × seats; one Essential seat by default. */
  dailyTokenBudget?: number;
  /** New and changed persons become searchable after this long on the sandbox clock. */
  searchLagMs?: number;
  personFields?: CustomFieldDef[];
  dealFields?: CustomFieldDef[];
  /** The Campaigns add-on: only then do persons accept and return `marketing_status`. */
  campaigns?: boolean;
}

export interface PipedriveSandbox {
  app: Hono<PipedriveEnv>;
  /** The shared fault model (sandbox/faults.ts); rule paths are globs such as `/api/v2/persons/search`. */
  faults: FaultInjector;
  clock: Clock;
  ready: Promise<void>;
  apiToken: string;
  /** Seeds a person directly (phones exactly as given), as if typed in the Pipedrive UI. */
  createPerson(person: { name: string; phones?: string[]; emails?: string[]; owner_id?: number }): Promise<number>;
  item(kind: ItemKind, id: string | number): Promise<Record<string, unknown> | null>;
  items(kind: ItemKind): Promise<Array<Record<string, unknown>>>;
  tokenBudget(): Promise<{ used: number; max: number }>;
  setTokensUsed(used: number): Promise<void>;
  close(): void;
}

/** The path inside the sandbox, without the prefix it is mounted at. */
function innerPath(c: Context): string {
  const prefix = basePath(c);
  return prefix === '/' ? c.req.path : c.req.path.slice(prefix.length) || '/';
}

const PAGE_PATHS: Partial<Record<ItemKind, string>> = {
  person: '/person/:id',
  deal: '/deal/:id',
  lead: '/leads/inbox/:id',
};

export function createPipedriveSandbox(options: PipedriveSandboxOptions = {}): PipedriveSandbox {
  const clock = options.clock ?? systemClock;
  const ownsClient = typeof options.db !== 'object';
  const client = typeof options.db === 'object' ? options.db : createClient({ url: options.db ?? ':memory:' });
  const store = new PipedriveStore(client, clock, options.searchLagMs ?? 0);
  const company: SandboxCompany = {
    store,
    clock,
    apiToken: options.apiToken ?? 'sandbox-api-token',
    companyId: 1,
    companyName: options.companyName ?? 'Callsight Sandbox Ltd',
    companyDomain: options.companyDomain ?? 'callsight-sandbox',
    burstLimit: options.burstLimit ?? 20,
    searchBurstLimit: options.searchBurstLimit ?? 10,
    dailyTokenBudget: options.dailyTokenBudget ?? 30_000,
    personFields: options.personFields ?? [SANDBOX_DO_NOT_CALL_FIELD],
    dealFields: options.dealFields ?? [],
    campaigns: options.campaigns ?? false,
    ids: { tokenUserId: 1 },
  };

  const ready = (async () => {
    await store.init();
    const users = await store.list('user');
    if (users[0]) {
      company.ids.tokenUserId = Number(users[0].id);
      return;
    }
    const seeds = options.users ?? [{ name: 'Sam Owner', email: 'owner@sandbox.callsight.test' }];
    for (const [i, user] of seeds.entries()) {
      const created = await store.insert('user', { ...user, active_flag: true, is_admin: i === 0 });
      if (i === 0) company.ids.tokenUserId = Number(created.id);
    }
    for (const label of DEFAULT_LEAD_LABELS) await store.insert('leadLabel', label);
  })();
  ready.catch(() => undefined); // surfaced to whoever awaits `ready` or sends a request

  const view = (kind: ItemKind, item: Awaited<ReturnType<PipedriveStore['get']>>) => {
    if (!item) return null;
    switch (kind) {
      case 'person':
        return personView(company, item);
      case 'lead':
        return leadView(company, item);
      case 'deal':
        return dealView(item);
      case 'activity':
        return activityView(item);
      case 'note':
        return noteView(item);
      default:
        return { id: item.id, ...item.data };
    }
  };

  const app = new Hono<PipedriveEnv>();
  const faults = new FaultInjector(clock);
  app.use('*', async (_c, next) => {
    await ready;
    await next();
  });
  const applyFaults = faults.middleware(innerPath);
  app.use('*', (c, next) => (innerPath(c).startsWith('/__') ? next() : applyFaults(c, next)));
  app.route('/', adminRoutes(faults));
  app.use('/api/*', apiGate(company, innerPath));
  app.route('/', personRoutes(company));
  app.route('/', pipelineRoutes(company));
  app.route('/', activityRoutes(company));
  app.route('/', userRoutes(company));
  for (const [kind, path] of Object.entries(PAGE_PATHS) as Array<[ItemKind, string]>) {
    // The record links the adapter returns open a plain page of the record: local use only.
    app.get(path, async (c) => {
      const record = view(kind, await store.get(kind, c.req.param('id') ?? ''));
      if (!record) return c.html(html`<h1>Not found</h1>`, 404);
      const rows = Object.entries(record).map(
        ([k, v]) =>
          html`<tr>
            <th>${k}</th>
            <td>${JSON.stringify(v)}</td>
          </tr>`,
      );
      return c.html(
        html`<!doctype html><title>${kind} ${c.req.param('id')} · Pipedrive sandbox</title>
          <table>
            ${rows}
          </table>`,
      );
    });
  }
  app.all('*', () => {
    throw new PipedriveApiError(404, 'Unknown method .');
  });
  app.onError((err, c) => {
    if (err instanceof PipedriveApiError) return c.json(err.toBody(), err.status, err.headers);
    return c.json(new PipedriveApiError(500, `Internal server error: ${err.message}`).toBody(), 500);
  });

  return {
    app,
    faults,
    clock,
    ready,
    apiToken: company.apiToken,
    async createPerson(person) {
      await ready;
      const [first, ...rest] = person.name.split(/\s+/);
      const data: ItemData = {
        name: person.name,
        first_name: first ?? person.name,
        last_name: rest.join(' ') || null,
        owner_id: person.owner_id ?? company.ids.tokenUserId,
        org_id: null,
        phones: (person.phones ?? []).map((value, i) => ({ value, primary: i === 0, label: 'work' })),
        emails: (person.emails ?? []).map((value, i) => ({ value, primary: i === 0, label: 'work' })),
        visible_to: 3,
        label_ids: [],
        custom_fields: {},
      };
      const created = await store.exclusive(() => store.insert('person', data, searchSnapshot(data)));
      return Number(created.id);
    },
    async item(kind, id) {
      await ready;
      return view(kind, await store.get(kind, String(id)));
    },
    async items(kind) {
      await ready;
      return (await store.list(kind)).map((item) => view(kind, item) as Record<string, unknown>);
    },
    async tokenBudget() {
      await ready;
      return { used: await store.tokensUsed(), max: company.dailyTokenBudget };
    },
    async setTokensUsed(used) {
      await ready;
      await store.setTokensUsed(used);
    },
    close() {
      if (ownsClient) client.close();
    },
  };
}
