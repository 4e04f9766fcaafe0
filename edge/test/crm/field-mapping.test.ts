import { describe, expect, it } from 'vitest';
import type { Analysis } from '@callsight/shared';
import {
  defaultFieldMappings,
  effectiveFieldMapping,
  FieldMappingSchema,
  fieldMappingOf,
  mappedObjects,
  renderFieldMapping,
  TEMPLATE_VARIABLES,
  type TemplateCall,
} from '../../src/crm/field-mapping';
import { parseTemplate, templateVariables } from '../../src/crm/mapping/template';
import { budgetText } from '../../src/crm/mapping/variables';
import { CALLSIGHT_PROPERTIES } from '../../src/crm/hubspot/properties';
import { callsightCustomFields } from '../../src/sandbox/salesforce/objects';
import { followUpTaskBody } from '../../src/crm/salesforce/sobject-bodies';
import { callActivityBody, taskActivityBody } from '../../src/crm/pipedrive/activity-bodies';
import { checkIntegrationOptions } from '../../src/sources/options';
import type { CallLog, NewTask } from '../../src/crm/port';

const call: TemplateCall = {
  id: 'call_abc',
  source: 'callrail',
  sourceCallId: 'CAL1',
  direction: 'inbound',
  outcome: 'answered',
  startedAt: Date.UTC(2026, 10, 20, 15, 15),
  createdAt: Date.UTC(2026, 10, 20, 15, 20),
  durationSeconds: 140,
  recordingUrl: 'https://rec.example/1.mp3',
  trackingNumberE164: '+14045558514',
  trackingNumberRaw: '(404) 555-8514',
  customerPhoneE164: '+12148654559',
  customerPhoneRaw: '214-865-4559',
  customerName: 'Dana Caller',
  agentEmail: 'alex.rep@callsight.test',
  agentName: 'Alex Rep',
  attribution: { utmSource: 'google', utmMedium: 'cpc', utmCampaign: null, sourceName: 'Google Ads' },
};

const analysis = {
  intent: 'kitchen_remodel',
  leadScore: 84,
  band: 'high',
  timeline: '1-3_months',
  budget: { min: 30000, max: 40000 },
  urgency: 'medium',
  decisionMaker: 'owner',
  disposition: 'hot_lead',
  spam: false,
  sentiment: 'positive',
  summary: 'Wants a kitchen remodel.',
  keyInsights: ['Budget $30-40k', 'Ready for estimates'],
  actionItems: [],
  scoredFrom: 'transcript',
} as unknown as Analysis;

const render = (templates: Record<string, string>, a: Analysis | null = analysis, c: TemplateCall = call) =>
  renderFieldMapping({ contact: templates, deal: {}, call: {}, task: {} }, c, a).contact;

/** The first problem zod reports for a saved HubSpot mapping, as PUT /v1/integrations reports it. */
const saveProblem = (fieldMapping: unknown) => {
  const checked = checkIntegrationOptions('hubspot', { fieldMapping });
  return checked.ok ? null : { field: checked.field, message: checked.message };
};

describe('rendering a field mapping', () => {
  it('fills variables into literal text and leaves literal braces alone', () => {
    expect(
      render({
        a: '{{analysis.intent}} via {{call.utm_source}}',
        b: '{{ analysis.score }}/100 ({{analysis.band}})',
        c: 'Call {{call.id}} on {{call.tracking_number}} at {{call.started_at}}',
        d: '{"json": true} {{call.duration}}s',
        e: '{{analysis.budget}} · {{analysis.key_insights}}',
      }),
    ).toEqual({
      a: 'kitchen_remodel via google',
      b: '84/100 (high)',
      c: 'Call call_abc on +14045558514 at 2026-11-20T15:15:00.000Z',
      d: '{"json": true} 140s',
      e: '$30,000-$40,000 · Budget $30-40k; Ready for estimates',
    });
  });

  it('renders a missing value as empty text and leaves out a property that renders empty', () => {
    const noAttribution = { ...call, attribution: {}, trackingNumberE164: null, startedAt: null };
    expect(
      render(
        {
          campaign: '{{call.utm_campaign}}',
          both: '{{analysis.intent}} via {{call.utm_source}}',
          tracking: '{{call.tracking_number}}',
          when: '{{call.started_at}}',
          intent: '{{analysis.intent}}',
          blank: '  ',
        },
        null,
        noAttribution,
      ),
    ).toEqual({
      both: 'via',
      // The raw number when the E.164 form is unknown; the time received when the start is.
      tracking: '(404) 555-8514',
      when: '2026-11-20T15:20:00.000Z',
    });
  });

  it('says budgets in words', () => {
    expect(budgetText({ min: 30000, max: 30000 })).toBe('$30,000');
    expect(budgetText({ min: 50000, max: null })).toBe('$50,000+');
    expect(budgetText({ min: null, max: 10000 })).toBe('up to $10,000');
    expect(budgetText({ min: null, max: null })).toBeNull();
  });

  it('puts the tenant over the defaults, and "" removes a default', () => {
    const mapping = effectiveFieldMapping('hubspot', {
      contact: {
        callsight_summary: '',
        lead_channel: '{{call.source}}',
        callsight_intent: 'Intent: {{analysis.intent}}',
      },
    });
    expect(mapping.contact).toEqual({
      callsight_lead_score: '{{analysis.score}}',
      callsight_band: '{{analysis.band}}',
      callsight_intent: 'Intent: {{analysis.intent}}',
      callsight_last_call_at: '{{call.started_at}}',
      lead_channel: '{{call.source}}',
    });
    expect(mapping.deal).toEqual(defaultFieldMappings.hubspot.deal);
    expect(fieldMappingOf('pipedrive', {})).toEqual({ contact: {}, deal: {}, call: {}, task: {} });
    expect(
      fieldMappingOf('salesforce', { fieldMapping: { task: { Callsight_Lead_Score__c: '{{analysis.score}}' } } }).task,
    ).toEqual({ Callsight_Lead_Score__c: '{{analysis.score}}' });
  });
});

describe('checking a mapping when it is saved', () => {
  it('names the field and the unknown variable', () => {
    expect(saveProblem({ contact: { callsight_intent: '{{analysis.nope}}' } })).toEqual({
      field: 'options.fieldMapping.contact.callsight_intent',
      message: 'options.fieldMapping.contact.callsight_intent: unknown template variable {{analysis.nope}}',
    });
    expect(saveProblem({ call: { x: '{{call.utm_source}} and {{call.utm_sorce}}' } })?.message).toContain(
      '{{call.utm_sorce}}',
    );
  });

  it('refuses malformed braces', () => {
    const cases: Array<[string, RegExp]> = [
      ['{{analysis.intent', /"\{\{" is never closed/],
      ['analysis.intent}}', /"\}\}" without an opening "\{\{"/],
      ['}} {{analysis.intent}}', /"\}\}" without an opening "\{\{"/],
      ['{{}}', /empty variable/],
      ['{{ {{analysis.intent}} }}', /"\{\{" inside a variable/],
      ['{{analysis intent}}', /malformed variable/],
      ['{{Analysis.Intent}}', /malformed variable/],
    ];
    for (const [template, message] of cases) {
      expect(saveProblem({ deal: { p: template } }), template).toMatchObject({
        field: 'options.fieldMapping.deal.p',
        message: expect.stringMatching(message),
      });
    }
    expect(parseTemplate('{single} braces are text')).toEqual({
      ok: true,
      parts: [{ text: '{single} braces are text' }],
    });
  });

  it('refuses empty or odd property names, too many properties, long templates and unknown objects', () => {
    expect(saveProblem({ contact: { '': '{{call.id}}' } })).toMatchObject({
      field: 'options.fieldMapping.contact.',
      message: expect.stringContaining('property name is empty'),
    });
    expect(saveProblem({ contact: { 'lead channel': 'x' } })?.message).toContain('letters, digits and underscores');
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, '{{call.id}}']));
    expect(saveProblem({ task: many })).toMatchObject({
      field: 'options.fieldMapping.task',
      message: expect.stringContaining('at most 50 properties'),
    });
    expect(saveProblem({ task: Object.fromEntries(Object.entries(many).slice(0, 50)) })).toBeNull();
    expect(saveProblem({ call: { p: 'x'.repeat(1001) } })).toMatchObject({
      field: 'options.fieldMapping.call.p',
      message: expect.stringContaining('at most 1000 characters'),
    });
    expect(saveProblem({ person: {} })?.field).toBe('options.fieldMapping');
    expect(saveProblem({ contact: { callsight_summary: '' } })).toBeNull();
    expect(checkIntegrationOptions('pipedrive', { fieldMapping: { contact: { a1b2: '{{nope.x}}' } } })).toMatchObject({
      ok: false,
      field: 'options.fieldMapping.contact.a1b2',
    });
  });

  it('accepts every documented variable', () => {
    const all = Object.fromEntries(Object.keys(TEMPLATE_VARIABLES).map((name, i) => [`p${i}`, `{{${name}}}`]));
    expect(FieldMappingSchema.safeParse({ contact: all }).success).toBe(true);
    // Every variable reads something from a call and analysis that have everything.
    const attribution = Object.fromEntries(
      [
        'utmSource',
        'utmMedium',
        'utmCampaign',
        'utmTerm',
        'utmContent',
        'gclid',
        'landingPage',
        'referrer',
        'campaign',
        'sourceName',
      ].map((k) => [k, k]),
    );
    const full = { ...analysis, actionItems: ['Send estimate'] } as Analysis;
    expect(Object.keys(render(all, full, { ...call, attribution }))).toHaveLength(
      Object.keys(TEMPLATE_VARIABLES).length,
    );
  });
});

describe('the defaults', () => {
  it('are valid mappings over known variables', () => {
    for (const mapping of Object.values(defaultFieldMappings)) {
      expect(FieldMappingSchema.safeParse(mapping).success).toBe(true);
      for (const object of mappedObjects) {
        for (const template of Object.values(mapping[object])) expect(templateVariables(template).ok).toBe(true);
      }
    }
  });

  it('write only the HubSpot properties the set-up creates, on the object that has them', () => {
    const objectType = { contact: 'contacts', deal: 'deals', call: 'calls', task: 'tasks' } as const;
    for (const object of mappedObjects) {
      const created = CALLSIGHT_PROPERTIES[objectType[object]].map((p) => p.name);
      for (const name of Object.keys(defaultFieldMappings.hubspot[object])) expect(created, object).toContain(name);
    }
  });

  it('write only Salesforce fields of FIELDS.md, on Leads and Contacts alike', () => {
    const fieldsOf = (type: 'Lead' | 'Contact' | 'Task') => Object.keys(callsightCustomFields[type] ?? {});
    for (const name of Object.keys(defaultFieldMappings.salesforce.contact)) {
      expect(fieldsOf('Lead')).toContain(name);
      expect(fieldsOf('Contact')).toContain(name);
    }
    for (const name of Object.keys(defaultFieldMappings.salesforce.call)) expect(fieldsOf('Task')).toContain(name);
    expect(render(defaultFieldMappings.salesforce.contact)).toEqual({
      Callsight_Lead_Score__c: '84',
      Callsight_Score_Band__c: 'High',
      Callsight_Intent__c: 'kitchen_remodel',
    });
  });
});

describe('adapters merge task and activity properties', () => {
  const contact = { crm: 'pipedrive' as const, type: 'person', id: '7', url: null };
  const task: NewTask = {
    externalId: 'call_abc:callback',
    contact,
    deal: null,
    ownerId: null,
    subject: 'Call back Dana',
    body: 'Missed call',
    dueAt: '2026-11-20T15:30:00.000Z',
    priority: 'high',
    properties: { location: 'Rochester', note: 'not the tag' },
  };

  it('Salesforce: follow-up Tasks carry the mapped fields', () => {
    expect(
      followUpTaskBody({
        ...task,
        contact: { ...contact, crm: 'salesforce', type: 'Lead', id: '00Q1' },
        properties: { Callsight_Lead_Score__c: '84' },
      }),
    ).toMatchObject({ Callsight_Lead_Score__c: '84', Subject: 'Call back Dana' });
  });

  it('Pipedrive: activities carry the mapped fields, and the reference tag stays in the note', () => {
    const body = taskActivityBody(task, 'task');
    expect(body).toMatchObject({ location: 'Rochester', type: 'task' });
    expect(body.note).toContain('[callsight:task:call_abc:callback]');
    const log: CallLog = {
      externalId: 'call_abc',
      contact,
      deal: null,
      ownerId: null,
      direction: 'inbound',
      outcome: 'answered',
      startedAt: '2026-11-20T15:15:00.000Z',
      durationSeconds: 140,
      recordingUrl: null,
      title: 'Inbound call',
      body: 'Summary',
      properties: { public_description: 'kitchen_remodel' },
    };
    expect(callActivityBody(log)).toMatchObject({ public_description: 'kitchen_remodel', type: 'call' });
  });
});
