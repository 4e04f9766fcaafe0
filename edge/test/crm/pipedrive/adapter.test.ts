import { describe, expect, it } from 'vitest';
import { createPipedriveAdapter } from '../../../src/crm/pipedrive';
import { CrmError, type CrmRef } from '../../../src/crm/port';
import { SANDBOX_DO_NOT_CALL_FIELD } from '../../../src/sandbox/pipedrive';
import { BASE, callLog, newContact, pipedriveWorld } from './support';

// The Pipedrive adapter against the sandbox: every port method, idempotency, and how failures are
// classified for the sync engine.

async function caught(work: Promise<unknown>): Promise<CrmError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof CrmError) return err;
    throw err;
  }
  throw new Error('expected a CrmError');
}

const personRef = (id: number): CrmRef => ({ crm: 'pipedrive', type: 'person', id: String(id), url: null });
const task = (contact: CrmRef, deal: CrmRef | null = null) => ({
  externalId: 'call_01HZX',
  contact,
  deal,
  ownerId: null,
  subject: 'Call back: missed call',
  body: 'Missed inbound call from a new caller.',
  dueAt: '2026-11-22T12:15:00.000Z',
  priority: 'high' as const,
});

describe('persons', () => {
  it('creates the caller as a person with the E.164 number, named by the number when unknown', async () => {
    const { adapter, sandbox } = await pipedriveWorld({
      personFields: [{ key: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0', name: 'Lead score', field_type: 'double' }],
    });
    const named = await adapter.createContact(
      newContact({ email: 'k@example.com', properties: { a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0: '86' } }),
    );
    expect(named).toEqual({ crm: 'pipedrive', type: 'person', id: '1', url: `${BASE}/person/1` });
    expect(await sandbox.item('person', 1)).toMatchObject({
      name: 'Kaylah Mills',
      owner_id: 1,
      phones: [{ value: '+14155550100', primary: true, label: 'work' }],
      emails: [{ value: 'k@example.com', primary: true, label: 'work' }],
      custom_fields: { a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0: 86 },
    });
    const anonymous = await adapter.createContact(
      newContact({ firstName: null, lastName: null, phone: '+14155550111' }),
    );
    expect(await sandbox.item('person', anonymous.id)).toMatchObject({ name: '+14155550111' });
  });

  it('finds persons whose numbers are stored in odd formats, and the ones it created', async () => {
    const { adapter, sandbox, clock } = await pipedriveWorld();
    const parens = await sandbox.createPerson({ name: 'Parens', phones: ['(415) 555-0100'] });
    clock.advance(60_000);
    const spaced = await sandbox.createPerson({
      name: 'Spaced',
      phones: ['work: 001 415 555 0100', '+1 212 555 0000'],
    });
    await sandbox.createPerson({ name: 'Someone else', phones: ['(415) 555-0199'] });
    const created = await adapter.createContact(newContact());
    const found = await adapter.findContactsByPhone('+14155550100');
    expect(found.map((c) => c.id).sort()).toEqual([String(parens), String(spaced), created.id].sort());
    expect(found).toContainEqual({
      crm: 'pipedrive',
      type: 'person',
      id: String(spaced),
      url: `${BASE}/person/${spaced}`,
      phones: ['work: 001 415 555 0100', '+1 212 555 0000'],
      ownerId: '1',
      name: 'Spaced',
      updatedAt: '2026-11-22T12:01:00.000Z',
    });
  });

  it('finds a national-format number outside North America', async () => {
    const { adapter, sandbox } = await pipedriveWorld();
    const uk = await sandbox.createPerson({ name: 'Uk', phones: ['020 7946 0958'] });
    expect((await adapter.findContactsByPhone('+442079460958')).map((c) => c.id)).toEqual([String(uk)]);
    expect(await adapter.findContactsByPhone('+442079460959')).toEqual([]);
  });

  it('does not see a person created a moment ago while the search index lags', async () => {
    const { adapter, clock } = await pipedriveWorld({ searchLagMs: 10_000 });
    await adapter.createContact(newContact());
    expect(await adapter.findContactsByPhone('+14155550100')).toEqual([]);
    clock.advance(10_000);
    expect(await adapter.findContactsByPhone('+14155550100')).toHaveLength(1);
  });

  it('reads a person by id, and null when there is none', async () => {
    const { adapter, sandbox } = await pipedriveWorld();
    const id = await sandbox.createPerson({ name: 'Kaylah', phones: ['+14155550100'] });
    expect(await adapter.getContact(String(id))).toMatchObject({
      id: String(id),
      name: 'Kaylah',
      phones: ['+14155550100'],
    });
    expect(await adapter.getContact('404')).toBeNull();
    expect(await adapter.getContact('00Q000000000000AAA')).toBeNull();
  });

  it('finds an active user by exact email', async () => {
    const { adapter } = await pipedriveWorld({
      users: [
        { name: 'Sam Owner', email: 'owner@acme.test' },
        { name: 'Rep Ruth', email: 'ruth@acme.test' },
      ],
    });
    expect(await adapter.findOwnerByEmail('Ruth@Acme.test')).toEqual({
      id: '2',
      email: 'ruth@acme.test',
      name: 'Rep Ruth',
    });
    expect(await adapter.findOwnerByEmail('ruth@acme')).toBeNull();
    expect(await adapter.findOwnerByEmail('nobody@acme.test')).toBeNull();
  });
});

describe('leads and deals', () => {
  it('creates a lead labelled by priority and finds it as the open deal', async () => {
    const { adapter, sandbox } = await pipedriveWorld();
    const person = await adapter.createContact(newContact());
    expect(await adapter.findOpenDeal(person)).toBeNull();
    const lead = await adapter.createDeal({
      name: 'Kitchen remodel',
      contact: person,
      ownerId: '1',
      priority: 'high',
      properties: {},
    });
    expect(lead).toEqual({
      crm: 'pipedrive',
      type: 'lead',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: `${BASE}/leads/inbox/${lead.id}`,
    });
    const [hot] = await sandbox.items('leadLabel');
    expect(await sandbox.item('lead', lead.id)).toMatchObject({
      title: 'Kitchen remodel',
      person_id: 1,
      owner_id: 1,
      label_ids: [hot?.id],
    });
    expect(await adapter.findOpenDeal(person)).toEqual(lead);
  });

  it('creates and finds deals instead when configured', async () => {
    const { adapter, sandbox, clock } = await pipedriveWorld({}, { useDeals: true });
    const person = await adapter.createContact(newContact());
    const first = await adapter.createDeal({
      name: 'First',
      contact: person,
      ownerId: null,
      priority: 'low',
      properties: {},
    });
    clock.advance(1000);
    const second = await adapter.createDeal({
      name: 'Second',
      contact: person,
      ownerId: null,
      priority: 'low',
      properties: {},
    });
    expect(first).toEqual({ crm: 'pipedrive', type: 'deal', id: '1', url: `${BASE}/deal/1` });
    expect(await sandbox.item('deal', second.id)).toMatchObject({ title: 'Second', person_id: 1, status: 'open' });
    expect(await adapter.findOpenDeal(person)).toEqual(second);
  });
});

describe('activities', () => {
  it('logs the call as a done activity of type call on the person and the lead', async () => {
    const { adapter, sandbox } = await pipedriveWorld();
    const person = await adapter.createContact(newContact());
    const lead = await adapter.createDeal({
      name: 'Kitchen',
      contact: person,
      ownerId: null,
      priority: 'medium',
      properties: {},
    });
    const ref = await adapter.logCall(callLog(person, { deal: lead, ownerId: '1' }));
    expect(ref).toEqual({ crm: 'pipedrive', type: 'activity', id: '1', url: `${BASE}/person/1` });
    expect(await sandbox.item('activity', 1)).toMatchObject({
      type: 'call',
      subject: 'Inbound call: kitchen remodel (score 86)',
      person_id: 1,
      lead_id: lead.id,
      deal_id: null,
      owner_id: 1,
      due_date: '2026-11-22',
      due_time: '11:40',
      duration: '00:03',
      done: true,
      note:
        '<p>Wants a kitchen remodel within 3 months.</p><p>Budget $40k.</p>' +
        '<p><a href="https://calls.example/rec/01HZX.mp3">Listen to the recording</a></p>' +
        '<p><small>[callsight:call:call_01HZX]</small></p>',
    });
  });

  it('returns the same activity when the call is logged again', async () => {
    const { adapter, sandbox } = await pipedriveWorld({}, { useDeals: true });
    const person = await adapter.createContact(newContact());
    const deal = await adapter.createDeal({
      name: 'Deal',
      contact: person,
      ownerId: null,
      priority: 'low',
      properties: {},
    });
    const first = await adapter.logCall(callLog(person, { deal }));
    expect(await adapter.logCall(callLog(person, { deal }))).toEqual(first);
    expect(await sandbox.items('activity')).toEqual([expect.objectContaining({ deal_id: 1, lead_id: null })]);
    await adapter.logCall(callLog(person, { externalId: 'call_other', outcome: 'in_progress' }));
    expect((await sandbox.items('activity')).map((a) => a.done)).toEqual([true, false]);
  });

  it('creates a follow-up as an open task activity, once', async () => {
    const { adapter, sandbox } = await pipedriveWorld({}, { taskActivityType: 'call' });
    const person = await adapter.createContact(newContact());
    const call = await adapter.logCall(callLog(person));
    const first = await adapter.createTask(task(person));
    expect(first.id).not.toBe(call.id);
    expect(await adapter.createTask(task(person))).toEqual(first);
    expect(await sandbox.item('activity', first.id)).toMatchObject({
      type: 'call',
      subject: 'Call back: missed call',
      done: false,
      due_date: '2026-11-22',
      due_time: '12:15',
      note: '<p>Missed inbound call from a new caller.</p><p><small>[callsight:task:call_01HZX]</small></p>',
    });
    expect(await sandbox.items('activity')).toHaveLength(2);
  });
});

describe('do not call', () => {
  it('sets the configured person field (and marketing status when asked)', async () => {
    const { adapter, sandbox } = await pipedriveWorld(
      { campaigns: true },
      { doNotCall: { personFieldKey: SANDBOX_DO_NOT_CALL_FIELD.key, value: 31, unsubscribeFromMarketing: true } },
    );
    const person = await adapter.createContact(newContact());
    await adapter.setDoNotCall(person);
    expect(await sandbox.item('person', person.id)).toMatchObject({
      custom_fields: { [SANDBOX_DO_NOT_CALL_FIELD.key]: 31 },
      marketing_status: 'unsubscribed',
    });
  });

  it('pins one note on the person when no field is configured', async () => {
    const { adapter, sandbox } = await pipedriveWorld();
    const person = await adapter.createContact(newContact());
    await adapter.setDoNotCall(person);
    await adapter.setDoNotCall(person);
    expect(await sandbox.items('note')).toEqual([
      expect.objectContaining({
        person_id: 1,
        pinned_to_person_flag: true,
        content: expect.stringContaining('[callsight:do-not-call]'),
      }),
    ]);
  });

  it("fails permanently with Pipedrive's message when the field option is wrong", async () => {
    const { adapter } = await pipedriveWorld(
      {},
      { doNotCall: { personFieldKey: SANDBOX_DO_NOT_CALL_FIELD.key, value: 'yes' } },
    );
    const person = await adapter.createContact(newContact());
    expect(await caught(adapter.setDoNotCall(person))).toMatchObject({
      kind: 'permanent',
      status: 400,
      crmMessage: 'Invalid option for the field "Do not call": yes',
    });
  });
});

describe('connection and failure classification', () => {
  it('names the company on a good token and reports a bad one', async () => {
    const { adapter } = await pipedriveWorld();
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      account: 'Callsight Sandbox Ltd (callsight-sandbox)',
      message: 'Connected as Sam Owner',
    });
    const { adapter: wrong } = await pipedriveWorld({}, { apiToken: 'regenerated-elsewhere' });
    expect(await wrong.testConnection()).toEqual({ ok: false, account: null, message: 'unauthorized access' });
    expect(await caught(wrong.createContact(newContact()))).toMatchObject({
      kind: 'permanent',
      status: 401,
      crmMessage: 'unauthorized access',
    });
  });

  it('treats the 2-second burst limit as retryable after the window the headers name', async () => {
    const { adapter, clock } = await pipedriveWorld({ burstLimit: 2 });
    await adapter.testConnection();
    clock.advance(500);
    await adapter.testConnection();
    const err = await caught(adapter.findOwnerByEmail('owner@sandbox.callsight.test'));
    expect(err).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 2000,
      crmMessage: 'Rate limit exceeded',
    });
    clock.advance(2000);
    expect(await adapter.findOwnerByEmail('owner@sandbox.callsight.test')).not.toBeNull();
  });

  it('honours Retry-After on a 429 storm', async () => {
    const { adapter, sandbox } = await pipedriveWorld();
    sandbox.faults.add({
      path: '/api/v2/persons/search',
      times: 3,
      respond: {
        status: 429,
        headers: { 'retry-after': '7' },
        body: { success: false, error: 'Too many requests', errorCode: 429 },
      },
    });
    for (let i = 0; i < 3; i++) {
      expect(await caught(adapter.findContactsByPhone('+14155550100'))).toMatchObject({
        kind: 'retryable',
        retryAfterMs: 7000,
      });
    }
    expect(await adapter.findContactsByPhone('+14155550100')).toEqual([]);
  });

  it('treats an exhausted daily token budget as daily_limit until after the next UTC midnight', async () => {
    const { adapter, sandbox } = await pipedriveWorld({ dailyTokenBudget: 1000 });
    await sandbox.setTokensUsed(1000);
    const err = await caught(adapter.createContact(newContact()));
    // The manual clock reads 2026-11-22T12:00Z: twelve hours to midnight, plus five minutes' slack.
    expect(err).toMatchObject({ kind: 'daily_limit', status: 429, retryAfterMs: 12 * 3600_000 + 5 * 60_000 });
    expect(err.crmMessage).toContain('Daily API token budget exceeded');
  });

  it('treats 5xx as retryable and 403 feature limits as permanent with their code', async () => {
    const { adapter, sandbox } = await pipedriveWorld({}, { useDeals: true });
    const person = await adapter.createContact(newContact());
    sandbox.faults.add({
      path: '/api/v2/deals',
      method: 'POST',
      times: 1,
      respond: { status: 502, body: '<html>Bad gateway</html>' },
    });
    expect(
      await caught(adapter.createDeal({ name: 'D', contact: person, ownerId: null, priority: 'low', properties: {} })),
    ).toMatchObject({
      kind: 'retryable',
      status: 502,
      crmMessage: '<html>Bad gateway</html>',
    });
    sandbox.faults.add({
      path: '/api/v2/deals',
      method: 'POST',
      times: 1,
      respond: {
        status: 403,
        body: {
          success: false,
          error: "Couldn't add the deal. Open deals limit reached.",
          code: 'feature_capping_deals_limit',
        },
      },
    });
    expect(
      await caught(adapter.createDeal({ name: 'D', contact: person, ownerId: null, priority: 'low', properties: {} })),
    ).toMatchObject({
      kind: 'permanent',
      status: 403,
      code: 'feature_capping_deals_limit',
      crmMessage: "Couldn't add the deal. Open deals limit reached.",
    });
  });

  it("fails validation permanently with Pipedrive's own error text", async () => {
    const { adapter } = await pipedriveWorld();
    expect(await caught(adapter.createContact(newContact({ properties: { not_a_field: 'x' } })))).toMatchObject({
      kind: 'permanent',
      status: 400,
      crmMessage: 'Unknown custom field key: not_a_field',
    });
    expect(await caught(adapter.logCall(callLog(personRef(999))))).toMatchObject({
      kind: 'permanent',
      crmMessage: 'Person with id 999 not found',
    });
  });

  it('treats a hung answer as a retryable timeout and a failed connection as retryable', async () => {
    const { adapter, sandbox } = await pipedriveWorld({}, { timeoutMs: 50 });
    sandbox.faults.add({ path: '/api/v1/users/find', hang: true, hangMs: 2000 });
    expect(await caught(adapter.findOwnerByEmail('owner@sandbox.callsight.test'))).toMatchObject({
      kind: 'retryable',
      code: 'TIMEOUT',
      status: null,
    });
    const offline = createPipedriveAdapter({
      baseUrl: BASE,
      apiToken: 'x',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(await caught(offline.getContact('1'))).toMatchObject({ kind: 'retryable', code: 'NETWORK' });
  });
});
