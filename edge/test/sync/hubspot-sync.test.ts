import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, jobs } from '../../src/db/schema';
import { normalisePhone } from '@callsight/shared';
import { json } from '../support/test-app';
import { HUBSPOT_BASE, kitchen, syncWorld, type SyncWorld } from './support';

let w: SyncWorld;
beforeEach(async () => {
  w = await syncWorld();
});
afterEach(() => w.close());

const TOP_MANAGER = '75000001';
const stepsOf = (sync: { records: { step: string; id: string }[] } | undefined) =>
  Object.fromEntries((sync?.records ?? []).map((r) => [r.step, r.id]));
const count = async (type: 'contacts' | 'deals' | 'calls' | 'tasks') => (await w.hubspot.records(type)).length;

/** Writes a contact the way a person typed it into HubSpot, searchable at once. */
async function hubspotContact(properties: Record<string, string>) {
  const res = await w.hubspot.fetch(`${HUBSPOT_BASE}/crm/v3/objects/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.hubspot.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties }),
  });
  expect(res.status).toBe(201);
  await w.hubspot.flushSearchIndex();
  return (await json<{ id: string }>(res)).id;
}

describe('an analysed call lands in HubSpot', () => {
  it('creates the contact, the deal and the call with its associations and owner', async () => {
    await w.connectHubspot();
    const id = await w.webhook({ id: 'CALHS1', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.runner.drain();

    const [sync] = await w.syncOf(id);
    expect(sync).toMatchObject({ crm: 'hubspot', status: 'synced', attempts: 1, lastError: null });
    const steps = stepsOf(sync);
    expect(Object.keys(steps).sort()).toEqual(['call', 'contact', 'deal']);

    const contact = await w.hubspot.record('contacts', steps.contact!);
    // No agent named by the call: the top manager owns what it creates.
    expect(contact?.properties).toMatchObject({
      firstname: 'Dana',
      lastname: 'Caller',
      phone: '+12148654559',
      hubspot_owner_id: TOP_MANAGER,
    });
    const deal = await w.hubspot.record('deals', steps.deal!);
    expect(deal?.properties).toMatchObject({ hs_priority: 'high', hubspot_owner_id: TOP_MANAGER });
    const logged = await w.hubspot.record('calls', steps.call!);
    expect(logged?.properties.hs_call_title).toMatch(/^Inbound call · \d+\/100 high · kitchen_remodel$/);
    expect(logged?.properties.hs_call_body).toContain('Recording: https://app.callrail.com/calls/CALHS1');
    expect(logged?.properties.hs_call_body).toContain('Lead score');
    expect(logged?.properties.hubspot_owner_id).toBe(TOP_MANAGER);
    const targets = logged!.associations.map((a) => `${a.toType}:${a.toId}`);
    expect(targets).toEqual(expect.arrayContaining([`contacts:${steps.contact}`, `deals:${steps.deal}`]));
    expect(sync!.records.find((r) => r.step === 'contact')?.url).toContain(String(w.hubspot.portalId));
  });

  it('gives a missed call a callback task for the top manager, due in 15 minutes', async () => {
    await w.connectHubspot();
    const id = await w.webhook({ id: 'CALMISS', answered: false });
    await w.runner.drain();

    const [sync] = await w.syncOf(id);
    expect(sync?.status).toBe('synced');
    const steps = stepsOf(sync);
    expect(steps['task:callback']).toBeDefined();
    const task = await w.hubspot.record('tasks', steps['task:callback']!);
    expect(task?.properties.hs_task_subject).toMatch(/^Call back Kaylah Mills: missed inbound call$/);
    expect(task?.properties.hubspot_owner_id).toBe(TOP_MANAGER);
    expect(Date.parse(task!.properties.hs_timestamp!)).toBe(w.clock.now() + 15 * 60_000);
    expect(task!.associations.map((a) => `${a.toType}:${a.toId}`)).toContain(`contacts:${steps.contact}`);
  });

  it('matches a number HubSpot holds as "(303) 623-1131" instead of creating a second contact', async () => {
    await w.connectHubspot();
    const existing = await hubspotContact({ firstname: 'Pat', lastname: 'Known', phone: '(303) 623-1131' });
    const id = await w.webhook({ id: 'CALKNOWN', phone: '+13036231131', transcription: kitchen, duration: 140 });
    await w.runner.drain();

    const [sync] = await w.syncOf(id);
    expect(sync?.status).toBe('synced');
    expect(stepsOf(sync).contact).toBe(existing);
    expect(await count('contacts')).toBe(1);
    const logged = await w.hubspot.record('calls', stepsOf(sync).call!);
    expect(logged!.associations.map((a) => `${a.toType}:${a.toId}`)).toContain(`contacts:${existing}`);
  });

  it('takes the most recently updated of several contacts with the number, and says so on the call', async () => {
    await w.connectHubspot();
    const older = await hubspotContact({ lastname: 'Older', phone: '303-623-1131' });
    w.clock.advance(60_000);
    const newer = await hubspotContact({ lastname: 'Newer', phone: '+1 303-623-1131' });
    await hubspotContact({ lastname: 'Other', phone: '(303) 623-1132' });
    const id = await w.webhook({ id: 'CALTWINS', phone: '+13036231131', transcription: kitchen, duration: 140 });
    await w.runner.drain();

    const [sync] = await w.syncOf(id);
    expect(stepsOf(sync).contact).toBe(newer);
    expect(stepsOf(sync).contact).not.toBe(older);
    expect(sync!.reasons).toContain('2 CRM records share this number: used the most recently updated');
    const logged = await w.hubspot.record('calls', stepsOf(sync).call!);
    expect(logged?.properties.hs_call_body).toContain('2 contacts have this number');
    expect(await count('contacts')).toBe(3);
  });

  it("gives the answering agent's HubSpot user the records, or asks the top manager to map an unknown agent", async () => {
    await w.connectHubspot();
    const known = await w.webhook(
      { id: 'CALALEX', transcription: kitchen, duration: 140 },
      { agent_email: 'alex.rep@callsight.test' },
    );
    const unknown = await w.webhook(
      { id: 'CALNEW', phone: '+13035550142', transcription: kitchen, duration: 140 },
      { agent_email: 'new.agent@callsight.test' },
    );
    await w.runner.drain();

    const alex = stepsOf((await w.syncOf(known))[0]);
    expect((await w.hubspot.record('contacts', alex.contact!))?.properties.hubspot_owner_id).toBe('75000002');
    expect((await w.hubspot.record('calls', alex.call!))?.properties.hubspot_owner_id).toBe('75000002');
    expect(alex['task:agent_mapping']).toBeUndefined();

    const other = stepsOf((await w.syncOf(unknown))[0]);
    expect((await w.hubspot.record('contacts', other.contact!))?.properties.hubspot_owner_id).toBe(TOP_MANAGER);
    const task = await w.hubspot.record('tasks', other['task:agent_mapping']!);
    expect(task?.properties).toMatchObject({
      hs_task_subject: 'Map agent new.agent@callsight.test to a CRM user',
      hubspot_owner_id: TOP_MANAGER,
    });
  });

  it('sets do-not-call on a caller who asks for it, with no deal or follow-up', async () => {
    await w.connectHubspot();
    const id = await w.webhook({
      id: 'CALDNC',
      duration: 45,
      transcription: 'Stop calling me. Please put me on your do not call list and do not call this number again.',
    });
    await w.runner.drain();
    const [sync] = await w.syncOf(id);
    expect(sync?.status).toBe('synced');
    const steps = stepsOf(sync);
    expect(Object.keys(steps).sort()).toEqual(['call', 'contact', 'do_not_call']);
    expect((await w.hubspot.record('contacts', steps.contact!))?.properties.callsight_do_not_call).toBe('true');
    expect(await count('deals')).toBe(0);
  });

  it('syncs the same webhook delivered 10 times once: one contact, one deal, one call', async () => {
    await w.connectHubspot();
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) {
      ids.add(await w.webhook({ id: 'CALTEN', transcription: kitchen, duration: 140 }));
      if (i % 3 === 0) await w.runner.drain();
    }
    await w.runner.drain();
    expect(ids.size).toBe(1);
    const [sync] = await w.syncOf([...ids][0]!);
    expect(sync?.status).toBe('synced');
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 1]);
  });

  it('syncs again after a re-analysis without writing anything twice', async () => {
    await w.connectHubspot();
    const id = await w.webhook({ id: 'CALREAN', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect((await w.call('POST', `/v1/calls/${id}/reanalyze`, w.a.manager)).status).toBe(202);
    await w.runner.drain();
    const [sync] = await w.syncOf(id);
    expect(sync).toMatchObject({ status: 'synced', attempts: 2 });
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 1]);
  });

  it('never runs two syncs of one new caller at once: two workers, two calls, one contact', async () => {
    await w.connectHubspot();
    // A slow search keeps the first sync busy while the second worker is free.
    // The first two searches (two may be under way at once) are slow: the other lookups come
    // while they are, and go together.
    w.hubspot.faults.add({ path: '/crm/v3/objects/contacts/search', latencyMs: 1_500, times: 2 });
    await w.webhook({ id: 'CALPAIR1', transcription: kitchen, duration: 140 });
    await w.webhook({ id: 'CALPAIR2', answered: false, duration: 0 });
    // Two workers pulling at once, as `npm start` with CALLSIGHT_JOB_CONCURRENCY=2 would.
    await Promise.all([w.runner.drain(), w.runner.drain()]);
    await w.runner.drain();
    expect(await count('contacts')).toBe(1);
    expect(await count('calls')).toBe(2);
  });

  it('finds the contact of a second call from the same number while HubSpot search still lags', async () => {
    await w.connectHubspot();
    await w.webhook({ id: 'CALFIRST', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    // The sandbox's search is 2 s behind and the clock has not moved: only our phone cache knows.
    const second = await w.webhook({ id: 'CALSECOND', transcription: kitchen, duration: 90 });
    await w.runner.drain();
    const [sync] = await w.syncOf(second);
    expect(sync?.status).toBe('synced');
    expect(await count('contacts')).toBe(1);
    expect(await count('calls')).toBe(2);
    // A known contact gets no second deal.
    expect(await count('deals')).toBe(1);
  });
});

describe('what a sync costs in HubSpot requests', () => {
  const requestsFor = async (send: () => Promise<string>) => {
    const before = w.hubspot.requests.length;
    await send();
    await w.runner.drain();
    return w.hubspot.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  };

  it('spends four on a new caller, and one on a caller who rings back minutes later', async () => {
    await w.connectHubspot();
    const first = await requestsFor(() => w.webhook({ id: 'CALCOST1', transcription: kitchen, duration: 140 }));
    // Owners are looked up once per few minutes, not per call.
    expect(first.filter((r) => !r.includes('/owners'))).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/deals',
      'POST /crm/v3/objects/calls',
    ]);
    w.clock.advance(5 * 60_000);
    const again = await requestsFor(() => w.webhook({ id: 'CALCOST2', transcription: kitchen, duration: 60 }));
    expect(again).toEqual(['POST /crm/v3/objects/calls']);
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 2]);
    const [sync] = await w.syncOf(await w.webhook({ id: 'CALCOST2', transcription: kitchen, duration: 60 }));
    expect(sync?.records.find((r) => r.step === 'contact')?.url).toContain(String(w.hubspot.portalId));
  });

  it('looks up new callers who ring at the same moment in one search, each matched to their own contact', async () => {
    await w.connectHubspot();
    // Two of them are already in HubSpot, typed by hand.
    const known = [
      await hubspotContact({ phone: '(303) 555-0102' }),
      await hubspotContact({ mobilephone: '303-555-0104' }),
    ];
    // The first two searches (two may be under way at once) are slow: the other lookups come
    // while they are, and go together.
    w.hubspot.faults.add({ path: '/crm/v3/objects/contacts/search', latencyMs: 1_500, times: 2 });
    const phones = ['+13035550101', '+13035550102', '+13035550103', '+13035550104', '+13035550105'];
    const ids = [];
    for (const [i, phone] of phones.entries()) ids.push(await w.webhook({ id: `CALBATCH${i}`, phone, duration: 60 }));
    const before = w.hubspot.requests.length;
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => w.runner.drain()));
    const searches = w.hubspot.requests.slice(before).filter((r) => r.path.endsWith('/search'));
    expect(searches.length).toBeLessThan(phones.length);

    const contactOf = async (id: string) => stepsOf((await w.syncOf(id))[0]).contact;
    expect(await contactOf(ids[1]!)).toBe(known[0]);
    expect(await contactOf(ids[3]!)).toBe(known[1]);
    expect(await count('contacts')).toBe(5);
    for (const [i, id] of ids.entries()) {
      const contact = await w.hubspot.record('contacts', (await contactOf(id))!);
      const typed = contact?.properties.phone ?? contact?.properties.mobilephone ?? '';
      expect(normalisePhone(typed, 'US').e164).toBe(phones[i]);
    }
  });

  it('logs the calls of callers who ring at the same moment in one batch create, each on its own contact', async () => {
    await w.connectHubspot();
    // The first two call logs (two may be under way at once) are slow: the others come while
    // they are, and go together.
    w.hubspot.faults.add({ method: 'POST', path: '/crm/v3/objects/calls**', latencyMs: 1_500, times: 2 });
    const phones = ['+13035550111', '+13035550112', '+13035550113', '+13035550114'];
    const ids = [];
    for (const [i, phone] of phones.entries()) ids.push(await w.webhook({ id: `CALLOG${i}`, phone, duration: 60 }));
    const before = w.hubspot.requests.length;
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => w.runner.drain()));
    const creates = w.hubspot.requests.slice(before).filter((r) => r.path.startsWith('/crm/v3/objects/calls'));
    expect(creates.length).toBeLessThan(phones.length);
    expect(creates.some((r) => r.path === '/crm/v3/objects/calls/batch/create')).toBe(true);

    expect(await count('calls')).toBe(phones.length);
    for (const id of ids) {
      const steps = stepsOf((await w.syncOf(id))[0]);
      const call = await w.hubspot.record('calls', steps.call!);
      expect(call?.properties.callsight_call_id).toBe(id);
      expect(call!.associations.filter((a) => a.toType === 'contacts').map((a) => a.toId)).toEqual([steps.contact]);
    }
  });

  it('asks HubSpot again about a caller last seen more than ten minutes ago', async () => {
    await w.connectHubspot();
    await requestsFor(() => w.webhook({ id: 'CALLATER1', transcription: kitchen, duration: 140 }));
    w.clock.advance(11 * 60_000);
    const later = await requestsFor(() => w.webhook({ id: 'CALLATER2', transcription: kitchen, duration: 60 }));
    // The contact is read back (merged or renumbered since?) and its open deal looked up.
    expect(later.filter((r) => !r.includes('/owners'))).toEqual([
      expect.stringMatching(/^GET \/crm\/v3\/objects\/contacts\/\d+$/),
      expect.stringMatching(/^GET \/crm\/v4\/objects\/contacts\/\d+\/associations\/deals$/),
      'POST /crm/v3/objects/deals/batch/read',
      'POST /crm/v3/objects/calls',
    ]);
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 2]);
  });
});

describe('when HubSpot throttles, refuses or is down', () => {
  it('rides out a 429 storm: retrying, then synced after the clock moves, with no duplicate', async () => {
    await w.connectHubspot();
    // The storm hits after the contact and the deal exist: the retry must resume, not restart.
    w.hubspot.rateLimitStorm({
      policyName: 'TEN_SECONDLY_ROLLING',
      path: '/crm/v3/objects/calls',
      method: 'POST',
      times: 3,
    });
    const id = await w.webhook({ id: 'CAL429', transcription: kitchen, duration: 140 });
    await w.runner.drain();

    const [retrying] = await w.syncOf(id);
    expect(retrying).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(retrying!.crmMessage).toBe('You have reached your ten_secondly_rolling limit.');
    expect(Date.parse(retrying!.nextAttemptAt!)).toBeGreaterThanOrEqual(w.clock.now() + 10_000);
    expect(Object.keys(stepsOf(retrying)).sort()).toEqual(['contact', 'deal']);

    await w.settle();
    const [synced] = await w.syncOf(id);
    expect(synced).toMatchObject({ status: 'synced', attempts: 4, lastError: null, nextAttemptAt: null });
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 1]);
  });

  it('keeps the circuit closed through 429s: throttling is not failing, and every call syncs', async () => {
    await w.connectHubspot();
    w.hubspot.rateLimitStorm({
      policyName: 'TEN_SECONDLY_ROLLING',
      path: '/crm/v3/objects/calls',
      method: 'POST',
      times: 8,
    });
    const ids = [];
    for (let i = 0; i < 8; i++)
      ids.push(await w.webhook({ id: `CALSTORM${i}`, phone: `+1303555020${i}`, duration: 60 }));
    await w.runner.drain();
    expect(w.breakers.state(`${w.a.tenant.id}:hubspot`)).toBe('closed');
    await w.settle();
    for (const id of ids) expect((await w.syncOf(id))[0]?.status).toBe('synced');
    expect(await count('calls')).toBe(8);
  });

  it("fails at once on a permanent 400 with HubSpot's message, and syncs after the fix and a retry", async () => {
    // Connected, but the Callsight properties were never set up in the portal.
    const res = await w.call('PUT', '/v1/integrations/hubspot', w.a.admin, {
      secret: w.hubspot.token,
      options: { baseUrl: HUBSPOT_BASE, routing: { topManagerEmail: 'top.manager@callsight.test' } },
    });
    expect(res.status).toBe(200);
    const id = await w.webhook({ id: 'CAL400', transcription: kitchen, duration: 140 });
    await w.runner.drain();

    const [failed] = await w.syncOf(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    // The default field mapping writes Callsight properties on the contact: the first create fails.
    expect(failed!.crmMessage).toMatch(/^Property values were not valid: .*callsight_lead_score/);
    expect((await w.queue.counts()).dead).toBe(1);

    type SyncList = { data: { callId: string; crm: string; status: string; crmMessage: string }[] };
    const failedList = await json<SyncList>(await w.call('GET', '/v1/syncs', w.a.manager));
    expect(failedList.data).toEqual([
      expect.objectContaining({ callId: id, crm: 'hubspot', status: 'failed', crmMessage: failed!.crmMessage }),
    ]);
    expect((await w.call('GET', '/v1/syncs', w.a.rep)).status).toBe(403);
    expect((await json<SyncList>(await w.call('GET', '/v1/syncs', w.b.manager))).data).toEqual([]);

    expect((await w.call('POST', '/v1/integrations/hubspot/setup', w.a.admin)).status).toBe(200);
    const retry = await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager);
    expect(retry.status).toBe(202);
    await w.runner.drain();
    const [synced] = await w.syncOf(id);
    expect(synced).toMatchObject({ status: 'synced', attempts: 2, crmMessage: null });
    expect((await json<SyncList>(await w.call('GET', '/v1/syncs?status=failed,dead', w.a.manager))).data).toEqual([]);
    expect((await w.call('GET', '/v1/syncs?status=bogus', w.a.manager)).status).toBe(400);
    // Nothing was half-written before the 400: one contact and one call after the retry.
    expect([await count('contacts'), await count('calls')]).toEqual([1, 1]);
  });

  it('waits out an outage of an hour and then syncs', async () => {
    await w.connectHubspot();
    const start = w.clock.now();
    w.hubspot.outage({ forMs: 60 * 60_000 });
    const id = await w.webhook({ id: 'CALDOWN', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    const [retrying] = await w.syncOf(id);
    expect(retrying).toMatchObject({ status: 'retrying', crmMessage: 'Service Unavailable' });

    await w.settle();
    const [synced] = await w.syncOf(id);
    expect(synced?.status).toBe('synced');
    expect(w.clock.now() - start).toBeGreaterThanOrEqual(60 * 60_000);
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 1]);
  });

  it('gives up after 24 hours (dead), and a manager revives it once HubSpot is back', async () => {
    await w.connectHubspot();
    w.hubspot.outage({ forMs: 48 * 60 * 60_000 });
    const id = await w.webhook({ id: 'CALDEAD', transcription: kitchen, duration: 140 });
    await w.settle(120);
    const [dead] = await w.syncOf(id);
    expect(dead).toMatchObject({ status: 'dead', nextAttemptAt: null, crmMessage: 'Service Unavailable' });
    expect((await w.queue.counts()).dead).toBe(1);

    w.hubspot.faults.clear();
    expect((await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager)).status).toBe(202);
    await w.settle();
    expect((await w.syncOf(id))[0]?.status).toBe('synced');
    expect(await count('contacts')).toBe(1);
  });

  it('stops calling HubSpot while the circuit is open, then probes and recovers', async () => {
    await w.connectHubspot();
    w.hubspot.outage({ forMs: 60 * 60_000 });
    for (let i = 0; i < 6; i++) await w.webhook({ id: `CALBRK${i}`, transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect(w.breakers.state(`${w.a.tenant.id}:hubspot`)).toBe('open');
    const sent = w.hubspot.requests.length;
    // Still failing jobs come due within the cool-down: none of them reaches HubSpot.
    w.clock.advance(60_000);
    await w.runner.drain();
    expect(w.hubspot.requests.length).toBe(sent);

    await w.settle();
    expect(w.breakers.state(`${w.a.tenant.id}:hubspot`)).toBe('closed');
    // Six calls from one number: one contact (found through the phone cache), six calls on it.
    expect([await count('contacts'), await count('calls')]).toEqual([1, 6]);
  });
});

describe('when HubSpot saves a record but its answer is lost', () => {
  const lose = (object: 'contacts' | 'deals' | 'calls' | 'tasks') =>
    w.hubspot.faults.add({
      method: 'POST',
      path: `/crm/v3/objects/${object}`,
      times: 1,
      afterCommit: true,
      respond: { status: 502, body: { status: 'error', message: 'Bad gateway' } },
    });

  it.each(['deals', 'calls'] as const)('finds the %s it created instead of writing a second one', async (object) => {
    await w.connectHubspot();
    lose(object);
    const id = await w.webhook({ id: `CALLOST${object}`, transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect((await w.syncOf(id))[0]).toMatchObject({ status: 'retrying' });
    expect(await count(object)).toBe(1);

    await w.settle();
    const [sync] = await w.syncOf(id);
    expect(sync?.status).toBe('synced');
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 1]);
    const kept = (await w.hubspot.records(object))[0]!;
    expect(stepsOf(sync)[object === 'deals' ? 'deal' : 'call']).toBe(String(kept.id));
  });

  it('finds the callback task it created for a missed call', async () => {
    await w.connectHubspot();
    lose('tasks');
    const id = await w.webhook({ id: 'CALLOSTTASK', answered: false, duration: 0 });
    await w.runner.drain();
    await w.settle();
    expect((await w.syncOf(id))[0]?.status).toBe('synced');
    expect(await count('tasks')).toBe(1);
  });

  it('waits for search to catch up, then finds the contact it created', async () => {
    await w.connectHubspot();
    lose('contacts');
    const id = await w.webhook({ id: 'CALLOSTCONTACT', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect(await count('contacts')).toBe(1);

    // A manager presses Retry at once, before HubSpot's search has the contact: it waits instead
    // of creating, and says why.
    w.clock.advance(1_000);
    expect((await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager)).status).toBe(202);
    await w.runner.drain();
    expect(await count('contacts')).toBe(1);
    const [waiting] = await w.syncOf(id);
    expect(waiting?.lastError).toMatch(/search to catch up/);
    expect(Date.parse(waiting!.nextAttemptAt!)).toBe(w.clock.now() + 19_000);

    await w.settle();
    expect((await w.syncOf(id))[0]?.status).toBe('synced');
    expect([await count('contacts'), await count('deals'), await count('calls')]).toEqual([1, 1, 1]);
  });
});

describe('retry and resolve', () => {
  async function failedSync() {
    await w.call('PUT', '/v1/integrations/hubspot', w.a.admin, {
      secret: w.hubspot.token,
      options: { baseUrl: HUBSPOT_BASE },
    });
    const id = await w.webhook({ id: 'CALRETRY', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect((await w.syncOf(id))[0]?.status).toBe('failed');
    return id;
  }

  it('enqueues once when Retry is pressed twice', async () => {
    const id = await failedSync();
    const first = await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager);
    const second = await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager);
    expect(await json(first)).toMatchObject({ alreadyQueued: false });
    expect(await json(second)).toMatchObject({ alreadyQueued: true });
    const queued = await w.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'sync_call'), eq(jobs.status, 'queued')));
    expect(queued).toHaveLength(1);
    expect((await w.syncOf(id))[0]?.status).toBe('pending');
  });

  it('adds nothing when Retry is pressed while the sync is running', async () => {
    await w.connectHubspot();
    const id = await w.webhook({ id: 'CALRUN', transcription: kitchen, duration: 140 });
    await w.runner.runOne(); // process_call, analysis included
    // Another runner has just taken the sync job.
    const claimed = await w.queue.claim('other-runner', w.clock.now(), 60_000);
    expect(claimed?.kind).toBe('sync_call');
    const res = await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager);
    expect(await json(res)).toMatchObject({ alreadyQueued: true, running: true });
    const syncJobs = await w.db.select().from(jobs).where(eq(jobs.kind, 'sync_call'));
    expect(syncJobs).toHaveLength(1);
  });

  it('brings a retrying sync forward instead of queueing a second one', async () => {
    await w.connectHubspot();
    w.hubspot.outage({ times: 1 });
    const id = await w.webhook({ id: 'CALFWD', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect((await w.syncOf(id))[0]?.status).toBe('retrying');
    const res = await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager);
    expect(await json(res)).toMatchObject({ alreadyQueued: true });
    await w.runner.drain();
    expect((await w.syncOf(id))[0]?.status).toBe('synced');
    expect(await count('contacts')).toBe(1);
  });

  it('lets a manager, not a rep, retry and resolve; both are audited', async () => {
    const id = await failedSync();
    expect((await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.rep)).status).toBe(403);
    expect((await w.call('POST', `/v1/calls/${id}/sync/hubspot/resolve`, w.a.manager, { note: '' })).status).toBe(400);
    const res = await w.call('POST', `/v1/calls/${id}/sync/hubspot/resolve`, w.a.manager, {
      note: 'Entered by hand in HubSpot',
    });
    expect(res.status).toBe(200);
    const [sync] = await w.syncOf(id);
    expect(sync).toMatchObject({ status: 'resolved', resolvedNote: 'Entered by hand in HubSpot' });
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.target, id));
    expect(audit.map((a) => a.action)).toEqual(['sync.resolve']);
    expect(audit[0]?.details).toMatchObject({
      crm: 'hubspot',
      note: 'Entered by hand in HubSpot',
      previousStatus: 'failed',
    });
    expect((await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.a.manager)).status).toBe(202);
    const actions = (await w.db.select().from(auditLog).where(eq(auditLog.target, id))).map((a) => a.action);
    expect(actions.sort()).toEqual(['sync.resolve', 'sync.retry']);
    // The other tenant sees nothing of it.
    expect((await w.call('POST', `/v1/calls/${id}/sync/hubspot/retry`, w.b.manager)).status).toBe(404);
  });
});
