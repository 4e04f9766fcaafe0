import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock';
import { CALL_DISPOSITION, createHubspotAdapter, type HubspotAdapter } from '../../../src/crm/hubspot';
import type { CrmRef } from '../../../src/crm/port';
import { createHubspotSandbox, type HubspotSandbox } from '../../../src/sandbox/hubspot';

// What Callsight's adapter writes into the sandbox, read back over real HTTP by HubSpot's own
// Node client (`@hubspot/api-client` with `basePath`), as DESIGN.md §6 asks.
let server: ServerType;
let sandbox: HubspotSandbox;
let basePath: string;
let hubspot: Client;
const synced: Record<'contact' | 'deal' | 'call' | 'task', CrmRef> = {} as Record<
  'contact' | 'deal' | 'call' | 'task',
  CrmRef
>;
const clock = new ManualClock(Date.UTC(2026, 10, 22, 15, 30));

beforeAll(async () => {
  sandbox = await createHubspotSandbox({ clock });
  const app = new Hono();
  app.route('/sandbox/hubspot', sandbox.app);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  basePath = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/hubspot`;
  hubspot = new Client({ accessToken: sandbox.token, basePath });

  // The sync, through the adapter over the network like in production.
  const adapter: HubspotAdapter = createHubspotAdapter({ baseUrl: basePath, token: sandbox.token, clock });
  await adapter.setupProperties();
  const owner = await adapter.findOwnerByEmail('alex.rep@callsight.test');
  synced.contact = await adapter.createContact({
    phone: '+13036231131',
    firstName: 'Dana',
    lastName: 'Caller',
    email: 'dana@example.com',
    ownerId: owner?.id ?? null,
    properties: { callsight_lead_score: '86' },
  });
  synced.deal = await adapter.createDeal({
    name: 'Dana Caller: kitchen remodel',
    contact: synced.contact,
    ownerId: owner?.id ?? null,
    priority: 'high',
    properties: {},
  });
  synced.call = await adapter.logCall({
    externalId: 'call_sdk',
    contact: synced.contact,
    deal: synced.deal,
    ownerId: owner?.id ?? null,
    direction: 'inbound',
    outcome: 'answered',
    startedAt: '2026-11-22T15:02:03Z',
    durationSeconds: 184,
    recordingUrl: 'https://recordings.example.com/call_sdk.mp3',
    title: 'Inbound call: kitchen remodel (score 86)',
    body: '<p>Kitchen remodel, budget $40k, within 3 months.</p>',
    properties: {},
  });
  synced.task = await adapter.createTask({
    externalId: 'task_sdk',
    contact: synced.contact,
    deal: synced.deal,
    ownerId: owner?.id ?? null,
    subject: 'Call back now: hot lead',
    body: 'Score 86',
    dueAt: '2026-11-22T15:45:00Z',
    priority: 'high',
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  sandbox.close();
});

describe('@hubspot/api-client reads back what the adapter synced', () => {
  it('the contact, with its deal association', async () => {
    const contact = await hubspot.crm.contacts.basicApi.getById(
      synced.contact.id,
      ['phone', 'firstname', 'lastname', 'email', 'hubspot_owner_id', 'callsight_lead_score'],
      undefined,
      ['deals'],
    );
    expect(contact.properties).toMatchObject({
      phone: '+13036231131',
      firstname: 'Dana',
      lastname: 'Caller',
      email: 'dana@example.com',
      callsight_lead_score: '86',
    });
    expect(contact.createdAt).toEqual(new Date('2026-11-22T15:30:00.000Z'));
    expect(contact.associations?.deals?.results.map((r) => r.id)).toEqual([synced.deal.id]);
  });

  it('the deal', async () => {
    const deal = await hubspot.crm.deals.basicApi.getById(synced.deal.id, [
      'dealname',
      'pipeline',
      'dealstage',
      'hs_priority',
    ]);
    expect(deal.properties).toMatchObject({
      dealname: 'Dana Caller: kitchen remodel',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      hs_priority: 'high',
    });
  });

  it('the call, with recording, body, direction and duration in ms, on the contact', async () => {
    const call = await hubspot.crm.objects.calls.basicApi.getById(synced.call.id, [
      'hs_timestamp',
      'hs_call_recording_url',
      'hs_call_body',
      'hs_call_direction',
      'hs_call_duration',
      'hs_call_status',
      'hs_call_disposition',
    ]);
    expect(call.properties).toMatchObject({
      hs_timestamp: '2026-11-22T15:02:03.000Z',
      hs_call_recording_url: 'https://recordings.example.com/call_sdk.mp3',
      hs_call_body: '<p>Kitchen remodel, budget $40k, within 3 months.</p>',
      hs_call_direction: 'INBOUND',
      hs_call_duration: '184000',
      hs_call_status: 'COMPLETED',
      hs_call_disposition: CALL_DISPOSITION.connected,
    });
    const links = await hubspot.crm.associations.v4.basicApi.getPage('calls', synced.call.id, 'contacts');
    expect(links.results).toEqual([
      expect.objectContaining({
        toObjectId: synced.contact.id,
        associationTypes: [expect.objectContaining({ category: 'HUBSPOT_DEFINED', typeId: 194 })],
      }),
    ]);
  });

  it('the task', async () => {
    const task = await hubspot.crm.objects.tasks.basicApi.getById(synced.task.id, [
      'hs_task_subject',
      'hs_task_status',
      'hs_task_priority',
      'hs_task_type',
      'hs_timestamp',
    ]);
    expect(task.properties).toMatchObject({
      hs_task_subject: 'Call back now: hot lead',
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: 'HIGH',
      hs_task_type: 'CALL',
      hs_timestamp: '2026-11-22T15:45:00.000Z',
    });
  });

  it('the contact through search once the index caught up', async () => {
    const request = {
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'hs_searchable_calculated_phone_number',
              operator: FilterOperatorEnum.Eq,
              value: '3036231131',
            },
          ],
        },
      ],
      properties: ['phone'],
      sorts: [],
      limit: 10,
      after: '0',
    };
    expect((await hubspot.crm.contacts.searchApi.doSearch(request)).total).toBe(0);
    clock.advance(2_000);
    const found = await hubspot.crm.contacts.searchApi.doSearch(request);
    expect(found.results.map((r) => r.id)).toEqual([synced.contact.id]);
  });

  it("and gets HubSpot's 401 with a wrong token", async () => {
    const stranger = new Client({ accessToken: 'pat-na1-wrong', basePath });
    await expect(stranger.crm.owners.ownersApi.getPage()).rejects.toMatchObject({ code: 401 });
  });
});
