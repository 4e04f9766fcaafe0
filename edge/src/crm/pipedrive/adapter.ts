import { normalisePhone } from '@callsight/shared';
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
import { callActivityBody, doNotCallNote, referenceTag, taskActivityBody, type ActivityBody } from './activity-bodies';
import { PipedriveClient, type FetchLike } from './client';

// Pipedrive behind the CrmPort: persons found by phone search, new callers as persons with a lead
// (or a deal, with `useDeals`), calls as activities of type `call`, follow-ups as activities, the
// do-not-call flag in a person custom field (or a pinned note). See FIELDS.md.

export interface PipedriveAdapterOptions {
  /** The company's API host, `https://acme.pipedrive.com` (OAuth apps: the token's api_domain). */
  baseUrl: string;
  apiToken: string;
  fetch?: FetchLike;
  /** Per HTTP exchange; default 15 s. */
  timeoutMs?: number;
  clock?: Clock;
  /** Create deals (v2) instead of leads (v1 Leads Inbox, the default) for new callers. */
  useDeals?: boolean;
  /**
   * The person custom field that says "do not call" and the value meaning yes (an option id for a
   * single-option field, text for a text field); optionally also set `marketing_status` to
   * `unsubscribed` (Campaigns only, and Pipedrive allows changing it once). Without it,
   * setDoNotCall pins a note on the person.
   */
  doNotCall?: { personFieldKey: string; value: string | number; unsubscribeFromMarketing?: boolean };
  /** Activity type of follow-up tasks: `task` by default (`call` makes them callbacks). */
  taskActivityType?: string;
  /** Lead label names per priority; Pipedrive's defaults are Hot, Warm, Cold. */
  leadLabels?: { high: string; medium: string; low: string };
  /** The web app for record links, when it is not `baseUrl`. */
  appUrl?: string;
}

const envelope = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });
const phone = z.object({ value: z.string() });
const person = z.object({
  id: z.number(),
  name: z.string().nullable().optional(),
  owner_id: z.number().nullable().optional(),
  phones: z.array(phone).nullable().optional(),
  update_time: z.string().nullable().optional(),
});
const searchResult = envelope(z.object({ items: z.array(z.object({ item: z.object({ id: z.number() }) })) }));
const idOnly = z.object({ id: z.union([z.number(), z.string()]) });
const activity = z.object({ id: z.number(), note: z.string().nullable().optional() });
const note = z.object({ id: z.number(), content: z.string().nullable().optional() });
const user = z.object({
  id: z.number(),
  name: z.string().nullable().optional(),
  email: z.string(),
  active_flag: z.boolean().optional(),
});
const me = z.object({
  id: z.number(),
  name: z.string().nullable().optional(),
  company_name: z.string().nullable().optional(),
  company_domain: z.string().nullable().optional(),
});
const label = z.object({ id: z.string(), name: z.string() });

/** Pipedrive times are RFC 3339 (v2) or `YYYY-MM-DD HH:MM:SS` UTC (v1). */
const isoTime = (value: string | null | undefined) => {
  const t = value ? Date.parse(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`) : NaN;
  return Number.isNaN(t) ? new Date(0).toISOString() : new Date(t).toISOString();
};

/** The national number's digits: what a person typed without the country code. */
function nationalDigits(e164: string): string {
  const all = e164.replace(/\D/g, '');
  const { country } = normalisePhone(e164);
  for (let cc = 1; cc <= 3 && country; cc++) {
    if (normalisePhone(all.slice(cc), country).e164 === e164) return all.slice(cc);
  }
  return all;
}

export function createPipedriveAdapter(options: PipedriveAdapterOptions): CrmPort {
  const clock = options.clock ?? systemClock;
  const client = new PipedriveClient({
    baseUrl: options.baseUrl,
    apiToken: options.apiToken,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 15_000,
    clock,
  });
  const app = (options.appUrl ?? options.baseUrl).replace(/\/+$/, '');
  const labelNames = options.leadLabels ?? { high: 'Hot', medium: 'Warm', low: 'Cold' };
  let leadLabels: Promise<Array<z.infer<typeof label>>> | null = null;

  const parse = <T>(schema: z.ZodType<T>, body: unknown, what: string): T => {
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new CrmError('pipedrive', 'permanent', `Unexpected answer to ${what}`, 200, null, 'UNEXPECTED_RESPONSE');
    return parsed.data;
  };
  const call = async <T>(
    schema: z.ZodType<T>,
    what: string,
    method: string,
    path: string,
    query = {},
    body?: unknown,
  ) => parse(envelope(schema), await client.request(method, path, query, body), what).data;

  const ref = (type: string, id: string | number, page: string | null): CrmRef => ({
    crm: 'pipedrive',
    type,
    id: String(id),
    url: page === null ? null : `${app}${page}`,
  });
  const personRef = (id: string | number) => ref('person', id, `/person/${id}`);
  /** Pipedrive ids are numbers: a non-numeric owner or person id is a mapping mistake, not a blip. */
  const numeric = (id: string, what: string) => {
    if (!/^\d+$/.test(id)) throw new CrmError('pipedrive', 'permanent', `${what} ${id} is not a Pipedrive id`, null);
    return Number(id);
  };
  const toContact = (p: z.infer<typeof person>): CrmContact => ({
    ...personRef(p.id),
    phones: (p.phones ?? []).map((ph) => ph.value).filter(Boolean),
    ownerId: p.owner_id == null ? null : String(p.owner_id),
    name: p.name ?? null,
    updatedAt: isoTime(p.update_time),
  });

  /** The newest activities on the person: where a previous attempt's activity would be. */
  const findTagged = async (contact: CrmRef, tag: string): Promise<number | null> => {
    const recent = await call(z.array(activity), 'an activity list', 'GET', '/api/v2/activities', {
      person_id: numeric(contact.id, 'Person'),
      sort_by: 'add_time',
      sort_direction: 'desc',
      limit: 50,
    });
    return recent.find((a) => a.note?.includes(tag))?.id ?? null;
  };
  const createActivity = async (contact: CrmRef, tag: string, body: ActivityBody): Promise<CrmRef> => {
    const id =
      (await findTagged(contact, tag)) ??
      (await call(idOnly, 'an activity', 'POST', '/api/v2/activities', {}, body)).id;
    // Activities have no page of their own: the link opens the person's timeline.
    return { ...personRef(contact.id), type: 'activity', id: String(id) };
  };

  const labelFor = async (priority: NewDeal['priority']): Promise<string[]> => {
    leadLabels ??= call(z.array(label), 'the lead labels', 'GET', '/api/v1/leadLabels').catch((err: unknown) => {
      leadLabels = null;
      throw err;
    });
    const wanted = labelNames[priority].toLowerCase();
    const found = (await leadLabels).find((l) => l.name.toLowerCase() === wanted);
    return found ? [found.id] : [];
  };

  return {
    crm: 'pipedrive',

    async findContactsByPhone(e164) {
      // Persons we create hold E.164, found by an exact match; numbers typed by people match by
      // their national digits, without the country code.
      const searches = [
        { term: e164, exact_match: true },
        { term: nationalDigits(e164), exact_match: false },
      ];
      const ids = new Set<number>();
      for (const { term, exact_match } of searches) {
        const res = parse(
          searchResult,
          await client.request('GET', '/api/v2/persons/search', { term, fields: 'phone', exact_match, limit: 50 }),
          'a person search',
        );
        for (const { item } of res.data.items) ids.add(item.id);
      }
      if (!ids.size) return [];
      const persons = await call(z.array(person), 'a person list', 'GET', '/api/v2/persons', {
        ids: [...ids].slice(0, 100).join(','),
      });
      return persons.map(toContact);
    },

    async getContact(id) {
      if (!/^\d+$/.test(id)) return null;
      try {
        return toContact(await call(person, 'a person', 'GET', `/api/v2/persons/${id}`));
      } catch (err) {
        if (err instanceof CrmError && err.status === 404) return null;
        throw err;
      }
    },

    async findOwnerByEmail(email): Promise<CrmOwner | null> {
      const users = await call(z.array(user).nullable(), 'a user search', 'GET', '/api/v1/users/find', {
        term: email,
        search_by_email: 1,
      });
      const match = (users ?? []).find((u) => u.email.toLowerCase() === email.toLowerCase() && u.active_flag !== false);
      return match ? { id: String(match.id), email: match.email, name: match.name ?? null } : null;
    },

    async createContact(input: NewContact) {
      const name = [input.firstName, input.lastName].filter(Boolean).join(' ').trim();
      const created = await call(
        idOnly,
        'a person',
        'POST',
        '/api/v2/persons',
        {},
        {
          // Pipedrive requires a name; an unknown caller is known by their number.
          name: name || input.phone,
          phones: [{ value: input.phone, primary: true, label: 'work' }],
          ...(input.email ? { emails: [{ value: input.email, primary: true, label: 'work' }] } : {}),
          ...(input.ownerId ? { owner_id: numeric(input.ownerId, 'Owner') } : {}),
          ...(Object.keys(input.properties).length ? { custom_fields: input.properties } : {}),
        },
      );
      return personRef(created.id);
    },

    async findOpenDeal(contact) {
      const personId = numeric(contact.id, 'Person');
      if (options.useDeals) {
        const [deal] = await call(z.array(idOnly), 'a deal list', 'GET', '/api/v2/deals', {
          person_id: personId,
          status: 'open',
          sort_by: 'update_time',
          sort_direction: 'desc',
          limit: 1,
        });
        return deal ? ref('deal', deal.id, `/deal/${deal.id}`) : null;
      }
      const [lead] = await call(z.array(idOnly), 'a lead list', 'GET', '/api/v1/leads', {
        person_id: personId,
        archived_status: 'not_archived',
        sort: 'update_time DESC',
        limit: 1,
      });
      return lead ? ref('lead', lead.id, `/leads/inbox/${lead.id}`) : null;
    },

    async createDeal(input: NewDeal) {
      const owner = input.ownerId ? { owner_id: numeric(input.ownerId, 'Owner') } : {};
      const personId = numeric(input.contact.id, 'Person');
      if (options.useDeals) {
        const deal = await call(
          idOnly,
          'a deal',
          'POST',
          '/api/v2/deals',
          {},
          {
            title: input.name,
            person_id: personId,
            ...owner,
            ...(Object.keys(input.properties).length ? { custom_fields: input.properties } : {}),
          },
        );
        return ref('deal', deal.id, `/deal/${deal.id}`);
      }
      // Leads take the deal custom fields as top-level keys, and the priority as a label.
      const lead = await call(
        idOnly,
        'a lead',
        'POST',
        '/api/v1/leads',
        {},
        {
          title: input.name,
          person_id: personId,
          label_ids: await labelFor(input.priority),
          ...owner,
          ...input.properties,
        },
      );
      return ref('lead', lead.id, `/leads/inbox/${lead.id}`);
    },

    async logCall(input: CallLog) {
      return createActivity(input.contact, referenceTag('call', input.externalId), callActivityBody(input));
    },

    async createTask(input: NewTask) {
      const body = taskActivityBody(input, options.taskActivityType ?? 'task');
      return createActivity(input.contact, referenceTag('task', input.externalId), body);
    },

    async setDoNotCall(contact) {
      const personId = numeric(contact.id, 'Person');
      const field = options.doNotCall;
      if (field) {
        await client.request(
          'PATCH',
          `/api/v2/persons/${personId}`,
          {},
          {
            custom_fields: { [field.personFieldKey]: field.value },
            ...(field.unsubscribeFromMarketing ? { marketing_status: 'unsubscribed' } : {}),
          },
        );
        return;
      }
      // No field configured: a pinned note on the person, once.
      const tag = referenceTag('do-not-call');
      const notes = await call(z.array(note).nullable(), 'a note list', 'GET', '/api/v1/notes', {
        person_id: personId,
        limit: 100,
      });
      if ((notes ?? []).some((n) => n.content?.includes(tag))) return;
      await client.request(
        'POST',
        '/api/v1/notes',
        {},
        { content: doNotCallNote(), person_id: personId, pinned_to_person_flag: 1 },
      );
    },

    async testConnection(): Promise<ConnectionCheck> {
      try {
        const self = await call(me, 'users/me', 'GET', '/api/v1/users/me');
        const account = self.company_name ? `${self.company_name} (${self.company_domain ?? 'pipedrive'})` : null;
        return { ok: true, account, message: `Connected as ${self.name ?? `user ${self.id}`}` };
      } catch (err) {
        if (err instanceof CrmError) return { ok: false, account: null, message: err.crmMessage };
        throw err;
      }
    },
  };
}
