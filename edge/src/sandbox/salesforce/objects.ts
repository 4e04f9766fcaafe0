// The sObjects the sandbox knows, with the standard fields the adapter touches and the Callsight
// custom fields documented in crm/salesforce/FIELDS.md. Field names, types and lengths follow
// Salesforce's field reference; anything not listed answers INVALID_FIELD like a real org would.

export type SObjectType = 'Lead' | 'Contact' | 'Task' | 'Opportunity' | 'User' | 'Organization';
export type FieldValue = string | number | boolean | null;
export type FieldType =
  | 'string'
  | 'textarea'
  | 'phone'
  | 'email'
  | 'url'
  | 'boolean'
  | 'int'
  | 'double'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'picklist';

export interface FieldDef {
  label: string;
  type: FieldType;
  /** Settable through the API on insert / on update. Derived fields are neither. */
  createable: boolean;
  updateable: boolean;
  required?: boolean;
  length?: number;
  values?: readonly string[];
  /** A restricted picklist rejects values outside `values`. */
  restricted?: boolean;
  referenceTo?: readonly SObjectType[];
  externalId?: boolean;
  unique?: boolean;
  defaultValue?: FieldValue;
}

export interface SObjectDef {
  name: SObjectType;
  keyPrefix: string;
  /** Whether `POST /sobjects/{name}` is allowed. */
  createable: boolean;
  fields: Record<string, FieldDef>;
}

type FieldOptions = Partial<Omit<FieldDef, 'label' | 'type'>>;
const field = (label: string, type: FieldType, options: FieldOptions = {}): FieldDef => ({
  label,
  type,
  createable: true,
  updateable: true,
  ...options,
});
const derived = (label: string, type: FieldType): FieldDef =>
  field(label, type, { createable: false, updateable: false });
const text = (label: string, length: number, options: FieldOptions = {}) =>
  field(label, 'string', { length, ...options });
const phone = (label: string) => field(label, 'phone', { length: 40 });
const owner = () => field('Owner ID', 'reference', { referenceTo: ['User'] });

/** Every object has these; the store fills them. */
const systemFields = {
  Id: derived('Record ID', 'string'),
  CreatedDate: derived('Created Date', 'datetime'),
  LastModifiedDate: derived('Last Modified Date', 'datetime'),
};

const leadSources = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;
const priorities = ['High', 'Medium', 'Low'] as const;

/** The Callsight custom fields an admin creates (FIELDS.md); tests may drop some to model a half-set-up org. */
export const callsightCustomFields: Partial<Record<SObjectType, Record<string, FieldDef>>> = {
  Lead: {
    Callsight_Lead_Score__c: field('Callsight Lead Score', 'double'),
    Callsight_Score_Band__c: field('Callsight Score Band', 'picklist', { values: priorities }),
    Callsight_Intent__c: text('Callsight Intent', 80),
    Callsight_Last_Call_Url__c: field('Callsight Last Call', 'url', { length: 255 }),
  },
  Contact: {
    Callsight_Lead_Score__c: field('Callsight Lead Score', 'double'),
    Callsight_Score_Band__c: field('Callsight Score Band', 'picklist', { values: priorities }),
    Callsight_Intent__c: text('Callsight Intent', 80),
    Callsight_Last_Call_Url__c: field('Callsight Last Call', 'url', { length: 255 }),
  },
  Task: {
    Callsight_Call_Id__c: text('Callsight Call ID', 255, { externalId: true, unique: true }),
    Callsight_Recording_Url__c: field('Callsight Recording', 'url', { length: 255 }),
    Callsight_Lead_Score__c: field('Callsight Lead Score', 'double'),
  },
  Opportunity: {
    Callsight_Priority__c: field('Callsight Priority', 'picklist', { values: priorities }),
  },
};

const standardObjects: SObjectDef[] = [
  {
    name: 'Lead',
    keyPrefix: '00Q',
    createable: true,
    fields: {
      ...systemFields,
      FirstName: text('First Name', 40),
      LastName: text('Last Name', 80, { required: true }),
      Name: derived('Full Name', 'string'),
      Company: text('Company', 255, { required: true }),
      Title: text('Title', 128),
      Phone: phone('Phone'),
      MobilePhone: phone('Mobile Phone'),
      Email: field('Email', 'email', { length: 80 }),
      LeadSource: field('Lead Source', 'picklist', { values: leadSources }),
      Status: field('Lead Status', 'picklist', {
        values: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
        defaultValue: 'Open - Not Contacted',
      }),
      Rating: field('Rating', 'picklist', { values: ['Hot', 'Warm', 'Cold'] }),
      OwnerId: owner(),
      Description: field('Description', 'textarea', { length: 32000 }),
      DoNotCall: field('Do Not Call', 'boolean', { defaultValue: false }),
      HasOptedOutOfEmail: field('Email Opt Out', 'boolean', { defaultValue: false }),
      IsConverted: derived('Converted', 'boolean'),
    },
  },
  {
    name: 'Contact',
    keyPrefix: '003',
    createable: true,
    fields: {
      ...systemFields,
      FirstName: text('First Name', 40),
      LastName: text('Last Name', 80, { required: true }),
      Name: derived('Full Name', 'string'),
      Title: text('Title', 128),
      Phone: phone('Business Phone'),
      MobilePhone: phone('Mobile Phone'),
      HomePhone: phone('Home Phone'),
      OtherPhone: phone('Other Phone'),
      Email: field('Email', 'email', { length: 80 }),
      LeadSource: field('Lead Source', 'picklist', { values: leadSources }),
      OwnerId: owner(),
      Description: field('Contact Description', 'textarea', { length: 32000 }),
      DoNotCall: field('Do Not Call', 'boolean', { defaultValue: false }),
      HasOptedOutOfEmail: field('Email Opt Out', 'boolean', { defaultValue: false }),
    },
  },
  {
    name: 'Task',
    keyPrefix: '00T',
    createable: true,
    fields: {
      ...systemFields,
      Subject: text('Subject', 255),
      WhoId: field('Name ID', 'reference', { referenceTo: ['Contact', 'Lead'] }),
      WhatId: field('Related To ID', 'reference', { referenceTo: ['Opportunity'] }),
      ActivityDate: field('Due Date Only', 'date'),
      Status: field('Status', 'picklist', {
        values: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        defaultValue: 'Not Started',
      }),
      Priority: field('Priority', 'picklist', { values: ['High', 'Normal', 'Low'], defaultValue: 'Normal' }),
      OwnerId: owner(),
      Description: field('Description', 'textarea', { length: 32000 }),
      CallDurationInSeconds: field('Call Duration', 'int'),
      CallDisposition: text('Call Result', 255),
      CallObject: text('Call Object Identifier', 255),
      CallType: field('Call Type', 'picklist', { values: ['Internal', 'Inbound', 'Outbound'], restricted: true }),
      // Create-only: Salesforce fixes the subtype when the task is inserted.
      TaskSubtype: field('Task Subtype', 'picklist', {
        values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
        restricted: true,
        updateable: false,
        defaultValue: 'Task',
      }),
      IsReminderSet: field('Reminder Set', 'boolean', { defaultValue: false }),
      ReminderDateTime: field('Reminder Date/Time', 'datetime'),
      IsClosed: derived('Closed', 'boolean'),
    },
  },
  {
    name: 'Opportunity',
    keyPrefix: '006',
    createable: true,
    fields: {
      ...systemFields,
      Name: text('Name', 120, { required: true }),
      StageName: field('Stage', 'picklist', {
        required: true,
        values: [
          'Prospecting',
          'Qualification',
          'Needs Analysis',
          'Value Proposition',
          'Id. Decision Makers',
          'Perception Analysis',
          'Proposal/Price Quote',
          'Negotiation/Review',
          'Closed Won',
          'Closed Lost',
        ],
      }),
      CloseDate: field('Close Date', 'date', { required: true }),
      // Only set on insert: it creates the primary contact role.
      ContactId: field('Contact ID', 'reference', { referenceTo: ['Contact'], updateable: false }),
      Amount: field('Amount', 'double'),
      LeadSource: field('Lead Source', 'picklist', { values: leadSources }),
      OwnerId: owner(),
      Description: field('Description', 'textarea', { length: 32000 }),
      IsClosed: derived('Closed', 'boolean'),
    },
  },
  {
    name: 'User',
    keyPrefix: '005',
    createable: true,
    fields: {
      ...systemFields,
      FirstName: text('First Name', 40),
      LastName: text('Last Name', 80, { required: true }),
      Name: derived('Full Name', 'string'),
      Email: field('Email', 'email', { length: 128, required: true }),
      Username: text('Username', 80, { required: true, unique: true }),
      IsActive: field('Active', 'boolean', { defaultValue: true }),
    },
  },
  {
    name: 'Organization',
    keyPrefix: '00D',
    createable: false,
    fields: { ...systemFields, Name: text('Name', 80, { updateable: false }) },
  },
];

export type SchemaOverrides = Partial<Record<SObjectType, Record<string, FieldDef>>>;

/** The org's schema: standard objects plus custom fields (the documented set unless overridden). */
export function buildSchema(customFields: SchemaOverrides = callsightCustomFields): Map<string, SObjectDef> {
  return new Map(
    standardObjects.map((o) => [o.name, { ...o, fields: { ...o.fields, ...(customFields[o.name] ?? {}) } }]),
  );
}

export function objectForId(schema: Map<string, SObjectDef>, id: string): SObjectDef | undefined {
  return [...schema.values()].find((o) => id.startsWith(o.keyPrefix));
}

/** Values Salesforce computes from a record: full names and closed flags. */
export function derivedValues(type: SObjectType, fields: Record<string, FieldValue>): Record<string, FieldValue> {
  const fullName = () => [fields.FirstName, fields.LastName].filter((v) => typeof v === 'string' && v).join(' ');
  switch (type) {
    case 'Lead':
      return { Name: fullName(), IsConverted: false };
    case 'Contact':
    case 'User':
      return { Name: fullName() };
    case 'Task':
      return { IsClosed: fields.Status === 'Completed' };
    case 'Opportunity':
      return { IsClosed: fields.StageName === 'Closed Won' || fields.StageName === 'Closed Lost' };
    default:
      return {};
  }
}
