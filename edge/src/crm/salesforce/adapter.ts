import { z } from 'zod';
import { systemClock, type Clock } from '../../clock';
import {
  CrmError,
  type CallLog,
  type ConnectionCheck,
  type CrmContact,
  type CrmOwner,
  type CrmPort,
  type CrmRef,
  type NewContact,
  type NewDeal,
  type NewTask,
} from '../port';
import { SalesforceClient, type FetchLike, type SalesforceResponse } from './client';
import { duplicateRecordId, SalesforceError } from './errors';
import { CONTACT_SEARCH_FIELDS, LEAD_SEARCH_FIELDS, phoneSearchSosl, soqlString } from './phone-search';
import {
  callTaskBody,
  contactBody,
  dateOnly,
  followUpTaskBody,
  leadBody,
  leadQualificationBody,
  opportunityBody,
  type BodyOptions,
  type SObjectBody,
} from './sobject-bodies';

// Salesforce behind the CrmPort. New callers become Leads (or Contacts, if configured); calls and
// follow-ups become Tasks upserted by an external id, so a retried sync updates the Task it
// created instead of adding a second one. See FIELDS.md for what an admin sets up first.

export interface SalesforceAdapterOptions {
  /** The org's My Domain (`https://acme.my.salesforce.com`) for the token request. */
  loginUrl?: string;
  /** The instance; also used for the token request when `loginUrl` is absent. */
  instanceUrl?: string;
  clientId: string;
  clientSecret: string;
  /** `v60.0` or later. */
  apiVersion: string;
  fetch?: FetchLike;
  /** Per HTTP exchange; default 15 s. */
  timeoutMs?: number;
  clock?: Clock;
  /** Company on Leads we create (required by Salesforce, unknown for a caller). */
  leadCompany?: string;
  /** LastName when the caller's name is unknown; `[not provided]` is what Web-to-Lead uses. */
  unknownLastName?: string;
  /** What createContact creates: a Lead (default) or a Contact. */
  newContactObject?: 'Lead' | 'Contact';
  /** The Task external-id field (Text, External ID, Unique). */
  callIdField?: string;
  /** Stage and close date of Opportunities created for known Contacts. */
  opportunityStage?: string;
  opportunityCloseDays?: number;
  /** A picklist on Opportunity (High/Medium/Low) for the deal priority; none by default. */
  opportunityPriorityField?: string;
}

const KEY_PREFIX: Record<string, 'Lead' | 'Contact'> = { '00Q': 'Lead', '003': 'Contact' };
/** Fields Salesforce only accepts on insert; an upsert that lands on an existing record must drop them. */
const CREATE_ONLY_TASK_FIELDS = new Set(['TaskSubtype']);

const record = z.looseObject({ Id: z.string(), attributes: z.object({ type: z.string() }).optional() });
const queryAnswer = z.object({ records: z.array(record) });
const searchAnswer = z.object({ searchRecords: z.array(record) });
const saveAnswer = z.object({ id: z.string() });

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
/** Salesforce datetimes end in `+0000`; ISO 8601 wants `+00:00`. */
const isoTime = (value: unknown): string => {
  const t = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  return Number.isNaN(t) ? new Date(0).toISOString() : new Date(t).toISOString();
};

export function createSalesforceAdapter(options: SalesforceAdapterOptions): CrmPort {
  const versionMatch = /^v(\d+)\.0$/.exec(options.apiVersion);
  if (!versionMatch || Number(versionMatch[1]) < 60) {
    throw new Error(`Salesforce apiVersion must look like v60.0 or later, got ${options.apiVersion}`);
  }
  const tokenUrl = options.loginUrl ?? options.instanceUrl;
  if (!tokenUrl) throw new Error('Salesforce needs loginUrl (My Domain) or instanceUrl');

  const clock = options.clock ?? systemClock;
  const client = new SalesforceClient({
    tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    apiVersion: options.apiVersion,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 15_000,
    clock,
  });
  const bodies: BodyOptions = {
    leadCompany: options.leadCompany ?? 'Unknown (phone lead)',
    unknownLastName: options.unknownLastName ?? '[not provided]',
    opportunityStage: options.opportunityStage ?? 'Prospecting',
    opportunityPriorityField: options.opportunityPriorityField ?? null,
  };
  const callIdField = options.callIdField ?? 'Callsight_Call_Id__c';
  const newContactObject = options.newContactObject ?? 'Lead';

  const ref = async (type: string, id: string): Promise<CrmRef> => ({
    crm: 'salesforce',
    type,
    id,
    url: `${await client.instanceUrl()}/lightning/r/${type}/${id}/view`,
  });

  const parse = <T>(schema: z.ZodType<T>, res: SalesforceResponse, what: string): T => {
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) {
      throw new CrmError(
        'salesforce',
        'permanent',
        `Unexpected answer to ${what}`,
        res.status,
        null,
        'UNEXPECTED_RESPONSE',
      );
    }
    return parsed.data;
  };

  const query = async (soql: string) =>
    parse(queryAnswer, await client.request('GET', `/query?q=${encodeURIComponent(soql)}`), 'a query').records;

  const toContact = async (r: z.infer<typeof record>, type: string): Promise<CrmContact> => ({
    ...(await ref(type, r.Id)),
    phones: ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone'].map((f) => text(r[f])).filter((p): p is string => !!p),
    ownerId: text(r.OwnerId),
    name: text(r.Name),
    updatedAt: isoTime(r.LastModifiedDate),
  });

  /** Lead or Contact, from the ref's type or, failing that, the id's key prefix. */
  const typeOf = (target: { id: string; type?: string }): 'Lead' | 'Contact' => {
    if (target.type === 'Lead' || target.type === 'Contact') return target.type;
    const type = KEY_PREFIX[target.id.slice(0, 3)];
    if (!type) throw new CrmError('salesforce', 'permanent', `${target.id} is neither a Lead nor a Contact`, null);
    return type;
  };

  /**
   * PATCH …/sobjects/Task/{field}/{value}: 201 created, 200 updated (v46.0+, with the id), 204
   * updated (older versions, without it: read back by the external id), 300 ambiguous.
   */
  const upsertTask = async (externalId: string, body: SObjectBody): Promise<CrmRef> => {
    const path = `/sobjects/Task/${callIdField}/${encodeURIComponent(externalId)}`;
    const createOnly = Object.keys(body).filter((k) => CREATE_ONLY_TASK_FIELDS.has(k));
    let res: SalesforceResponse;
    try {
      res = await client.request('PATCH', path, body);
    } catch (err) {
      // The upsert landed on the Task a previous attempt created, and Salesforce refuses to "update"
      // a create-only field even to the same value: send the rest again.
      if (!(err instanceof CrmError && err.code === 'INVALID_FIELD_FOR_INSERT_UPDATE' && createOnly.length)) throw err;
      res = await client.request(
        'PATCH',
        path,
        Object.fromEntries(Object.entries(body).filter(([k]) => !createOnly.includes(k))),
      );
    }
    if (res.status === 300) {
      throw new CrmError(
        'salesforce',
        'permanent',
        `${callIdField} ${externalId} matches several Tasks`,
        300,
        null,
        'MULTIPLE_CHOICES',
      );
    }
    if (res.status === 204) {
      const existing = parse(record, await client.request('GET', `${path}?fields=Id`), 'an upsert read-back');
      return ref('Task', existing.Id);
    }
    return ref('Task', parse(saveAnswer, res, 'an upsert').id);
  };

  return {
    crm: 'salesforce',

    async findContactsByPhone(e164) {
      const res = await client.request('GET', `/search?q=${encodeURIComponent(phoneSearchSosl(e164))}`);
      const found = parse(searchAnswer, res, 'a phone search').searchRecords;
      return Promise.all(found.map((r) => toContact(r, r.attributes?.type ?? typeOf({ id: r.Id }))));
    },

    async getContact(id) {
      const type = KEY_PREFIX[id.slice(0, 3)];
      if (!type) return null;
      const fields = type === 'Contact' ? CONTACT_SEARCH_FIELDS : LEAD_SEARCH_FIELDS;
      try {
        const res = await client.request(
          'GET',
          `/sobjects/${type}/${encodeURIComponent(id)}?fields=${fields.join(',')}`,
        );
        return toContact(parse(record, res, 'a record read'), type);
      } catch (err) {
        if (err instanceof CrmError && err.status === 404) return null;
        throw err;
      }
    },

    async findOwnerByEmail(email): Promise<CrmOwner | null> {
      const [user] = await query(
        `SELECT Id, Name, Email FROM User WHERE Email = ${soqlString(email)} AND IsActive = true LIMIT 1`,
      );
      return user ? { id: user.Id, email: text(user.Email) ?? email, name: text(user.Name) } : null;
    },

    async createContact(input: NewContact) {
      const body = newContactObject === 'Lead' ? leadBody(input, bodies) : contactBody(input, bodies);
      try {
        const res = await client.request('POST', `/sobjects/${newContactObject}`, body);
        return ref(newContactObject, parse(saveAnswer, res, 'a create').id);
      } catch (err) {
        // A duplicate rule that blocks the save names the record it matched: that is our contact.
        const existing = err instanceof SalesforceError ? duplicateRecordId(err.body) : null;
        if (existing) return ref(typeOf({ id: existing }), existing);
        throw err;
      }
    },

    async findOpenDeal(contact) {
      if (typeOf(contact) === 'Lead') {
        // An unconverted Lead is Salesforce's open opportunity for a person not yet qualified.
        const [open] = await query(
          `SELECT Id FROM Lead WHERE Id = ${soqlString(contact.id)} AND IsConverted = false LIMIT 1`,
        );
        return open ? ref('Lead', open.Id) : null;
      }
      const [opportunity] = await query(
        `SELECT Id, Name, LastModifiedDate FROM Opportunity WHERE ContactId = ${soqlString(contact.id)} ` +
          'AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT 1',
      );
      return opportunity ? ref('Opportunity', opportunity.Id) : null;
    },

    async createDeal(input: NewDeal) {
      if (typeOf(input.contact) === 'Lead') {
        await client.request(
          'PATCH',
          `/sobjects/Lead/${encodeURIComponent(input.contact.id)}`,
          leadQualificationBody(input),
        );
        return ref('Lead', input.contact.id);
      }
      const closeDate = dateOnly(clock.now() + (options.opportunityCloseDays ?? 30) * 86_400_000);
      const res = await client.request('POST', '/sobjects/Opportunity', opportunityBody(input, closeDate, bodies));
      return ref('Opportunity', parse(saveAnswer, res, 'a create').id);
    },

    async logCall(input: CallLog) {
      return upsertTask(input.externalId, callTaskBody(input));
    },

    async createTask(input: NewTask) {
      // Same external-id field as calls, in its own namespace so a task never lands on a call's Task.
      return upsertTask(`task:${input.externalId}`, followUpTaskBody(input));
    },

    async setDoNotCall(contact) {
      await client.request('PATCH', `/sobjects/${typeOf(contact)}/${encodeURIComponent(contact.id)}`, {
        DoNotCall: true,
      });
    },

    async testConnection(): Promise<ConnectionCheck> {
      try {
        const [org] = await query('SELECT Id, Name FROM Organization LIMIT 1');
        const account = org ? `${text(org.Name) ?? 'Salesforce org'} (${org.Id})` : null;
        return { ok: true, account, message: `Connected to ${account ?? 'Salesforce'} with API ${options.apiVersion}` };
      } catch (err) {
        if (err instanceof CrmError) return { ok: false, account: null, message: err.crmMessage };
        throw err;
      }
    },
  };
}
