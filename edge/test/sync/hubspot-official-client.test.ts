import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@hubspot/api-client';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json } from '../support/test-app';
import { kitchen, syncWorld, type SyncView, type SyncWorld } from './support';

// The whole product path (signed CallRail webhook → analysis → sync job) into the HubSpot sandbox,
// read back over real HTTP by HubSpot's own Node client with `basePath`, as DESIGN.md §6 asks: what
// the sync wrote must be what an official client sees.
const TOP_MANAGER = '75000001';

let w: SyncWorld;
let server: ServerType;
let hubspot: Client;

beforeEach(async () => {
  w = await syncWorld();
  const app = new Hono();
  app.route('/sandbox/hubspot', w.hubspot.app);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const basePath = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/hubspot`;
  hubspot = new Client({ accessToken: w.hubspot.token, basePath });
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  w.close();
});

interface CallView {
  analysis: { summary: string; leadScore: number; band: string } | null;
  sync: SyncView[];
}

async function callView(id: string): Promise<CallView> {
  const res = await w.call('GET', `/v1/calls/${id}`, w.a.rep);
  expect(res.status).toBe(200);
  return json<CallView>(res);
}

/** The HubSpot records a synced call's ledger names, by step (`contact`, `deal`, `call`, `task:callback`…). */
function hubspotSteps(view: CallView): Record<string, string> {
  const sync = view.sync.find((s) => s.crm === 'hubspot');
  expect(sync).toMatchObject({ status: 'synced', lastError: null });
  return Object.fromEntries(sync!.records.map((r) => [r.step, r.id]));
}

/** Every object of `toType` associated with the record, as `id:typeId` pairs, through the v4 API. */
async function associated(fromType: string, id: string, toType: string): Promise<string[]> {
  const page = await hubspot.crm.associations.v4.basicApi.getPage(fromType, id, toType);
  return page.results.flatMap((r) => r.associationTypes.map((t) => `${r.toObjectId}:${t.typeId}`)).sort();
}

describe('a signed CallRail call synced by the product, read back with @hubspot/api-client', () => {
  it('finds the contact, its deal, and the call with recording, summary, score, direction and duration', async () => {
    await w.connectHubspot();
    const id = await w.webhook({
      id: 'CALOFFICIAL',
      phone: '+12148654559',
      name: 'Dana Caller',
      transcription: kitchen,
      duration: 140,
    });
    await w.settle();

    const view = await callView(id);
    expect(view.analysis).not.toBeNull();
    const analysis = view.analysis!;
    const steps = hubspotSteps(view);
    expect(steps.contact).toBeDefined();
    expect(steps.deal).toBeDefined();
    expect(steps.call).toBeDefined();

    // The contact, by the id the ledger holds.
    const contact = await hubspot.crm.contacts.basicApi.getById(steps.contact!, [
      'phone',
      'firstname',
      'lastname',
      'hubspot_owner_id',
    ]);
    expect(contact.id).toBe(steps.contact);
    expect(contact.properties).toMatchObject({
      phone: '+12148654559',
      firstname: 'Dana',
      lastname: 'Caller',
      hubspot_owner_id: TOP_MANAGER,
    });

    // The deal, found from the contact's side of the association.
    const deals = await hubspot.crm.associations.v4.basicApi.getPage('contacts', steps.contact!, 'deals');
    expect(deals.results.map((r) => r.toObjectId)).toEqual([steps.deal]);
    const deal = await hubspot.crm.deals.basicApi.getById(steps.deal!, ['dealname', 'pipeline', 'hubspot_owner_id']);
    expect(deal.properties).toMatchObject({ pipeline: 'default', hubspot_owner_id: TOP_MANAGER });
    expect(deal.properties.dealname).toContain('Dana Caller');

    // The call, through the calls API.
    const logged = await hubspot.crm.objects.calls.basicApi.getById(steps.call!, [
      'hs_call_recording_url',
      'hs_call_body',
      'hs_call_direction',
      'hs_call_duration',
      'hs_call_title',
      'hs_timestamp',
      'callsight_call_id',
    ]);
    expect(logged.properties).toMatchObject({
      hs_call_recording_url: 'https://app.callrail.com/calls/CALOFFICIAL/recording/redirect?access_key=demo',
      hs_call_direction: 'INBOUND',
      hs_call_duration: String(140 * 1000),
      callsight_call_id: id,
    });
    expect(logged.properties.hs_call_body).toContain(analysis.summary);
    expect(logged.properties.hs_call_body).toContain(`Lead score ${analysis.leadScore}/100 (${analysis.band})`);
    expect(logged.properties.hs_call_title).toContain(`${analysis.leadScore}/100`);

    // The same record through the generic objects API by object type, and its associations (v4).
    const generic = await hubspot.crm.objects.basicApi.getById('calls', steps.call!, ['hs_call_duration']);
    expect(generic.properties.hs_call_duration).toBe('140000');
    expect(await associated('calls', steps.call!, 'contacts')).toEqual([`${steps.contact}:194`]);
    expect(await associated('calls', steps.call!, 'deals')).toEqual([`${steps.deal}:206`]);
    // And from the other side: the contact and the deal each see the call.
    expect((await associated('contacts', steps.contact!, 'calls')).map((a) => a.split(':')[0])).toEqual([steps.call]);
    expect((await associated('deals', steps.deal!, 'calls')).map((a) => a.split(':')[0])).toEqual([steps.call]);
  });

  it('finds the callback task of a missed call from a new number, owned by the top manager, on the contact', async () => {
    await w.connectHubspot();
    await w.webhook({ id: 'CALANSWERED', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    const missed = await w.webhook({
      id: 'CALMISSEDNEW',
      phone: '+13035550177',
      name: 'Robin Missed',
      answered: false,
    });
    await w.settle();

    const steps = hubspotSteps(await callView(missed));
    expect(steps['task:callback']).toBeDefined();
    expect(steps.contact).toBeDefined();

    const contact = await hubspot.crm.contacts.basicApi.getById(steps.contact!, ['phone', 'firstname', 'lastname']);
    expect(contact.properties).toMatchObject({ phone: '+13035550177', firstname: 'Robin', lastname: 'Missed' });

    const task = await hubspot.crm.objects.basicApi.getById('tasks', steps['task:callback']!, [
      'hs_task_subject',
      'hs_task_status',
      'hs_task_type',
      'hubspot_owner_id',
      'hs_timestamp',
    ]);
    expect(task.properties).toMatchObject({
      hs_task_subject: 'Call back Robin Missed: missed inbound call',
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'CALL',
      hubspot_owner_id: TOP_MANAGER,
    });
    expect(await associated('tasks', steps['task:callback']!, 'contacts')).toEqual([`${steps.contact}:204`]);

    // The missed call is logged on the same, new contact, as a missed inbound call with no recording.
    const logged = await hubspot.crm.objects.calls.basicApi.getById(steps.call!, [
      'hs_call_direction',
      'hs_call_recording_url',
    ]);
    expect(logged.properties.hs_call_direction).toBe('INBOUND');
    expect(logged.properties.hs_call_recording_url ?? '').toBe('');
    expect(await associated('calls', steps.call!, 'contacts')).toEqual([`${steps.contact}:194`]);

    // Two callers, two contacts: the missed call did not land on the first caller.
    const contacts = await hubspot.crm.contacts.basicApi.getPage(100, undefined, ['phone']);
    expect(contacts.results.map((c) => c.properties.phone).sort()).toEqual(['+12148654559', '+13035550177']);
  });
});
