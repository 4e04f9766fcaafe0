import type { CallLog, NewContact, NewDeal, NewTask } from '../port';

// The record bodies the adapter writes, from the port's inputs: pure functions, so the mapping can
// be read (and tested) without HTTP. Field names are Salesforce's standard ones plus the custom
// fields in FIELDS.md; `properties` from the tenant's field mapping are merged last and win.

export type SObjectBody = Record<string, string | number | boolean | null>;

export interface BodyOptions {
  leadCompany: string;
  unknownLastName: string;
  opportunityStage: string;
  opportunityPriorityField: string | null;
}

/** Salesforce's picklist value for Lead Source on phone leads. */
const PHONE_LEAD_SOURCE = 'Phone Inquiry';

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A date-only value (`ActivityDate`, `CloseDate`) in UTC: the org's time zone is unknown here. */
export const dateOnly = (iso: string | number) => new Date(iso).toISOString().slice(0, 10);

/** Salesforce text areas are plain text: simple HTML from the analysis becomes lines. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const withoutNulls = (body: Record<string, string | number | boolean | null | undefined>): SObjectBody =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null)) as SObjectBody;

/** A new caller as a Lead: LastName and Company are required, so unknown ones get placeholders. */
export function leadBody(input: NewContact, options: BodyOptions): SObjectBody {
  return withoutNulls({
    FirstName: input.firstName,
    LastName: input.lastName || options.unknownLastName,
    Company: options.leadCompany,
    Phone: input.phone,
    Email: input.email,
    OwnerId: input.ownerId,
    LeadSource: PHONE_LEAD_SOURCE,
    ...input.properties,
  });
}

export function contactBody(input: NewContact, options: BodyOptions): SObjectBody {
  return withoutNulls({
    FirstName: input.firstName,
    LastName: input.lastName || options.unknownLastName,
    Phone: input.phone,
    Email: input.email,
    OwnerId: input.ownerId,
    LeadSource: PHONE_LEAD_SOURCE,
    ...input.properties,
  });
}

const RATING = { high: 'Hot', medium: 'Warm', low: 'Cold' } as const;
const PRIORITY_LABEL = { high: 'High', medium: 'Medium', low: 'Low' } as const;

/** For a Lead the "deal" is the Lead itself: its Rating carries the priority. */
export function leadQualificationBody(input: NewDeal): SObjectBody {
  return withoutNulls({ Rating: RATING[input.priority], ...input.properties });
}

export function opportunityBody(input: NewDeal, closeDate: string, options: BodyOptions): SObjectBody {
  return withoutNulls({
    Name: truncate(input.name, 120),
    StageName: options.opportunityStage,
    CloseDate: closeDate,
    ContactId: input.contact.id,
    OwnerId: input.ownerId,
    LeadSource: PHONE_LEAD_SOURCE,
    ...(options.opportunityPriorityField ? { [options.opportunityPriorityField]: PRIORITY_LABEL[input.priority] } : {}),
    ...input.properties,
  });
}

const DISPOSITION = {
  answered: 'Answered',
  missed: 'Missed',
  voicemail: 'Voicemail',
  in_progress: 'In progress',
} as const;

/** Tasks may point at an Opportunity (WhatId), but not when WhoId is a Lead. */
function relatedTo(contactType: string, deal: { type: string; id: string } | null): string | null {
  return deal && deal.type === 'Opportunity' && contactType !== 'Lead' ? deal.id : null;
}

/** The call as a completed Task of subtype Call. */
export function callTaskBody(input: CallLog): SObjectBody {
  const description = [htmlToText(input.body), input.recordingUrl ? `Recording: ${input.recordingUrl}` : null]
    .filter(Boolean)
    .join('\n\n');
  return withoutNulls({
    Subject: truncate(input.title, 255),
    Description: truncate(description, 32000),
    TaskSubtype: 'Call',
    CallType: input.direction === 'inbound' ? 'Inbound' : 'Outbound',
    CallDurationInSeconds: input.durationSeconds === null ? null : Math.round(input.durationSeconds),
    CallDisposition: DISPOSITION[input.outcome],
    CallObject: truncate(input.externalId, 255),
    ActivityDate: dateOnly(input.startedAt),
    Status: input.outcome === 'in_progress' ? 'In Progress' : 'Completed',
    Priority: 'Normal',
    WhoId: input.contact.id,
    WhatId: relatedTo(input.contact.type, input.deal),
    OwnerId: input.ownerId,
    ...withoutOverlongLinks(input.properties),
  });
}

/** Callsight's recording field is URL(255) (FIELDS.md); signed storage links run longer. */
const RECORDING_URL_FIELD = 'Callsight_Recording_Url__c';
const URL_FIELD_LENGTH = 255;

/**
 * A cut link opens nothing, and one too long fails the whole Task with STRING_TOO_LONG: such a
 * link stays out of the field, and the Description carries it in full.
 */
function withoutOverlongLinks(properties: Record<string, string>): Record<string, string> {
  const link = properties[RECORDING_URL_FIELD];
  if (link === undefined || link.length <= URL_FIELD_LENGTH) return properties;
  const { [RECORDING_URL_FIELD]: _tooLong, ...rest } = properties;
  return rest;
}

const TASK_PRIORITY = { high: 'High', medium: 'Normal', low: 'Low' } as const;

/** A follow-up (callback) Task with a reminder at the due time: ActivityDate holds no time. */
export function followUpTaskBody(input: NewTask): SObjectBody {
  return withoutNulls({
    Subject: truncate(input.subject, 255),
    Description: truncate(htmlToText(input.body), 32000),
    TaskSubtype: 'Task',
    ActivityDate: dateOnly(input.dueAt),
    Status: 'Not Started',
    Priority: TASK_PRIORITY[input.priority],
    IsReminderSet: true,
    ReminderDateTime: new Date(input.dueAt).toISOString(),
    WhoId: input.contact.id,
    WhatId: relatedTo(input.contact.type, input.deal),
    OwnerId: input.ownerId,
    ...input.properties,
  });
}
