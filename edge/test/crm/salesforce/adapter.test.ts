import { describe, expect, it } from 'vitest';
import { CrmError, type CrmRef } from '../../../src/crm/port';
import { createSalesforceAdapter, REQUEST_LIMIT_RETRY_MS } from '../../../src/crm/salesforce';
import { callLog, INSTANCE, newContact, salesforceWorld } from './support';

// The Salesforce adapter against the sandbox: every port method, idempotency, and how failures
// are classified for the sync engine.

const view = (type: string, id: string) => `${INSTANCE}/lightning/r/${type}/${id}/view`;

async function caught(work: Promise<unknown>): Promise<CrmError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof CrmError) return err;
    throw err;
  }
  throw new Error('expected a CrmError');
}

describe('contacts', () => {
  it('creates a new caller as a Lead with the placeholder Company and a record link', async () => {
    const { adapter, sandbox } = await salesforceWorld({}, { leadCompany: 'Unknown (phone lead)' });
    const ref = await adapter.createContact(
      newContact({ lastName: null, email: 'k@example.com', properties: { Callsight_Lead_Score__c: '86' } }),
    );
    expect(ref).toEqual({
      crm: 'salesforce',
      type: 'Lead',
      id: expect.stringMatching(/^00Q\w{15}$/),
      url: view('Lead', ref.id),
    });
    expect(await sandbox.record(ref.id)).toMatchObject({
      FirstName: 'Kaylah',
      LastName: '[not provided]',
      Company: 'Unknown (phone lead)',
      Phone: '+14155550100',
      Email: 'k@example.com',
      LeadSource: 'Phone Inquiry',
      Callsight_Lead_Score__c: 86,
    });
  });

  it('creates Contacts instead when configured so', async () => {
    const { adapter, sandbox } = await salesforceWorld({}, { newContactObject: 'Contact' });
    const ref = await adapter.createContact(newContact());
    expect(ref.type).toBe('Contact');
    expect(await sandbox.record(ref.id)).toMatchObject({ Name: 'Kaylah Mills', Phone: '+14155550100' });
  });

  it('returns the matched record when a duplicate rule blocks the create', async () => {
    const { adapter, sandbox } = await salesforceWorld({ duplicateRules: true });
    const existing = await sandbox.create('Lead', { LastName: 'Mills', Company: 'Acme', Phone: '(415) 555-0100' });
    expect(await adapter.createContact(newContact())).toMatchObject({ type: 'Lead', id: existing });
    expect(await sandbox.records('Lead')).toHaveLength(1);
  });

  it('finds Contacts and unconverted Leads whose numbers are stored in odd formats', async () => {
    const { adapter, sandbox, clock } = await salesforceWorld();
    const contact = await sandbox.create('Contact', {
      LastName: 'Parens',
      Phone: '(415) 555-0100',
      HomePhone: '555 1234',
    });
    clock.advance(60_000);
    const lead = await sandbox.create('Lead', { LastName: 'Dots', Company: 'C', MobilePhone: '+1.415.555.0100' });
    await sandbox.create('Contact', { LastName: 'Someone else', Phone: '(415) 555-0199' });
    const found = await adapter.findContactsByPhone('+14155550100');
    expect(found).toHaveLength(2);
    expect(found).toContainEqual({
      crm: 'salesforce',
      type: 'Contact',
      id: contact,
      url: view('Contact', contact),
      phones: ['(415) 555-0100', '555 1234'],
      ownerId: expect.stringMatching(/^005/),
      name: 'Parens',
      updatedAt: '2026-11-22T12:00:00.000Z',
    });
    expect(found).toContainEqual(
      expect.objectContaining({
        type: 'Lead',
        id: lead,
        phones: ['+1.415.555.0100'],
        updatedAt: '2026-11-22T12:01:00.000Z',
      }),
    );
  });

  it('finds a national-format number outside North America', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const uk = await sandbox.create('Contact', { LastName: 'Uk', Phone: '020 7946 0958' });
    expect((await adapter.findContactsByPhone('+442079460958')).map((c) => c.id)).toEqual([uk]);
  });

  it('does not see a record created a moment ago while the search index lags', async () => {
    const { adapter, clock } = await salesforceWorld({ searchLagMs: 15_000 });
    await adapter.createContact(newContact());
    expect(await adapter.findContactsByPhone('+14155550100')).toEqual([]);
    clock.advance(15_000);
    expect(await adapter.findContactsByPhone('+14155550100')).toHaveLength(1);
  });

  it('reads a Lead or Contact by id, and null for ids that are neither or do not exist', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const contact = await sandbox.create('Contact', { LastName: 'Mills', MobilePhone: '+14155550100' });
    expect(await adapter.getContact(contact)).toMatchObject({
      type: 'Contact',
      name: 'Mills',
      phones: ['+14155550100'],
    });
    expect(await adapter.getContact('00Q000000000000AAA')).toBeNull();
    expect(await adapter.getContact('001000000000000AAA')).toBeNull();
  });

  it('sets DoNotCall on Leads and Contacts', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const lead = await adapter.createContact(newContact());
    const contact = await sandbox.create('Contact', { LastName: 'Mills' });
    await adapter.setDoNotCall(lead);
    await adapter.setDoNotCall({ crm: 'salesforce', type: 'contact', id: contact, url: null });
    expect(await sandbox.record(lead.id)).toMatchObject({ DoNotCall: true });
    expect(await sandbox.record(contact)).toMatchObject({ DoNotCall: true });
  });
});

describe('owners and deals', () => {
  it('finds an active user by email (quotes escaped), or null', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const id = await sandbox.create('User', {
      FirstName: 'Dan',
      LastName: "O'Brien",
      Email: "dan.o'brien@acme.test",
      Username: 'dan@acme.test',
    });
    await sandbox.create('User', {
      LastName: 'Gone',
      Email: 'gone@acme.test',
      Username: 'gone@acme.test',
      IsActive: false,
    });
    expect(await adapter.findOwnerByEmail("Dan.O'Brien@acme.test")).toEqual({
      id,
      email: "dan.o'brien@acme.test",
      name: "Dan O'Brien",
    });
    expect(await adapter.findOwnerByEmail('gone@acme.test')).toBeNull();
    expect(await adapter.findOwnerByEmail("x' OR Name != '")).toBeNull();
  });

  it('for a Lead, the open deal is the Lead itself and createDeal rates it', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const lead = await adapter.createContact(newContact());
    expect(await adapter.findOpenDeal(lead)).toMatchObject({ type: 'Lead', id: lead.id });
    const deal = await adapter.createDeal({
      name: 'Kitchen remodel',
      contact: lead,
      ownerId: null,
      priority: 'high',
      properties: {},
    });
    expect(deal).toMatchObject({ type: 'Lead', id: lead.id });
    expect(await sandbox.record(lead.id)).toMatchObject({ Rating: 'Hot' });
  });

  it('for a Contact, creates an Opportunity and finds the newest open one', async () => {
    const { adapter, sandbox, clock } = await salesforceWorld(
      {},
      { opportunityPriorityField: 'Callsight_Priority__c' },
    );
    const contactId = await sandbox.create('Contact', { LastName: 'Mills' });
    const contact: CrmRef = { crm: 'salesforce', type: 'Contact', id: contactId, url: null };
    expect(await adapter.findOpenDeal(contact)).toBeNull();
    const deal = await adapter.createDeal({
      name: 'Kitchen remodel',
      contact,
      ownerId: null,
      priority: 'high',
      properties: { Amount: '40000' },
    });
    expect(deal).toEqual({
      crm: 'salesforce',
      type: 'Opportunity',
      id: expect.stringMatching(/^006/),
      url: view('Opportunity', deal.id),
    });
    expect(await sandbox.record(deal.id)).toMatchObject({
      Name: 'Kitchen remodel',
      StageName: 'Prospecting',
      CloseDate: '2026-12-22',
      ContactId: contactId,
      Amount: 40000,
      Callsight_Priority__c: 'High',
      IsClosed: false,
    });
    clock.advance(1000);
    await sandbox.create('Opportunity', {
      Name: 'Won',
      StageName: 'Closed Won',
      CloseDate: '2026-12-01',
      ContactId: contactId,
    });
    expect(await adapter.findOpenDeal(contact)).toMatchObject({ id: deal.id });
  });
});

describe('logging calls and tasks', () => {
  it('logs the call as a completed Call Task on the person', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const lead = await adapter.createContact(newContact());
    const [owner] = await sandbox.records('User');
    const task = await adapter.logCall(callLog(lead, { ownerId: String(owner?.Id) }));
    expect(task).toEqual({
      crm: 'salesforce',
      type: 'Task',
      id: expect.stringMatching(/^00T/),
      url: view('Task', task.id),
    });
    expect(await sandbox.record(task.id)).toMatchObject({
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 184,
      CallDisposition: 'Answered',
      CallObject: 'call_01HZX',
      Subject: 'Inbound call: kitchen remodel (score 86)',
      Description:
        'Wants a kitchen remodel within 3 months.\nBudget $40k.\n\nRecording: https://calls.example/rec/01HZX.mp3',
      ActivityDate: '2026-11-22',
      Status: 'Completed',
      WhoId: lead.id,
      WhatId: null,
      OwnerId: owner?.Id,
      Callsight_Call_Id__c: 'call_01HZX',
    });
  });

  it('relates the call to the Opportunity when the person is a Contact', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const contactId = await sandbox.create('Contact', { LastName: 'Mills' });
    const contact: CrmRef = { crm: 'salesforce', type: 'Contact', id: contactId, url: null };
    const deal = await adapter.createDeal({ name: 'Deal', contact, ownerId: null, priority: 'low', properties: {} });
    const task = await adapter.logCall(
      callLog(contact, { deal, direction: 'outbound', outcome: 'voicemail', durationSeconds: null }),
    );
    expect(await sandbox.record(task.id)).toMatchObject({
      WhoId: contactId,
      WhatId: deal.id,
      CallType: 'Outbound',
      CallDisposition: 'Voicemail',
      CallDurationInSeconds: null,
    });
  });

  it('logs a call whose recording link is too long for the URL(255) field, with the link in the Description', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const lead = await adapter.createContact(newContact());
    // A signed storage link, as voice-agent platforms hand out: far over 255 characters.
    const recordingUrl = `https://recordings.example.com/01HZX.wav?X-Amz-Signature=${'a1b2c3d4'.repeat(40)}`;
    const short = 'https://calls.example/rec/01HZX.mp3';
    const long = await adapter.logCall(
      callLog(lead, { recordingUrl, properties: { Callsight_Recording_Url__c: recordingUrl } }),
    );
    const task = await sandbox.record(long.id);
    expect(task?.Callsight_Recording_Url__c).toBeNull();
    expect(String(task?.Description)).toContain(`Recording: ${recordingUrl}`);

    const fits = await adapter.logCall(
      callLog(lead, { externalId: 'call_short', properties: { Callsight_Recording_Url__c: short } }),
    );
    expect((await sandbox.record(fits.id))?.Callsight_Recording_Url__c).toBe(short);
  });

  it('returns the same Task when a call is logged again (upsert by Callsight_Call_Id__c)', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const lead = await adapter.createContact(newContact());
    const first = await adapter.logCall(callLog(lead));
    const again = await adapter.logCall(callLog(lead, { title: 'Inbound call (re-analysed)' }));
    expect(again).toEqual(first);
    const tasks = await sandbox.records('Task');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ Subject: 'Inbound call (re-analysed)', TaskSubtype: 'Call' });
  });

  it('still finds the Task when an update answers 204 without a body (API before v46.0)', async () => {
    const world = await salesforceWorld();
    const lead = await world.adapter.createContact(newContact());
    const first = await world.adapter.logCall(callLog(lead));
    const legacy = createSalesforceAdapter({
      instanceUrl: INSTANCE,
      clientId: world.sandbox.clientId,
      clientSecret: world.sandbox.clientSecret,
      apiVersion: 'v62.0',
      // An org (or proxy) that answers updates the old way.
      fetch: async (input, init) => {
        const res = await world.fetch(input, init);
        return init?.method === 'PATCH' && res.status === 200 ? new Response(null, { status: 204 }) : res;
      },
    });
    expect(await legacy.logCall(callLog(lead))).toEqual(first);
  });

  it('creates a follow-up Task with a reminder, idempotently, apart from the call Task', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    const lead = await adapter.createContact(newContact());
    const call = await adapter.logCall(callLog(lead));
    const input = {
      externalId: 'call_01HZX',
      contact: lead,
      deal: null,
      ownerId: null,
      subject: 'Call back now',
      body: 'Missed call',
      dueAt: '2026-11-22T12:15:00.000Z',
      priority: 'high' as const,
    };
    const task = await adapter.createTask(input);
    expect(task.id).not.toBe(call.id);
    expect(await adapter.createTask(input)).toEqual(task);
    expect(await sandbox.record(task.id)).toMatchObject({
      Subject: 'Call back now',
      TaskSubtype: 'Task',
      Status: 'Not Started',
      Priority: 'High',
      ActivityDate: '2026-11-22',
      IsReminderSet: true,
      ReminderDateTime: '2026-11-22T12:15:00.000+0000',
      Callsight_Call_Id__c: 'task:call_01HZX',
    });
    expect(await sandbox.records('Task')).toHaveLength(2);
  });
});

describe('sessions', () => {
  it('fetches the token once, and refreshes it once when the session has expired', async () => {
    const { adapter, sandbox, tokenRequests } = await salesforceWorld();
    await adapter.findContactsByPhone('+14155550100');
    await adapter.findOwnerByEmail('admin@sandbox.callsight.test');
    expect(tokenRequests()).toBe(1);
    await sandbox.expireSessions();
    expect(await adapter.findOwnerByEmail('admin@sandbox.callsight.test')).not.toBeNull();
    expect(tokenRequests()).toBe(2);
  });

  it('shares one refresh between calls that hit the expired session together', async () => {
    const { adapter, sandbox, tokenRequests } = await salesforceWorld();
    await adapter.testConnection();
    await sandbox.expireSessions();
    await Promise.all([1, 2, 3].map(() => adapter.findContactsByPhone('+14155550100')));
    expect(tokenRequests()).toBe(2);
  });

  it('gives up with a permanent error when the fresh token is refused too', async () => {
    const { adapter, sandbox, tokenRequests } = await salesforceWorld();
    sandbox.faults.add({
      path: '/services/data/**',
      respond: { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] },
    });
    const err = await caught(adapter.findContactsByPhone('+14155550100'));
    expect(err).toMatchObject({
      kind: 'permanent',
      status: 401,
      code: 'INVALID_SESSION_ID',
      crmMessage: 'Session expired or invalid',
    });
    expect(tokenRequests()).toBe(2);
  });

  it('reports bad client credentials from testConnection, and as a permanent error elsewhere', async () => {
    const { adapter } = await salesforceWorld({}, { clientSecret: 'wrong' });
    expect(await adapter.testConnection()).toEqual({ ok: false, account: null, message: 'invalid client credentials' });
    expect(await caught(adapter.createContact(newContact()))).toMatchObject({
      kind: 'permanent',
      status: 400,
      code: 'invalid_client',
    });
  });

  it('names the org on a good connection', async () => {
    const { adapter } = await salesforceWorld({ orgName: 'Acme Remodeling' });
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      account: expect.stringMatching(/^Acme Remodeling \(00D\w{15}\)$/),
      message: expect.stringContaining('API v62.0'),
    });
  });

  it('insists on API v60.0 or later', () => {
    expect(() =>
      createSalesforceAdapter({ instanceUrl: INSTANCE, clientId: 'a', clientSecret: 'b', apiVersion: 'v59.0' }),
    ).toThrow(/v60\.0/);
  });
});

describe('failure classification', () => {
  it('treats an exhausted daily allocation (403 REQUEST_LIMIT_EXCEEDED) as daily_limit with a one-hour wait', async () => {
    const { adapter, sandbox } = await salesforceWorld({ dailyRequestLimit: 100 });
    await adapter.testConnection();
    await sandbox.setApiUsage(100);
    const err = await caught(adapter.createContact(newContact()));
    expect(err).toMatchObject({
      kind: 'daily_limit',
      status: 403,
      code: 'REQUEST_LIMIT_EXCEEDED',
      crmMessage: 'TotalRequests Limit exceeded.',
      retryAfterMs: REQUEST_LIMIT_RETRY_MS,
    });
    expect(REQUEST_LIMIT_RETRY_MS).toBe(3_600_000);
  });

  it('treats the concurrent long-request limit as retryable within seconds', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    sandbox.faults.add({
      path: '/services/data/**',
      respond: {
        status: 403,
        body: [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
      },
    });
    expect(await caught(adapter.findContactsByPhone('+14155550100'))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 30_000,
    });
  });

  it('treats 5xx and row locks as retryable, honouring Retry-After when there is one', async () => {
    const { adapter, sandbox } = await salesforceWorld();
    sandbox.faults.add({
      path: '/services/data/*/search',
      times: 1,
      respond: {
        status: 503,
        headers: { 'retry-after': '7' },
        body: [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
      },
    });
    expect(await caught(adapter.findContactsByPhone('+14155550100'))).toMatchObject({
      kind: 'retryable',
      status: 503,
      retryAfterMs: 7000,
      crmMessage: 'Server unavailable',
    });
    sandbox.faults.add({
      path: '/services/data/*/search',
      times: 1,
      respond: {
        status: 400,
        body: [{ message: 'unable to obtain exclusive access to this record', errorCode: 'UNABLE_TO_LOCK_ROW' }],
      },
    });
    expect(await caught(adapter.findContactsByPhone('+14155550100'))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 5000,
    });
    expect(await adapter.findContactsByPhone('+14155550100')).toEqual([]);
  });

  it("fails validation errors permanently with Salesforce's own message", async () => {
    const { adapter } = await salesforceWorld({}, { leadCompany: '' });
    expect(await caught(adapter.createContact(newContact()))).toMatchObject({
      kind: 'permanent',
      status: 400,
      code: 'REQUIRED_FIELD_MISSING',
      crmMessage: 'Required fields are missing: [Company]',
    });
  });

  it('fails permanently when the admin has not created the external-id field yet', async () => {
    const { adapter } = await salesforceWorld({ customFields: { Task: {} } });
    const lead = await adapter.createContact(newContact());
    expect(await caught(adapter.logCall(callLog(lead)))).toMatchObject({
      kind: 'permanent',
      status: 404,
      crmMessage: 'Provided external ID field does not exist or is not accessible: Callsight_Call_Id__c',
    });
  });

  it('treats a slow or hung answer as a retryable timeout', async () => {
    const { adapter, sandbox } = await salesforceWorld({}, { timeoutMs: 50 });
    await adapter.testConnection();
    sandbox.faults.add({ path: '/services/data/*/search', hang: true, hangMs: 2000 });
    const started = Date.now();
    expect(await caught(adapter.findContactsByPhone('+14155550100'))).toMatchObject({
      kind: 'retryable',
      status: null,
      code: 'TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('treats a network failure as retryable', async () => {
    const adapter = createSalesforceAdapter({
      instanceUrl: INSTANCE,
      clientId: 'a',
      clientSecret: 'b',
      apiVersion: 'v62.0',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(await caught(adapter.findContactsByPhone('+14155550100'))).toMatchObject({
      kind: 'retryable',
      code: 'NETWORK',
      crmMessage: 'network error: fetch failed',
    });
  });
});
