import { ManualClock } from '../../../src/clock';
import { createSalesforceAdapter, type SalesforceAdapterOptions } from '../../../src/crm/salesforce';
import type { FetchLike } from '../../../src/crm/salesforce';
import type { CallLog, CrmRef, NewContact } from '../../../src/crm/port';
import { createSalesforceSandbox, type SalesforceSandboxOptions } from '../../../src/sandbox/salesforce';

export const INSTANCE = 'https://callsight-dev.my.salesforce.com';
export const API = `${INSTANCE}/services/data/v62.0`;

export interface Exchange {
  method: string;
  path: string;
  status: number;
}

/** A sandbox, an adapter talking to it through `app.request`, and every exchange they had. */
export async function salesforceWorld(
  sandboxOptions: SalesforceSandboxOptions = {},
  adapterOptions: Partial<SalesforceAdapterOptions> = {},
) {
  const clock = new ManualClock();
  const sandbox = createSalesforceSandbox({ clock, ...sandboxOptions });
  await sandbox.ready;
  const exchanges: Exchange[] = [];
  const fetch: FetchLike = async (input, init) => {
    const res = await sandbox.app.request(input, init);
    exchanges.push({ method: init?.method ?? 'GET', path: new URL(input).pathname, status: res.status });
    return res;
  };
  const adapter = createSalesforceAdapter({
    instanceUrl: INSTANCE,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    apiVersion: 'v62.0',
    fetch,
    clock,
    ...adapterOptions,
  });
  const tokenRequests = () => exchanges.filter((e) => e.path === '/services/oauth2/token').length;
  return { clock, sandbox, adapter, exchanges, tokenRequests, fetch };
}

/** A bearer token straight from the sandbox, for tests of the API itself. */
export async function sandboxToken(sandbox: ReturnType<typeof createSalesforceSandbox>): Promise<string> {
  const res = await sandbox.app.request(`${INSTANCE}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    }).toString(),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export const newContact = (overrides: Partial<NewContact> = {}): NewContact => ({
  phone: '+14155550100',
  firstName: 'Kaylah',
  lastName: 'Mills',
  email: null,
  ownerId: null,
  properties: {},
  ...overrides,
});

export const callLog = (contact: CrmRef, overrides: Partial<CallLog> = {}): CallLog => ({
  externalId: 'call_01HZX',
  contact,
  deal: null,
  ownerId: null,
  direction: 'inbound',
  outcome: 'answered',
  startedAt: '2026-11-22T11:40:00.000Z',
  durationSeconds: 184,
  recordingUrl: 'https://calls.example/rec/01HZX.mp3',
  title: 'Inbound call: kitchen remodel (score 86)',
  body: '<p>Wants a kitchen remodel within 3 months.</p><p>Budget $40k.</p>',
  properties: {},
  ...overrides,
});
