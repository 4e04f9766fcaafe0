import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog } from '../../src/db/schema';
import { json } from '../support/test-app';
import { HUBSPOT_BASE, kitchen, syncWorld, type SyncView, type SyncWorld } from './support';

let w: SyncWorld;
const token = () => ({ authorization: `Bearer ${w.hubspot.token}` });
beforeEach(async () => {
  w = await syncWorld();
});
afterEach(() => w.close());

describe('CRM connections', () => {
  it('stores a CRM connection, validated by its own options, and never returns the secret', async () => {
    const bad = await w.call('PUT', '/v1/integrations/hubspot', w.a.admin, {
      secret: w.hubspot.token,
      options: { baseUrl: 'ftp://nope', colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect((await json<{ error: { details: { field: string } } }>(bad)).error.details.field).toMatch(/^options\./);
    expect((await w.call('PUT', '/v1/integrations/pipedrive', w.a.manager, { secret: 'x'.repeat(10) })).status).toBe(
      403,
    );

    await w.connectHubspot();
    const list = await json<{ data: { kind: string; options: Record<string, unknown> }[] }>(
      await w.call('GET', '/v1/integrations', w.a.admin),
    );
    expect(list.data.map((d) => d.kind)).toContain('hubspot');
    expect(JSON.stringify(list)).not.toContain(w.hubspot.token);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.target, 'hubspot'));
    expect(audit.map((a) => a.action).sort()).toEqual(['integration.hubspot_setup', 'integration.set']);
  });

  it('tests a connection with the stored credentials', async () => {
    expect((await w.call('POST', '/v1/integrations/hubspot/test-connection', w.a.admin)).status).toBe(404);
    await w.connectHubspot();
    const ok = await json<{ ok: boolean; account: string }>(
      await w.call('POST', '/v1/integrations/hubspot/test-connection', w.a.admin),
    );
    expect(ok).toMatchObject({ ok: true, account: String(w.hubspot.portalId) });

    await w.call('PUT', '/v1/integrations/hubspot', w.a.admin, {
      secret: 'pat-na1-not-a-real-token',
      options: { baseUrl: HUBSPOT_BASE },
    });
    const refused = await json<{ ok: boolean; message: string }>(
      await w.call('POST', '/v1/integrations/hubspot/test-connection', w.a.admin),
    );
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/authentication/i);
  });
});

describe('admin requests and syncs share the CRM’s rate limit', () => {
  it('a connection test waits its turn behind the syncs’ requests instead of drawing a 429', async () => {
    w.close();
    w = await syncWorld({ waitsMoveClock: true });
    await w.connectHubspot();
    w.clock.advance(11_000);
    // The tenant's syncs have just used HubSpot's whole window: 190 requests in 10 s.
    const syncs = w.rateLimits.wrap(w.a.tenant.id, 'hubspot', w.crmFetch);
    const listed = [];
    for (let i = 0; i < 190; i++) {
      listed.push((await syncs(`${HUBSPOT_BASE}/crm/v3/objects/contacts?limit=1`, { headers: token() })).status);
    }
    expect(listed.every((s) => s === 200)).toBe(true);
    expect((await w.crmFetch(`${HUBSPOT_BASE}/crm/v3/objects/contacts`, { headers: token() })).status).toBe(429);

    const before = w.clock.now();
    const test = await json<{ ok: boolean; message: string }>(
      await w.call('POST', '/v1/integrations/hubspot/test-connection', w.a.admin),
    );
    expect(test).toMatchObject({ ok: true });
    // It waited for the window to roll on (10 s and a little), then went through.
    expect(w.clock.now() - before).toBeGreaterThanOrEqual(10_000);
    expect(w.clock.now() - before).toBeLessThan(11_000);
  });
});

describe('disconnecting a CRM', () => {
  it('stops new syncs into it, keeps what was synced, and is audited', async () => {
    await w.connectHubspot();
    const first = await w.webhook({ id: 'CALDISC1', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect((await w.call('DELETE', '/v1/integrations/hubspot', w.a.manager)).status).toBe(403);
    expect((await w.call('DELETE', '/v1/integrations/hubspot', w.a.admin)).status).toBe(204);
    expect((await w.call('DELETE', '/v1/integrations/hubspot', w.a.admin)).status).toBe(404);

    const second = await w.webhook({ id: 'CALDISC2', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    expect(await w.syncOf(second)).toEqual([]);
    expect((await w.syncOf(first))[0]?.status).toBe('synced');
    expect((await w.hubspot.records('calls')).length).toBe(1);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.action, 'integration.remove'));
    expect(audit).toHaveLength(1);
  });
});

describe('a second CRM', () => {
  it('gets its own sync of the same call', async () => {
    await w.connectHubspot();
    await w.connectPipedrive();
    const id = await w.webhook({ id: 'CALTWO', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.runner.drain();

    const sync = await w.syncOf(id);
    expect(sync.map((s) => [s.crm, s.status])).toEqual([
      ['hubspot', 'synced'],
      ['pipedrive', 'synced'],
    ]);
    const pipedrive = sync.find((s) => s.crm === 'pipedrive')!;
    const person = pipedrive.records.find((r) => r.step === 'contact')!;
    expect(await w.pipedrive.item('person', person.id)).toMatchObject({ name: 'Dana Caller' });
    expect(pipedrive.records.map((r) => r.step)).toContain('call');
    expect(await w.pipedrive.items('person')).toHaveLength(1);
    expect(await w.hubspot.records('contacts')).toHaveLength(1);
  });

  it('syncs into Salesforce as well: a new caller becomes a Lead with the call as a Task', async () => {
    await w.connectHubspot();
    await w.connectSalesforce();
    const test = await json<{ ok: boolean }>(
      await w.call('POST', '/v1/integrations/salesforce/test-connection', w.a.admin),
    );
    expect(test.ok).toBe(true);
    const id = await w.webhook({ id: 'CALSF', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.runner.drain();

    const sync = await w.syncOf(id);
    expect(sync.map((s) => [s.crm, s.status])).toEqual([
      ['hubspot', 'synced'],
      ['salesforce', 'synced'],
    ]);
    const records = sync.find((s) => s.crm === 'salesforce')!.records;
    const lead = records.find((r) => r.step === 'contact')!;
    expect(lead.type.toLowerCase()).toBe('lead');
    expect(await w.salesforce.record(lead.id)).toMatchObject({ LastName: 'Caller' });
    expect(records.map((r) => r.step)).toContain('call');
    expect(await w.salesforce.records('Lead')).toHaveLength(1);
  });

  it('keeps one CRM failing from holding back the other', async () => {
    await w.connectHubspot();
    await w.connectPipedrive();
    w.hubspot.outage({ forMs: 30 * 60_000 });
    const id = await w.webhook({ id: 'CALSPLIT', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    const states = Object.fromEntries((await w.syncOf(id)).map((s) => [s.crm, s.status]));
    expect(states).toEqual({ hubspot: 'retrying', pipedrive: 'synced' });
  });
});

describe('manual leads', () => {
  it('creates a lead from a phone number and syncs it like a call', async () => {
    await w.connectHubspot();
    const bad = await w.call('POST', '/v1/leads', w.a.rep, { phone: '12' });
    expect(bad.status).toBe(400);
    const res = await w.call('POST', '/v1/leads', w.a.rep, {
      name: 'Lee Manual',
      phone: '(720) 555-0199',
      email: 'lee@example.com',
      note: 'Wants a kitchen remodel in the next 2-3 months, budget around $30,000.',
      sourcePage: 'https://app.hubspot.com/contacts/1/contact/2',
    });
    expect(res.status).toBe(201);
    const lead = await json<{ id: string; source: string; customerPhone: { e164: string } }>(res);
    expect(lead).toMatchObject({ source: 'manual', customerPhone: { e164: '+17205550199' } });
    await w.runner.drain();

    const call = await json<{ analysis: { intent: string } | null; sync: SyncView[] }>(
      await w.call('GET', `/v1/calls/${lead.id}`, w.a.rep),
    );
    expect(call.analysis?.intent).toBe('kitchen_remodel');
    expect(call.sync[0]?.status).toBe('synced');
    const contactId = call.sync[0]!.records.find((r) => r.step === 'contact')!.id;
    expect((await w.hubspot.record('contacts', contactId))?.properties).toMatchObject({
      firstname: 'Lee',
      lastname: 'Manual',
      email: 'lee@example.com',
    });
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.target, lead.id));
    expect(audit.map((a) => a.action)).toEqual(['lead.create']);

    // Manual leads are a source of their own in the call list, beside the webhook sources.
    type List = { data: { id: string; source: string }[] };
    const manual = await json<List>(await w.call('GET', '/v1/calls?source=manual', w.a.rep));
    expect(manual.data.map((c) => [c.id, c.source])).toEqual([[lead.id, 'manual']]);
    expect((await json<List>(await w.call('GET', '/v1/calls?source=callrail', w.a.rep))).data).toEqual([]);
    expect((await w.call('GET', '/v1/calls?source=fax', w.a.rep)).status).toBe(400);
  });

  it('creates one lead for a double click with the same Idempotency-Key', async () => {
    const send = () =>
      w.app.request('/v1/leads', {
        method: 'POST',
        headers: { authorization: `Bearer ${w.a.rep}`, 'content-type': 'application/json', 'idempotency-key': 'k1' },
        body: JSON.stringify({ phone: '+17205550123' }),
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 200]);
    expect((await json<{ id: string }>(second)).id).toBe((await json<{ id: string }>(first)).id);
    expect(await w.db.select().from(auditLog).where(eq(auditLog.action, 'lead.create'))).toHaveLength(1);
  });
});

describe('contact insights', () => {
  it('lists every call of a person by phone or by CRM record, with analysis and sync state', async () => {
    await w.connectHubspot();
    const first = await w.webhook({ id: 'CALINS1', transcription: kitchen, duration: 140, phone: '+13036231131' });
    await w.runner.drain();
    const second = await w.webhook({ id: 'CALINS2', answered: false, phone: '+13036231131' });
    await w.runner.drain();
    await w.webhook({ id: 'CALOTHER', transcription: kitchen, duration: 140, phone: '+12148654559' });
    await w.runner.drain();

    type Insights = { calls: { id: string; analysis: unknown; sync: SyncView[] }[] };
    const byPhone = await json<Insights>(
      await w.call('GET', `/v1/contacts/insights?phone=${encodeURIComponent('(303) 623-1131')}`, w.a.rep),
    );
    expect(byPhone.calls.map((c) => c.id).sort()).toEqual([first, second].sort());
    expect(byPhone.calls.every((c) => c.analysis !== null && c.sync[0]?.status === 'synced')).toBe(true);

    const contactId = byPhone.calls[0]!.sync[0]!.records.find((r) => r.step === 'contact')!.id;
    const byRecord = await json<Insights>(
      await w.call('GET', `/v1/contacts/insights?crm=hubspot&id=${contactId}`, w.a.rep),
    );
    expect(byRecord.calls.map((c) => c.id).sort()).toEqual([first, second].sort());

    expect((await w.call('GET', '/v1/contacts/insights', w.a.rep)).status).toBe(400);
    const otherTenant = await json<Insights>(
      await w.call('GET', `/v1/contacts/insights?crm=hubspot&id=${contactId}`, w.b.rep),
    );
    expect(otherTenant.calls).toEqual([]);
  });
});
