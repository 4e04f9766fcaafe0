import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json } from '../support/test-app';
import { HUBSPOT_BASE, kitchen, syncWorld, type SyncWorld, type SyncView } from './support';

let w: SyncWorld;
beforeEach(async () => {
  w = await syncWorld();
});
afterEach(() => w.close());

const stepsOf = (sync: SyncView | undefined) => Object.fromEntries((sync?.records ?? []).map((r) => [r.step, r.id]));

/** A custom property a portal admin made by hand, in the group Callsight's set-up created. */
async function hubspotProperty(objectType: 'contacts' | 'tasks', name: string) {
  const res = await w.hubspot.fetch(`${HUBSPOT_BASE}/crm/v3/properties/${objectType}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.hubspot.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, label: name, type: 'string', fieldType: 'text', groupName: 'callsight' }),
  });
  expect(res.status).toBe(201);
}

const hubspotOptions = (fieldMapping: unknown) => ({
  secret: w.hubspot.token,
  options: {
    baseUrl: HUBSPOT_BASE,
    portalId: w.hubspot.portalId,
    routing: { topManagerEmail: 'top.manager@callsight.test' },
    fieldMapping,
  },
});

const mapping = {
  contact: {
    callsight_intent: '{{analysis.intent}}',
    lead_channel: '{{analysis.intent}} via {{call.utm_source}}',
    // Removes a default: the summary stays out of the contact.
    callsight_summary: '',
  },
  call: { callsight_disposition: 'Callsight: {{analysis.disposition}}' },
  task: { callback_reason: '{{call.outcome}} call from {{call.customer_phone}} ({{call.source_name}})' },
};

async function syncedSteps(callId: string) {
  const [sync] = await w.syncOf(callId);
  expect(sync).toMatchObject({ crm: 'hubspot', status: 'synced', lastError: null });
  return stepsOf(sync);
}

describe("a tenant's HubSpot field mapping", () => {
  beforeEach(async () => {
    await w.connectHubspot();
    await hubspotProperty('contacts', 'lead_channel');
    await hubspotProperty('tasks', 'callback_reason');
    const res = await w.call('PUT', '/v1/integrations/hubspot', w.a.admin, hubspotOptions(mapping));
    expect(res.status).toBe(200);
  });

  it('writes the rendered templates over the defaults on the contact, the deal and the call', async () => {
    const id = await w.webhook({ id: 'CALMAP1', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.settle();
    const steps = await syncedSteps(id);
    const analysis = (
      await json<{ analysis: { disposition: string } }>(await w.call('GET', `/v1/calls/${id}`, w.a.rep))
    ).analysis;

    const contact = (await w.hubspot.record('contacts', steps.contact!))!.properties;
    expect(contact).toMatchObject({
      callsight_intent: 'kitchen_remodel',
      lead_channel: 'kitchen_remodel via google',
      callsight_band: 'high',
      callsight_last_call_at: '2026-11-20T15:15:00.000Z',
    });
    expect(contact.callsight_lead_score).toMatch(/^\d+$/);
    expect(contact.callsight_summary ?? '').toBe('');

    // The deal keeps every default: the call's source and attribution.
    expect((await w.hubspot.record('deals', steps.deal!))!.properties).toMatchObject({
      callsight_source: 'callrail',
      callsight_utm_source: 'google',
      callsight_utm_medium: 'cpc',
      callsight_utm_campaign: 'Kitchen Remodel 2026',
      callsight_intent: 'kitchen_remodel',
    });

    const logged = (await w.hubspot.record('calls', steps.call!))!.properties;
    expect(logged).toMatchObject({
      callsight_disposition: `Callsight: ${analysis.disposition}`,
      callsight_intent: 'kitchen_remodel',
      // The adapter's own id property is not the mapping's: it stays Callsight's call id.
      callsight_call_id: id,
    });
  });

  it('writes the task mapping on a callback task', async () => {
    const id = await w.webhook({ id: 'CALMAP2', answered: false, phone: '+13035550142' });
    await w.settle();
    const steps = await syncedSteps(id);
    const task = (await w.hubspot.record('tasks', steps['task:callback']!))!.properties;
    expect(task.callback_reason).toBe('missed call from +13035550142 (Google AdWords)');
  });

  it('refuses an unknown variable when saved, naming the field, and keeps the mapping in force', async () => {
    const bad = await w.call(
      'PUT',
      '/v1/integrations/hubspot',
      w.a.admin,
      hubspotOptions({ ...mapping, contact: { ...mapping.contact, callsight_intent: '{{analysis.nope}}' } }),
    );
    expect(bad.status).toBe(400);
    const error = (await json<{ error: { code: string; message: string; details: { field: string } } }>(bad)).error;
    expect(error).toMatchObject({
      code: 'invalid_request',
      details: { field: 'options.fieldMapping.contact.callsight_intent' },
    });
    expect(error.message).toContain('{{analysis.nope}}');

    const saved = await json<{ data: { kind: string; options: Record<string, unknown> }[] }>(
      await w.call('GET', '/v1/integrations', w.a.admin),
    );
    expect(saved.data.find((i) => i.kind === 'hubspot')?.options.fieldMapping).toEqual(mapping);

    const id = await w.webhook({ id: 'CALMAP3', transcription: kitchen, duration: 140, phone: '+13035550177' });
    await w.settle();
    const contact = (await w.hubspot.record('contacts', (await syncedSteps(id)).contact!))!.properties;
    expect(contact).toMatchObject({ callsight_intent: 'kitchen_remodel', lead_channel: 'kitchen_remodel via google' });
  });

  it('leaves a contact Callsight did not create as it is, and still maps the call', async () => {
    const first = await w.webhook({ id: 'CALMAP4', transcription: kitchen, duration: 140 });
    await w.settle();
    const contactId = (await syncedSteps(first)).contact!;
    const res = await w.call(
      'PUT',
      '/v1/integrations/hubspot',
      w.a.admin,
      hubspotOptions({ ...mapping, contact: { lead_channel: 'changed' } }),
    );
    expect(res.status).toBe(200);

    const second = await w.webhook({ id: 'CALMAP5', transcription: kitchen, duration: 140 });
    await w.settle();
    const steps = await syncedSteps(second);
    expect(steps.contact).toBe(contactId);
    expect((await w.hubspot.record('contacts', contactId))!.properties.lead_channel).toBe('kitchen_remodel via google');
    expect((await w.hubspot.record('calls', steps.call!))!.properties.callsight_disposition).toMatch(/^Callsight: /);
  });
});

describe('the Salesforce defaults', () => {
  it('fill the FIELDS.md custom fields on the new Lead and on the call Task', async () => {
    await w.connectSalesforce();
    const id = await w.webhook({ id: 'CALMAPSF', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.settle();
    const [sync] = await w.syncOf(id);
    expect(sync).toMatchObject({ crm: 'salesforce', status: 'synced' });
    const steps = stepsOf(sync);
    const lead = await w.salesforce.record(steps.contact!);
    expect(lead).toMatchObject({ Callsight_Score_Band__c: 'High', Callsight_Intent__c: 'kitchen_remodel' });
    expect(lead?.Callsight_Lead_Score__c).toEqual(expect.any(Number));
    expect(await w.salesforce.record(steps.call!)).toMatchObject({
      Callsight_Recording_Url__c: 'https://app.callrail.com/calls/CALMAPSF/recording/redirect?access_key=demo',
      Callsight_Lead_Score__c: lead?.Callsight_Lead_Score__c,
    });
  });
});
