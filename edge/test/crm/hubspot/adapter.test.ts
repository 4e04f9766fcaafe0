import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalisePhone } from '@callsight/shared';
import { CALL_DISPOSITION } from '../../../src/crm/hubspot';
import type { CallLog, CrmRef, NewTask } from '../../../src/crm/port';
import { DEFAULT_SANDBOX_OWNERS } from '../../../src/sandbox/hubspot';
import { hubspotApi, hubspotHarness, newContact, type Harness } from './support/harness';

let h: Harness;
beforeEach(async () => {
  h = await hubspotHarness();
  await h.adapter.setupProperties();
});
afterEach(() => h.close());

const [topManager, alex] = DEFAULT_SANDBOX_OWNERS as [
  (typeof DEFAULT_SANDBOX_OWNERS)[0],
  (typeof DEFAULT_SANDBOX_OWNERS)[0],
];

const callLog = (contact: CrmRef, deal: CrmRef | null, extra: Partial<CallLog> = {}): CallLog => ({
  externalId: 'call_01JD7Z',
  contact,
  deal,
  ownerId: alex.id,
  direction: 'inbound',
  outcome: 'answered',
  startedAt: '2026-11-22T15:02:03Z',
  durationSeconds: 184,
  recordingUrl: 'https://recordings.example.com/call_01JD7Z.mp3',
  title: 'Inbound call: kitchen remodel (score 86)',
  body: '<p>Wants a kitchen remodel within 3 months, budget $40k.</p>',
  properties: { callsight_lead_score: '86', callsight_band: 'high' },
  ...extra,
});

const task = (contact: CrmRef, deal: CrmRef | null): NewTask => ({
  externalId: 'call_01JD7Z:callback',
  contact,
  deal,
  ownerId: topManager.id,
  subject: 'Call back Dana Caller',
  body: 'Missed inbound call at 15:02.',
  dueAt: '2026-11-22T15:45:00Z',
  priority: 'high',
});

/** Creates a contact the way a person would in HubSpot: the phone as typed. */
async function typedContact(properties: Record<string, string>): Promise<string> {
  const res = await hubspotApi<{ id: string }>(h, 'POST', '/crm/v3/objects/contacts', { properties });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('setupProperties', () => {
  it('creates the Callsight properties once and finds them there on the next run', async () => {
    const again = await h.adapter.setupProperties();
    expect(again.created).toEqual([]);
    expect(again.existing).toEqual(
      expect.arrayContaining([
        'contacts.callsight_lead_score',
        'contacts.callsight_do_not_call',
        'calls.callsight_call_id',
        'deals.callsight_band',
      ]),
    );
    const prop = await hubspotApi<{ type: string; groupName: string }>(
      h,
      'GET',
      '/crm/v3/properties/contacts/callsight_lead_score',
    );
    expect(prop.body).toMatchObject({ type: 'number', groupName: 'callsight' });
  });
});

describe('contacts', () => {
  it('creates a contact and reads it back by id, with a record link', async () => {
    const ref = await h.adapter.createContact(
      newContact('+13036231131', {
        email: 'dana@example.com',
        ownerId: alex.id,
        properties: { callsight_intent: 'kitchen_remodel' },
      }),
    );
    expect(ref).toMatchObject({ crm: 'hubspot', type: 'contact' });
    expect(ref.url).toBe(`https://app.hubspot.com/contacts/${h.sandbox.portalId}/record/0-1/${ref.id}`);
    const contact = await h.adapter.getContact(ref.id);
    expect(contact).toMatchObject({
      id: ref.id,
      phones: ['+13036231131'],
      name: 'Dana Caller',
      ownerId: alex.id,
      updatedAt: '2026-11-22T15:30:00.000Z',
    });
    const stored = await h.sandbox.record('contacts', ref.id);
    expect(stored?.properties).toMatchObject({ email: 'dana@example.com', callsight_intent: 'kitchen_remodel' });
  });

  it('returns null for a contact that does not exist', async () => {
    expect(await h.adapter.getContact('999999')).toBeNull();
  });

  it('returns the existing contact when the email is already taken (409 "Existing ID")', async () => {
    const first = await h.adapter.createContact(newContact('+13036231131', { email: 'dana@example.com' }));
    const second = await h.adapter.createContact(newContact('+13035550199', { email: 'DANA@example.com' }));
    expect(second.id).toBe(first.id);
  });

  it('finds contacts whose numbers were typed in other formats, and only those', async () => {
    const typed = ['(303) 623-1131', '303.623.1131', '+1 303 623 1131', '13036231131', '3036231131'];
    const ids = [];
    for (const phone of typed) ids.push(await typedContact({ phone, firstname: phone }));
    ids.push(await typedContact({ mobilephone: '+13036231131', firstname: 'mobile' }));
    await typedContact({ phone: '(303) 623-1132', firstname: 'neighbour' });
    h.clock.advance(2_000);

    const found = await h.adapter.findContactsByPhone('+13036231131');
    expect(found.map((c) => c.id).sort()).toEqual(ids.sort());
    // The caller compares E.164 locally: every candidate's stored phone normalises to the number.
    for (const c of found) {
      expect(c.phones.map((p) => normalisePhone(p, 'US').e164)).toContain('+13036231131');
    }
    expect(h.sandbox.requests.filter((r) => r.path.endsWith('/search'))).toHaveLength(1);
  });

  it('finds a mobile number typed by hand in a common format', async () => {
    const typed = ['(303) 623-1131', '303-623-1131', '+1 (303) 623-1131'];
    const ids = [];
    for (const mobilephone of typed) ids.push(await typedContact({ mobilephone, firstname: mobilephone }));
    await typedContact({ mobilephone: '(303) 623-1132', firstname: 'neighbour' });
    h.clock.advance(2_000);
    const found = await h.adapter.findContactsByPhone('+13036231131');
    expect(found.map((c) => c.id).sort()).toEqual(ids.sort());
  });

  it('finds numbers of other countries typed nationally', async () => {
    const h2 = await hubspotHarness({ sandbox: { defaultCountry: 'UA' } });
    const res = await hubspotApi<{ id: string }>(h2, 'POST', '/crm/v3/objects/contacts', {
      properties: { phone: '050 123 4567' },
    });
    h2.clock.advance(2_000);
    expect((await h2.adapter.findContactsByPhone('+380501234567')).map((c) => c.id)).toEqual([res.body.id]);
    h2.close();
  });

  it('does not find a just-created contact by search until the index catches up, but does by id', async () => {
    const ref = await h.adapter.createContact(newContact('+13036231131'));
    expect(await h.adapter.findContactsByPhone('+13036231131')).toEqual([]);
    expect(await h.adapter.getContact(ref.id)).not.toBeNull();
    h.clock.advance(1_999);
    expect(await h.adapter.findContactsByPhone('+13036231131')).toEqual([]);
    h.clock.advance(1);
    expect((await h.adapter.findContactsByPhone('+13036231131')).map((c) => c.id)).toEqual([ref.id]);
  });

  it('reports several matches with their update times so the caller can pick the latest', async () => {
    const older = await typedContact({ phone: '(303) 623-1131' });
    h.clock.advance(60_000);
    const newer = await typedContact({ phone: '+13036231131' });
    h.clock.advance(2_000);
    const found = await h.adapter.findContactsByPhone('+13036231131');
    const byId = new Map(found.map((c) => [c.id, c.updatedAt]));
    expect(Date.parse(byId.get(newer) ?? '')).toBeGreaterThan(Date.parse(byId.get(older) ?? ''));
  });
});

describe('owners', () => {
  it('finds an owner by email, whatever its case, and null for a stranger', async () => {
    expect(await h.adapter.findOwnerByEmail('ALEX.rep@callsight.test')).toEqual({
      id: alex.id,
      email: alex.email,
      name: 'Alex Rep',
    });
    expect(await h.adapter.findOwnerByEmail('nobody@callsight.test')).toBeNull();
  });
});

describe('deals', () => {
  it('creates a deal in the default pipeline, associated with the contact', async () => {
    const contact = await h.adapter.createContact(newContact('+13036231131'));
    const deal = await h.adapter.createDeal({
      name: 'Dana Caller: kitchen remodel',
      contact,
      ownerId: topManager.id,
      priority: 'high',
      properties: { callsight_utm_source: 'google' },
    });
    expect(deal.url).toBe(`https://app.hubspot.com/contacts/${h.sandbox.portalId}/record/0-3/${deal.id}`);
    const stored = await h.sandbox.record('deals', deal.id);
    expect(stored?.properties).toMatchObject({
      dealname: 'Dana Caller: kitchen remodel',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      hs_priority: 'high',
      hubspot_owner_id: topManager.id,
      callsight_utm_source: 'google',
      hs_is_closed: 'false',
    });
    expect(stored?.associations).toEqual([
      { toType: 'contacts', toId: contact.id, category: 'HUBSPOT_DEFINED', typeId: 3 },
    ]);
  });

  it("finds the contact's most recently changed open deal and skips closed ones", async () => {
    const contact = await h.adapter.createContact(newContact('+13036231131'));
    expect(await h.adapter.findOpenDeal(contact)).toBeNull();
    const deal = (name: string) =>
      h.adapter.createDeal({ name, contact, ownerId: null, priority: 'medium', properties: {} });
    const first = await deal('first');
    h.clock.advance(1_000);
    const second = await deal('second');
    expect((await h.adapter.findOpenDeal(contact))?.id).toBe(second.id);

    h.clock.advance(1_000);
    const won = await hubspotApi(h, 'PATCH', `/crm/v3/objects/deals/${second.id}`, {
      properties: { dealstage: 'closedwon' },
    });
    expect(won.status).toBe(200);
    expect((await h.adapter.findOpenDeal(contact))?.id).toBe(first.id);

    await hubspotApi(h, 'PATCH', `/crm/v3/objects/deals/${first.id}`, { properties: { dealstage: 'closedlost' } });
    expect(await h.adapter.findOpenDeal(contact)).toBeNull();
  });
  it("reads the pipeline's closed stages when a deal does not say whether it is closed", async () => {
    // A portal whose deals lack hs_is_closed: strip it from batch reads on the way back.
    const h2 = await hubspotHarness({
      wrapFetch: (inner) => async (input, init) => {
        const res = await inner(input, init);
        if (!String(input).endsWith('/batch/read')) return res;
        const body = (await res.json()) as { results: { properties: Record<string, string> }[] };
        for (const r of body.results) delete r.properties.hs_is_closed;
        return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
      },
    });
    const contact = await h2.adapter.createContact(newContact('+13036231131'));
    const open = await h2.adapter.createDeal({ name: 'open', contact, ownerId: null, priority: 'low', properties: {} });
    h2.clock.advance(1_000);
    await h2.adapter.createDeal({
      name: 'lost',
      contact,
      ownerId: null,
      priority: 'low',
      properties: { dealstage: 'closedlost' },
    });
    expect((await h2.adapter.findOpenDeal(contact))?.id).toBe(open.id);
    expect(h2.sandbox.requests.filter((r) => r.path === '/crm/v3/pipelines/deals')).toHaveLength(1);
    h2.close();
  });
});

describe('calls', () => {
  it('logs an answered call with its recording, body, direction and duration in ms on contact and deal', async () => {
    const contact = await h.adapter.createContact(newContact('+13036231131'));
    const deal = await h.adapter.createDeal({ name: 'd', contact, ownerId: null, priority: 'low', properties: {} });
    const call = await h.adapter.logCall(callLog(contact, deal));
    expect(call).toMatchObject({ crm: 'hubspot', type: 'call' });
    expect(call.url).toBe(contact.url);

    const stored = await h.sandbox.record('calls', call.id);
    expect(stored?.properties).toMatchObject({
      hs_timestamp: '2026-11-22T15:02:03.000Z',
      hs_call_title: 'Inbound call: kitchen remodel (score 86)',
      hs_call_body: '<p>Wants a kitchen remodel within 3 months, budget $40k.</p>',
      hs_call_direction: 'INBOUND',
      hs_call_duration: '184000',
      hs_call_recording_url: 'https://recordings.example.com/call_01JD7Z.mp3',
      hs_call_status: 'COMPLETED',
      hs_call_disposition: CALL_DISPOSITION.connected,
      hubspot_owner_id: alex.id,
      callsight_call_id: 'call_01JD7Z',
      callsight_lead_score: '86',
    });
    expect(stored?.associations).toEqual(
      expect.arrayContaining([
        { toType: 'contacts', toId: contact.id, category: 'HUBSPOT_DEFINED', typeId: 194 },
        { toType: 'deals', toId: deal.id, category: 'HUBSPOT_DEFINED', typeId: 206 },
      ]),
    );
  });

  it.each([
    ['inbound', 'missed', 'MISSED', CALL_DISPOSITION.noAnswer],
    ['outbound', 'missed', 'NO_ANSWER', CALL_DISPOSITION.noAnswer],
    ['inbound', 'voicemail', 'MISSED', CALL_DISPOSITION.noAnswer],
    ['outbound', 'voicemail', 'COMPLETED', CALL_DISPOSITION.leftVoicemail],
  ] as const)('logs an %s %s call as %s', async (direction, outcome, status, disposition) => {
    const contact = await h.adapter.createContact(newContact('+13036231131'));
    const call = await h.adapter.logCall(
      callLog(contact, null, { direction, outcome, durationSeconds: null, recordingUrl: null, ownerId: null }),
    );
    const stored = await h.sandbox.record('calls', call.id);
    expect(stored?.properties).toMatchObject({ hs_call_status: status, hs_call_disposition: disposition });
    expect(stored?.properties).not.toHaveProperty('hs_call_duration');
    expect(stored?.associations.map((a) => a.typeId)).toEqual([194]);
  });
});

describe('tasks', () => {
  it('creates a not-started call task due at the given time, for the owner, on contact and deal', async () => {
    const contact = await h.adapter.createContact(newContact('+13036231131'));
    const deal = await h.adapter.createDeal({ name: 'd', contact, ownerId: null, priority: 'low', properties: {} });
    const ref = await h.adapter.createTask(task(contact, deal));
    expect(ref.type).toBe('task');
    const stored = await h.sandbox.record('tasks', ref.id);
    expect(stored?.properties).toMatchObject({
      hs_task_subject: 'Call back Dana Caller',
      hs_task_body: 'Missed inbound call at 15:02.',
      hs_timestamp: '2026-11-22T15:45:00.000Z',
      hs_task_priority: 'HIGH',
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'CALL',
      hubspot_owner_id: topManager.id,
      callsight_task_id: 'call_01JD7Z:callback',
    });
    expect(stored?.associations.map((a) => a.typeId).sort()).toEqual([204, 216]);
  });
});

describe('do not call', () => {
  it('sets the opt-out property on the contact', async () => {
    const contact = await h.adapter.createContact(newContact('+13036231131'));
    await h.adapter.setDoNotCall(contact);
    expect((await h.sandbox.record('contacts', contact.id))?.properties.callsight_do_not_call).toBe('true');
  });
});

describe('testConnection', () => {
  it('names the portal the token reaches', async () => {
    expect(await h.adapter.testConnection()).toEqual({
      ok: true,
      account: String(h.sandbox.portalId),
      message: `Connected to HubSpot account ${h.sandbox.portalId} (UTC)`,
    });
  });

  it("fails with HubSpot's own message for a bad token", async () => {
    const bad = await hubspotHarness({ adapter: { token: 'pat-na1-wrong' } });
    const check = await bad.adapter.testConnection();
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/^Authentication credentials not found/);
    bad.close();
  });

  it('uses a configured portal id without asking account-info', async () => {
    const h2 = await hubspotHarness({ adapter: { portalId: 777 } });
    const ref = await h2.adapter.createContact(newContact('+13036231131'));
    expect(ref.url).toBe(`https://app.hubspot.com/contacts/777/record/0-1/${ref.id}`);
    expect(h2.sandbox.requests.map((r) => r.path)).toEqual(['/crm/v3/objects/contacts']);
    h2.close();
  });
});
