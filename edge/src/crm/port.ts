// The one port every CRM adapter implements (HubSpot, Salesforce, Pipedrive). The sync engine
// (plan.ts → executor) speaks only this interface; adapters are thin `fetch` clients because the
// vendors' Node SDKs do not run on Workers.

export type CrmKind = 'hubspot' | 'salesforce' | 'pipedrive';

/** A record in the CRM: its id there, its type, and a link a person can open. */
export interface CrmRef {
  crm: CrmKind;
  /** The CRM's object type: contact, lead, deal, call, task, note, person, activity… */
  type: string;
  id: string;
  url: string | null;
}

/** A person the CRM already has, as far as phone matching needs. */
export interface CrmContact extends CrmRef {
  /** Every phone value on the record, exactly as the CRM stores it (free text). */
  phones: string[];
  ownerId: string | null;
  name: string | null;
  /** ISO time of the last change: several matches → the most recently updated wins. */
  updatedAt: string;
}

export interface NewContact {
  /** E.164. */
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  ownerId: string | null;
  /** Extra CRM properties from the tenant's field mapping, already rendered. */
  properties: Record<string, string>;
}

export interface NewDeal {
  name: string;
  contact: CrmRef;
  ownerId: string | null;
  priority: 'high' | 'medium' | 'low';
  properties: Record<string, string>;
}

export interface CallLog {
  /** Callsight's call id: adapters with upsert-by-external-id use it for idempotency. */
  externalId: string;
  contact: CrmRef;
  deal: CrmRef | null;
  ownerId: string | null;
  direction: 'inbound' | 'outbound';
  outcome: 'answered' | 'missed' | 'voicemail' | 'in_progress';
  startedAt: string;
  durationSeconds: number | null;
  recordingUrl: string | null;
  title: string;
  /** Plain text or simple HTML: summary, score, insights. */
  body: string;
  properties: Record<string, string>;
}

export interface NewTask {
  externalId: string;
  contact: CrmRef;
  deal: CrmRef | null;
  ownerId: string | null;
  subject: string;
  body: string;
  dueAt: string;
  priority: 'high' | 'medium' | 'low';
  /** Extra CRM properties from the tenant's field mapping, already rendered; absent means none. */
  properties?: Record<string, string>;
}

export interface CrmOwner {
  id: string;
  email: string;
  name: string | null;
}

export interface ConnectionCheck {
  ok: boolean;
  /** The account / portal / org the credentials reach, for the admin to confirm. */
  account: string | null;
  message: string;
}

export interface CrmPort {
  readonly crm: CrmKind;
  /**
   * Candidates for a phone number: the adapter searches in the formats the CRM may hold (E.164,
   * national, digits) and returns raw records; the caller compares E.164 locally.
   */
  findContactsByPhone(e164: string): Promise<CrmContact[]>;
  getContact(id: string): Promise<CrmContact | null>;
  findOwnerByEmail(email: string): Promise<CrmOwner | null>;
  createContact(input: NewContact): Promise<CrmRef>;
  findOpenDeal(contact: CrmRef): Promise<CrmRef | null>;
  createDeal(input: NewDeal): Promise<CrmRef>;
  logCall(input: CallLog): Promise<CrmRef>;
  createTask(input: NewTask): Promise<CrmRef>;
  setDoNotCall(contact: CrmRef): Promise<void>;
  testConnection(): Promise<ConnectionCheck>;
  /**
   * The call or task an earlier attempt may have created (it crashed or timed out after the CRM
   * committed), found by Callsight's id among the contact's records. Adapters whose writes are
   * upserts by external id (Salesforce) or that look before every create (Pipedrive) leave it out.
   */
  findLogged?(kind: 'call' | 'task', externalId: string, contact: CrmRef): Promise<CrmRef | null>;
}

/**
 * How a CRM failure is treated: `retryable` (429, 5xx, timeouts, Salesforce
 * REQUEST_LIMIT_EXCEEDED) backs off and tries again; `daily_limit` waits for the next day;
 * `permanent` (validation, auth) fails at once with the CRM's own message for the UI.
 */
export type CrmErrorKind = 'retryable' | 'daily_limit' | 'permanent';

export class CrmError extends Error {
  constructor(
    readonly crm: CrmKind,
    readonly kind: CrmErrorKind,
    /** The CRM's own words, shown to managers as is. */
    readonly crmMessage: string,
    readonly status: number | null,
    readonly retryAfterMs: number | null = null,
    /** The CRM's error code or throttle policy (`policyName`, `errorCode`), when it sent one. */
    readonly code: string | null = null,
  ) {
    super(`${crm} ${status ?? 'network'} ${code ?? ''}: ${crmMessage}`.replace(/\s+:/, ':'));
  }
}
