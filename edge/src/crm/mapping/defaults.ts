// The mapping a new customer starts with, per CRM: the fields Callsight's set-up creates (HubSpot,
// crm/hubspot/properties.ts) or an admin creates from FIELDS.md (Salesforce). FIELD-MAPPING.md
// explains each choice, including what is left out and why.
import type { CrmKind } from '../port';

export const mappedObjects = ['contact', 'deal', 'call', 'task'] as const;
export type MappedObject = (typeof mappedObjects)[number];

/** Per object: CRM property (field) name → template. */
export type FieldMapping = Record<MappedObject, Record<string, string>>;

const score = '{{analysis.score}}';
const band = '{{analysis.band}}';
const intent = '{{analysis.intent}}';

export const defaultFieldMappings: Record<CrmKind, FieldMapping> = {
  // callsight_call_id and callsight_task_id are written by the adapter itself (its idempotency
  // key), and callsight_do_not_call by setDoNotCall: they are not the mapping's to change.
  hubspot: {
    contact: {
      callsight_lead_score: score,
      callsight_band: band,
      callsight_intent: intent,
      callsight_summary: '{{analysis.summary}}',
      callsight_last_call_at: '{{call.started_at}}',
    },
    deal: {
      callsight_lead_score: score,
      callsight_band: band,
      callsight_intent: intent,
      callsight_source: '{{call.source}}',
      callsight_utm_source: '{{call.utm_source}}',
      callsight_utm_medium: '{{call.utm_medium}}',
      callsight_utm_campaign: '{{call.utm_campaign}}',
      callsight_gclid: '{{call.gclid}}',
      callsight_landing_page: '{{call.landing_page}}',
    },
    call: {
      callsight_lead_score: score,
      callsight_band: band,
      callsight_intent: intent,
      callsight_disposition: '{{analysis.disposition}}',
    },
    task: {},
  },
  // Lead and Contact carry the same custom fields. The "deal" is either the Lead itself or an
  // Opportunity, whose only Callsight field (priority) the adapter writes: no deal defaults.
  // Callsight_Last_Call_Url__c is left out: a sync has no link to a Callsight call page to put there.
  salesforce: {
    contact: {
      Callsight_Lead_Score__c: score,
      Callsight_Score_Band__c: '{{analysis.band_label}}',
      Callsight_Intent__c: intent,
    },
    deal: {},
    call: {
      Callsight_Recording_Url__c: '{{call.recording_url}}',
      Callsight_Lead_Score__c: score,
    },
    task: {},
  },
  // Pipedrive names custom fields by a 40-character key generated per company: no default can
  // know it. The admin maps the fields of FIELDS.md §3 by their keys.
  pipedrive: { contact: {}, deal: {}, call: {}, task: {} },
};
