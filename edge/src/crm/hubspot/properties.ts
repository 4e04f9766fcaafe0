// The custom HubSpot properties Callsight's default field mapping writes, and the set-up that
// creates them through the properties API (reference crm-apis.md §1.10). The reference names no
// HubSpot-defined do-not-call property for phone calls (the standard opt-outs are about email),
// so Callsight adds `callsight_do_not_call` on contacts. Running the set-up again is harmless: a
// 409 means the group or property is already there.
import { CrmError } from '../port';
import type { HubspotHttp } from './http';

export const CALLSIGHT_GROUP = { name: 'callsight', label: 'Callsight', displayOrder: -1 } as const;

export interface CallsightProperty {
  name: string;
  label: string;
  type: 'string' | 'number' | 'enumeration' | 'bool' | 'datetime';
  fieldType: 'text' | 'textarea' | 'number' | 'select' | 'booleancheckbox' | 'date';
  description: string;
  options?: { label: string; value: string; displayOrder: number; hidden: boolean }[];
}

export type CallsightObjectType = 'contacts' | 'deals' | 'calls' | 'tasks';

const option = (label: string, value: string, displayOrder: number) => ({ label, value, displayOrder, hidden: false });

const score: CallsightProperty = {
  name: 'callsight_lead_score',
  label: 'Callsight lead score',
  type: 'number',
  fieldType: 'number',
  description: 'Lead score (0-100) of the latest call analysed by Callsight.',
};
const band: CallsightProperty = {
  name: 'callsight_band',
  label: 'Callsight score band',
  type: 'enumeration',
  fieldType: 'select',
  description: 'high (80+), medium (50-79) or low (under 50).',
  options: [option('High', 'high', 0), option('Medium', 'medium', 1), option('Low', 'low', 2)],
};
const intent: CallsightProperty = {
  name: 'callsight_intent',
  label: 'Callsight intent',
  type: 'string',
  fieldType: 'text',
  description: "The project or need the caller asked about, from the tenant's taxonomy.",
};
const text = (name: string, label: string, description: string): CallsightProperty => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
  description,
});

/** Every property the set-up creates, per object type. */
export const CALLSIGHT_PROPERTIES: Record<CallsightObjectType, CallsightProperty[]> = {
  contacts: [
    score,
    band,
    intent,
    {
      name: 'callsight_summary',
      label: 'Callsight call summary',
      type: 'string',
      fieldType: 'textarea',
      description: 'Summary of the latest analysed call.',
    },
    {
      name: 'callsight_last_call_at',
      label: 'Callsight last call',
      type: 'datetime',
      fieldType: 'date',
      description: 'When the latest call with this contact started.',
    },
    {
      name: 'callsight_do_not_call',
      label: 'Do not call (Callsight)',
      type: 'bool',
      fieldType: 'booleancheckbox',
      description: 'The caller asked not to be called again. Set by Callsight; respect it in every dialer.',
      options: [option('Yes', 'true', 0), option('No', 'false', 1)],
    },
  ],
  deals: [
    score,
    band,
    intent,
    text(
      'callsight_source',
      'Callsight call source',
      'The call-tracking source of the first call (CallRail, Retell…).',
    ),
    text('callsight_utm_source', 'Callsight UTM source', 'utm_source of the call that created the deal.'),
    text('callsight_utm_medium', 'Callsight UTM medium', 'utm_medium of the call that created the deal.'),
    text('callsight_utm_campaign', 'Callsight UTM campaign', 'utm_campaign of the call that created the deal.'),
    text('callsight_gclid', 'Callsight gclid', 'Google Ads click id of the call that created the deal.'),
    text('callsight_landing_page', 'Callsight landing page', 'Landing page of the call that created the deal.'),
  ],
  calls: [
    text(
      'callsight_call_id',
      'Callsight call id',
      "Callsight's id of this call: finds the call again without a search.",
    ),
    score,
    band,
    intent,
    text('callsight_disposition', 'Callsight disposition', 'Outcome found by the analysis (hot_lead, voicemail…).'),
  ],
  tasks: [text('callsight_task_id', 'Callsight task id', "Callsight's id of this follow-up task.")],
};

export interface PropertySetupReport {
  /** `objectType.property` created by this run. */
  created: string[];
  /** Already there (409): left as they are. */
  existing: string[];
}

/** Creates the Callsight property group and properties on every object type, idempotently. */
export async function setupProperties(http: HubspotHttp): Promise<PropertySetupReport> {
  const report: PropertySetupReport = { created: [], existing: [] };
  for (const [objectType, properties] of Object.entries(CALLSIGHT_PROPERTIES)) {
    await createUnlessExists(() => http.post(`/crm/v3/properties/${objectType}/groups`, CALLSIGHT_GROUP));
    for (const p of properties) {
      const created = await createUnlessExists(() =>
        http.post(`/crm/v3/properties/${objectType}`, { ...p, groupName: CALLSIGHT_GROUP.name, formField: false }),
      );
      (created ? report.created : report.existing).push(`${objectType}.${p.name}`);
    }
  }
  return report;
}

async function createUnlessExists(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (e) {
    if (e instanceof CrmError && e.status === 409) return false;
    throw e;
  }
}
