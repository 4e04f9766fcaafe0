import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotAdapter } from '../../../src/crm/hubspot';
import type { FetchLike } from '../../../src/crm/hubspot/http';
import { RequestCoalescer } from '../../../src/sync/request-coalescer';
import { contractCheckingFetch, type CheckedExchange } from './support/contract-fetch';
import { findOperation, loadHubspotContracts, responseSchema, validate, type OpenApiDocument } from './support/openapi';
import { hubspotHarness, newContact, SANDBOX_BASE, type Harness } from './support/harness';

// HubSpot's official OpenAPI documents (../shared/contracts/hubspot) against what the sandbox
// answers and what the adapter sends, over one full sync plus the reads an official client makes.
const docs: Map<string, OpenApiDocument> = loadHubspotContracts();
const exchanges: CheckedExchange[] = [];
let h: Harness;
let checked: FetchLike;

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await checked(`${SANDBOX_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token ?? h.sandbox.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  h = await hubspotHarness({
    wrapFetch: (inner) =>
      (checked = contractCheckingFetch(inner, docs, new URL(SANDBOX_BASE).pathname.replace(/\/$/, ''), exchanges)),
  });
  const { adapter, clock } = h;
  await adapter.setupProperties();
  await adapter.setupProperties(); // the 409s too
  await adapter.testConnection();
  const owner = await adapter.findOwnerByEmail('alex.rep@callsight.test');
  const contact = await adapter.createContact(
    newContact('+13036231131', { email: 'dana@example.com', ownerId: owner?.id ?? null }),
  );
  await adapter.getContact(contact.id);
  await adapter.getContact('404404');
  expect(await adapter.findOpenDeal(contact)).toBeNull();
  const deal = await adapter.createDeal({ name: 'Kitchen', contact, ownerId: null, priority: 'high', properties: {} });
  expect(await adapter.findOpenDeal(contact)).toEqual(deal);
  const callRef = await adapter.logCall({
    externalId: 'call_contract',
    contact,
    deal,
    ownerId: owner?.id ?? null,
    direction: 'inbound',
    outcome: 'answered',
    startedAt: '2026-11-22T15:00:00Z',
    durationSeconds: 42,
    recordingUrl: 'https://recordings.example.com/c.mp3',
    title: 'Inbound call',
    body: 'Summary',
    properties: {},
  });
  const taskRef = await adapter.createTask({
    externalId: 'task_contract',
    contact,
    deal,
    ownerId: null,
    subject: 'Call back',
    body: 'Missed call',
    dueAt: '2026-11-22T15:15:00Z',
    priority: 'medium',
  });
  await adapter.setDoNotCall(contact);

  // Calls of several syncs at once go as one batch create; a batch with a bad call is refused whole.
  const coalescer = new RequestCoalescer();
  const batching = createHubspotAdapter({
    baseUrl: SANDBOX_BASE,
    token: h.sandbox.token,
    fetch: checked,
    clock,
    portalId: 1,
    coalesce: (what, item, many, maxBatch) => coalescer.run(what, item, many, maxBatch),
  });
  const batchCall = (externalId: string, startedAt = '2026-11-22T15:05:00Z') =>
    batching.logCall({
      externalId,
      contact,
      deal: null,
      ownerId: null,
      direction: 'outbound',
      outcome: 'missed',
      startedAt,
      durationSeconds: 0,
      recordingUrl: null,
      title: 'Outbound call',
      body: 'No answer',
      properties: {},
    });
  await Promise.all([batchCall('call_batch_1'), batchCall('call_batch_2')]);
  await Promise.allSettled([batchCall('call_batch_3'), batchCall('call_batch_bad', 'not a time')]);
  clock.advance(2_000);
  expect((await adapter.findContactsByPhone('+13036231131')).map((c) => c.id)).toEqual([contact.id]);

  // What an official client reads back, and the error answers.
  await call(
    'GET',
    `/crm/v3/objects/calls/${callRef.id}?properties=hs_call_body,hs_call_duration&associations=contacts`,
  );
  await call('GET', `/crm/v3/objects/tasks/${taskRef.id}?properties=hs_task_subject`);
  for (const [type, property, value] of [
    ['calls', 'callsight_call_id', 'call_contract'],
    ['tasks', 'callsight_task_id', 'task_contract'],
  ] as const) {
    const found = await call('POST', `/crm/v3/objects/${type}/search`, {
      filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ', value }] }],
      properties: [property],
      sorts: [],
      limit: 10,
      after: '0',
    });
    expect(found.body.total).toBe(1);
  }
  await call('GET', `/crm/v3/objects/deals/${deal.id}?associations=contacts`);
  await call('GET', '/crm/v3/objects/contacts?limit=5&properties=phone');
  await call('GET', '/crm/v3/pipelines/deals');
  await call('GET', '/crm/v3/properties/calls');
  await call('GET', '/crm/v3/properties/calls/groups');
  const missingTimestamp = await call('POST', '/crm/v3/objects/calls', {
    properties: { hs_call_title: 'x' },
    associations: [],
  });
  expect(missingTimestamp.status).toBe(400);
  expect((await call('GET', '/crm/v3/owners', undefined, 'pat-na1-wrong')).status).toBe(401);
});
afterAll(() => h.close());

describe('HubSpot OpenAPI contracts', () => {
  it('every exchange on a documented endpoint matches its request and response schema', () => {
    const broken = exchanges.filter((e) => e.requestErrors.length > 0 || e.responseErrors.length > 0);
    expect(broken).toEqual([]);
  });

  it('covers create, batch create, read and search of contacts, calls and tasks, and the other endpoints the adapter uses', () => {
    const covered = new Set(exchanges.map((e) => `${e.operation} ${e.status}`));
    const expected = [
      'contacts.json POST /crm/v3/objects/contacts 201',
      'contacts.json GET /crm/v3/objects/contacts/{contactId} 200',
      'contacts.json GET /crm/v3/objects/contacts/{contactId} 404',
      'contacts.json POST /crm/v3/objects/contacts/search 200',
      'contacts.json PATCH /crm/v3/objects/contacts/{contactId} 200',
      'contacts.json GET /crm/v3/objects/contacts 200',
      'calls.json POST /crm/v3/objects/calls 201',
      'calls.json POST /crm/v3/objects/calls 400',
      'calls.json POST /crm/v3/objects/calls/batch/create 201',
      'calls.json POST /crm/v3/objects/calls/batch/create 400',
      'calls.json GET /crm/v3/objects/calls/{callId} 200',
      'calls.json POST /crm/v3/objects/calls/search 200',
      'tasks.json POST /crm/v3/objects/tasks 201',
      'tasks.json GET /crm/v3/objects/tasks/{taskId} 200',
      'tasks.json POST /crm/v3/objects/tasks/search 200',
      'deals.json POST /crm/v3/objects/0-3 201',
      'deals.json GET /crm/v3/objects/0-3/{dealId} 200',
      'deals.json POST /crm/v3/objects/0-3/batch/read 200',
      'associations.json GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType} 200',
      'owners.json GET /crm/v3/owners 200',
      'owners.json GET /crm/v3/owners 401',
      'properties.json POST /crm/v3/properties/{objectType} 201',
      'properties.json POST /crm/v3/properties/{objectType} 409',
      'properties.json POST /crm/v3/properties/{objectType}/groups 201',
      'properties.json GET /crm/v3/properties/{objectType} 200',
      'properties.json GET /crm/v3/properties/{objectType}/groups 200',
      'pipelines.json GET /crm/v3/pipelines/{objectType} 200',
    ];
    expect([...covered]).toEqual(expect.arrayContaining(expected));
  });

  it('leaves unchecked only account-info, which has no document among the contracts', () => {
    const unchecked = new Set(exchanges.filter((e) => e.operation === null).map((e) => e.path));
    expect([...unchecked]).toEqual(['/account-info/v3/details']);
  });

  it('the checker itself rejects a body that breaks the schema', () => {
    const op = findOperation(docs, 'GET', '/crm/v3/objects/contacts/123');
    expect(op?.template).toBe('/crm/v3/objects/contacts/{contactId}');
    const schema = op && responseSchema(op, 200);
    if (!op || !schema) throw new Error('no schema');
    expect(validate(op.doc, schema, { id: 1, properties: { phone: null }, createdAt: 'yesterday' })).toEqual([
      '$.archived: required',
      '$.updatedAt: required',
      '$.id: expected a string, got number',
      '$.properties.phone: null is not allowed',
      '$.createdAt: not a date-time: yesterday',
    ]);
  });
});
