// The HubSpot-defined properties the sandbox knows, per object type: enough for what Callsight and
// an official client write and read. Custom properties come on top through the properties API.
import type { ObjectType } from './object-types';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

/** A property as `GET /crm/v3/properties/{objectType}` returns it (OpenAPI schema `Property`). */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt?: string;
  updatedAt?: string;
  archived: boolean;
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

type Spec = [name: string, type: string, fieldType: string, extra?: { readOnly?: boolean; options?: string[] }];

const options = (values: string[]): PropertyOption[] =>
  values.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false }));

const readOnly = { readOnly: true };

// hs_call_status values: reference §1.5 [S]; hs_task_* values: §1.6 [S/U].
const CALL_STATUSES = [
  'BUSY',
  'CALLING_CRM_USER',
  'CANCELED',
  'COMPLETED',
  'CONNECTING',
  'FAILED',
  'IN_PROGRESS',
  'MISSED',
  'NO_ANSWER',
  'QUEUED',
  'RINGING',
];

/** The default call outcomes (reference §1.5: the same GUIDs in every portal, as far as known). */
export const DEFAULT_CALL_DISPOSITIONS: PropertyOption[] = [
  ['Busy', '9d9162e7-6cf3-4944-bf63-4dff82258764'],
  ['Connected', 'f240bbac-87c9-4f6e-bf70-924b57d47db7'],
  ['Left live message', 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff'],
  ['Left voicemail', 'b2cf5968-551e-4856-9783-52b3da59a7d0'],
  ['No answer', '73a0d17f-1163-4015-bdd5-ec830791da20'],
  ['Wrong number', '17b47fee-58de-441e-a44c-c6300d46f273'],
].map(([label, value], i) => ({ label: label as string, value: value as string, displayOrder: i, hidden: false }));

const owner: Spec = ['hubspot_owner_id', 'enumeration', 'select'];

const CATALOG: Record<ObjectType, { group: string; groupLabel: string; specs: Spec[] }> = {
  contacts: {
    group: 'contactinformation',
    groupLabel: 'Contact information',
    specs: [
      ['email', 'string', 'text'],
      ['firstname', 'string', 'text'],
      ['lastname', 'string', 'text'],
      ['phone', 'string', 'phonenumber'],
      ['mobilephone', 'string', 'phonenumber'],
      ['company', 'string', 'text'],
      ['jobtitle', 'string', 'text'],
      ['city', 'string', 'text'],
      ['country', 'string', 'text'],
      ['website', 'string', 'text'],
      [
        'lifecyclestage',
        'enumeration',
        'radio',
        {
          options: [
            'subscriber',
            'lead',
            'marketingqualifiedlead',
            'salesqualifiedlead',
            'opportunity',
            'customer',
            'evangelist',
            'other',
          ],
        },
      ],
      [
        'hs_lead_status',
        'enumeration',
        'radio',
        {
          options: [
            'NEW',
            'OPEN',
            'IN_PROGRESS',
            'OPEN_DEAL',
            'UNQUALIFIED',
            'ATTEMPTED_TO_CONTACT',
            'CONNECTED',
            'BAD_TIMING',
          ],
        },
      ],
      owner,
      ['hs_object_id', 'number', 'number', readOnly],
      ['createdate', 'datetime', 'date', readOnly],
      ['lastmodifieddate', 'datetime', 'date', readOnly],
      ['hs_calculated_phone_number', 'string', 'text', readOnly],
      ['hs_calculated_mobile_number', 'string', 'text', readOnly],
      ['hs_searchable_calculated_phone_number', 'string', 'text', readOnly],
      ['hs_searchable_calculated_mobile_number', 'string', 'text', readOnly],
    ],
  },
  deals: {
    group: 'dealinformation',
    groupLabel: 'Deal information',
    specs: [
      ['dealname', 'string', 'text'],
      ['amount', 'number', 'number'],
      ['closedate', 'datetime', 'date'],
      ['pipeline', 'enumeration', 'select'],
      ['dealstage', 'enumeration', 'radio'],
      ['dealtype', 'enumeration', 'radio', { options: ['newbusiness', 'existingbusiness'] }],
      ['description', 'string', 'textarea'],
      // Deal priority values are lower case in HubSpot as far as we know (reference has none).
      ['hs_priority', 'enumeration', 'select', { options: ['low', 'medium', 'high'] }],
      owner,
      ['createdate', 'datetime', 'date'],
      ['hs_object_id', 'number', 'number', readOnly],
      ['hs_lastmodifieddate', 'datetime', 'date', readOnly],
      ['hs_is_closed', 'bool', 'booleancheckbox', readOnly],
      ['hs_is_closed_won', 'bool', 'booleancheckbox', readOnly],
    ],
  },
  calls: {
    group: 'callinformation',
    groupLabel: 'Call information',
    specs: [
      ['hs_timestamp', 'datetime', 'date'],
      ['hs_call_title', 'string', 'text'],
      ['hs_call_body', 'string', 'html'],
      ['hs_call_direction', 'enumeration', 'select', { options: ['INBOUND', 'OUTBOUND'] }],
      ['hs_call_duration', 'number', 'number'],
      ['hs_call_recording_url', 'string', 'text'],
      ['hs_call_status', 'enumeration', 'select', { options: CALL_STATUSES }],
      ['hs_call_disposition', 'enumeration', 'select'],
      ['hs_call_from_number', 'string', 'text'],
      ['hs_call_to_number', 'string', 'text'],
      ['hs_call_callee_object_id', 'number', 'number'],
      ['hs_call_callee_object_type', 'enumeration', 'select', { options: ['CONTACT', 'COMPANY'] }],
      owner,
      ['hs_object_id', 'number', 'number', readOnly],
      ['hs_createdate', 'datetime', 'date', readOnly],
      ['hs_lastmodifieddate', 'datetime', 'date', readOnly],
    ],
  },
  tasks: {
    group: 'taskinformation',
    groupLabel: 'Task information',
    specs: [
      ['hs_timestamp', 'datetime', 'date'],
      ['hs_task_subject', 'string', 'text'],
      ['hs_task_body', 'string', 'html'],
      [
        'hs_task_status',
        'enumeration',
        'select',
        { options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] },
      ],
      ['hs_task_priority', 'enumeration', 'select', { options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] }],
      ['hs_task_type', 'enumeration', 'select', { options: ['CALL', 'EMAIL', 'TODO'] }],
      owner,
      ['hs_object_id', 'number', 'number', readOnly],
      ['hs_createdate', 'datetime', 'date', readOnly],
      ['hs_lastmodifieddate', 'datetime', 'date', readOnly],
    ],
  },
  notes: {
    group: 'noteinformation',
    groupLabel: 'Note information',
    specs: [
      ['hs_timestamp', 'datetime', 'date'],
      ['hs_note_body', 'string', 'html'],
      ['hs_attachment_ids', 'enumeration', 'checkbox'],
      owner,
      ['hs_object_id', 'number', 'number', readOnly],
      ['hs_createdate', 'datetime', 'date', readOnly],
      ['hs_lastmodifieddate', 'datetime', 'date', readOnly],
    ],
  },
};

/** Properties whose allowed values are not a fixed list in the definition. */
export const EXTERNAL_OPTIONS = new Set(['hubspot_owner_id', 'pipeline', 'dealstage', 'hs_attachment_ids']);

export function defaultGroups(type: ObjectType): PropertyGroupDefinition[] {
  const c = CATALOG[type];
  return [{ name: c.group, label: c.groupLabel, displayOrder: 0, archived: false }];
}

export function defaultProperties(type: ObjectType): PropertyDefinition[] {
  const c = CATALOG[type];
  return c.specs.map(([name, ptype, fieldType, extra], i) => ({
    name,
    label: name,
    type: ptype,
    fieldType,
    groupName: c.group,
    description: '',
    options:
      name === 'hs_call_disposition'
        ? DEFAULT_CALL_DISPOSITIONS
        : ptype === 'bool'
          ? [
              { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
              { label: 'No', value: 'false', displayOrder: 1, hidden: false },
            ]
          : options(extra?.options ?? []),
    displayOrder: i,
    calculated: extra?.readOnly === true,
    externalOptions: EXTERNAL_OPTIONS.has(name),
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: true,
    formField: extra?.readOnly !== true,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: extra?.readOnly === true },
    archived: false,
  }));
}

/** Properties an engagement cannot be created without (reference §1.5: `hs_timestamp` required). */
export function requiredOnCreate(type: ObjectType): string[] {
  return type === 'calls' || type === 'tasks' || type === 'notes' ? ['hs_timestamp'] : [];
}
