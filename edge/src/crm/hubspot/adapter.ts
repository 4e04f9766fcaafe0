// The HubSpot adapter behind the CRM port: CRM API v3 objects with associations inline on create,
// v4 association reads, owners, pipelines and account-info, over a thin fetch client.
import type { Clock } from '../../clock';
import {
  CrmError,
  type CallLog,
  type ConnectionCheck,
  type CrmContact,
  type CrmOwner,
  type CrmPort,
  type NewContact,
  type NewDeal,
  type NewTask,
} from '../port';
import type { Coalesce } from '../batching';
import { ASSOCIATION, associateTo, type InlineAssociation } from './associations';
import { createEach, MAX_BATCH_CREATE, type EngagementInput } from './batch-create';
import { callOutcomeProperties, DEAL_PRIORITY, TASK_PRIORITY } from './call-outcome';
import { HubspotHttp, type FetchLike } from './http';
import { phoneSpellings } from '@callsight/shared';
import { phoneForms } from './phone-forms';
import { setupProperties, type PropertySetupReport } from './properties';
import { RecordLinks } from './records';
import {
  compact,
  hubspotTime,
  unique,
  type AccountDetails,
  type HubspotObject,
  type HubspotOwner,
  type Page,
  type PipelineStages,
  type V4Association,
} from './wire';

export interface HubspotAdapterConfig {
  /** Default `https://api.hubapi.com`; the sandbox's URL locally. */
  baseUrl?: string;
  token: string;
  fetch?: FetchLike;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  clock?: Clock;
  /** The portal (hub) id for record links; learned from account-info when absent. */
  portalId?: string | number | null;
  /** HubSpot's web app, for record links (default from account-info's uiDomain, else app.hubspot.com). */
  appUrl?: string;
  /** Where HubSpot's daily limit resets: the account's time zone (default: account-info's, else UTC). */
  dailyLimitTimeZone?: string;
  /** Pipeline and stage of new deals unless the mapping's properties say otherwise. */
  dealPipeline?: string;
  dealStage?: string;
  /** The contact property set by setDoNotCall (a bool; created by setupProperties). */
  doNotCallProperty?: string;
  /** Properties that carry Callsight's ids on calls and tasks; null to write none. */
  callIdProperty?: string | null;
  taskIdProperty?: string | null;
  /** Shares phone searches and call/task creates with other syncs of the tenant (crm/batching.ts). */
  coalesce?: Coalesce;
}

export interface HubspotAdapter extends CrmPort {
  readonly crm: 'hubspot';
  /** Creates the properties Callsight's default mapping writes (idempotent). */
  setupProperties(): Promise<PropertySetupReport>;
  /** The portal id in use for links, once known. */
  portalId(): string | null;
}

/** What contact reads ask for: enough to match phones, pick the latest and show a name. */
const CONTACT_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'phone',
  'mobilephone',
  'hubspot_owner_id',
  'lastmodifieddate',
  'hs_lastmodifieddate',
];

/**
 * Properties a phone search looks in. `hs_searchable_calculated_mobile_number` probably exists
 * too (reference §1.3, [S]) but a search on a property a portal lacks fails the whole request,
 * so it stays out until confirmed; a mobile number is matched by its common spellings instead.
 */
const PHONE_SEARCH = { phone: 'phone', mobile: 'mobilephone', national: 'hs_searchable_calculated_phone_number' };

const DEAL_PROPERTIES = ['dealname', 'pipeline', 'dealstage', 'hs_is_closed', 'hs_lastmodifieddate', 'createdate'];

export function createHubspotAdapter(config: HubspotAdapterConfig): HubspotAdapter {
  const http = new HubspotHttp({
    baseUrl: config.baseUrl ?? 'https://api.hubapi.com',
    token: config.token,
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.clock ? { clock: config.clock } : {}),
    ...(config.dailyLimitTimeZone ? { dailyLimitTimeZone: config.dailyLimitTimeZone } : {}),
  });
  const dncProperty = config.doNotCallProperty ?? 'callsight_do_not_call';
  const callIdProperty = config.callIdProperty === undefined ? 'callsight_call_id' : config.callIdProperty;
  const taskIdProperty = config.taskIdProperty === undefined ? 'callsight_task_id' : config.taskIdProperty;
  const links = new RecordLinks(config.portalId != null ? String(config.portalId) : null, config.appUrl);
  let closedStages: Promise<Set<string>> | null = null;

  function learnAccount(details: AccountDetails): void {
    links.learn(details.portalId, details.uiDomain);
    if (details.timeZone && !config.dailyLimitTimeZone && isTimeZone(details.timeZone)) {
      http.dailyLimitTimeZone = details.timeZone;
    }
  }

  /**
   * Record links need the portal id. Learn it before a write, never after: a failed look-up after
   * a successful create would make the create look failed and be repeated.
   */
  async function ensurePortal(): Promise<void> {
    if (links.portalId) return;
    try {
      learnAccount(await http.get<AccountDetails>('/account-info/v3/details'));
    } catch {
      // Links stay null until a later call or testConnection learns the portal.
    }
  }

  async function create(objectType: string, properties: Record<string, string>, associations: InlineAssociation[]) {
    return http.post<HubspotObject>(`/crm/v3/objects/${objectType}`, { properties, associations });
  }

  /**
   * Creates a call or task; with a coalescer, together with other syncs' creates of the moment.
   * Batching needs Callsight's id on the record: without it a lost batch answer could not be
   * told apart from nothing created.
   */
  async function createEngagement(
    objectType: 'calls' | 'tasks',
    input: EngagementInput,
    idProperty: string | null,
  ): Promise<HubspotObject> {
    if (!config.coalesce || !idProperty) return create(objectType, input.properties, input.associations);
    const { result, index } = await config.coalesce(
      objectType,
      input,
      (inputs: EngagementInput[]) => createEach(http, objectType, inputs, idProperty),
      MAX_BATCH_CREATE,
    );
    const outcome = result[index];
    if (!outcome) throw new Error(`batch create returned no outcome for input ${index}`);
    if (outcome instanceof CrmError) throw outcome;
    return outcome;
  }

  async function isClosedStage(pipeline: string | null | undefined, stage: string | null | undefined) {
    closedStages ??= http
      .get<Page<PipelineStages>>('/crm/v3/pipelines/deals')
      .then(
        (page) =>
          new Set(
            (page.results ?? []).flatMap((p) =>
              (p.stages ?? []).filter((s) => s.metadata?.isClosed === 'true').map((s) => `${p.id}/${s.id}`),
            ),
          ),
      )
      .catch((e: unknown) => {
        closedStages = null;
        throw e;
      });
    return (await closedStages).has(`${pipeline}/${stage}`);
  }

  /**
   * One search for several numbers: each OR-ed group lists the forms of every number, and the
   * caller keeps the candidates that are its own number in E.164.
   */
  async function searchPhones(phones: string[]): Promise<CrmContact[]> {
    const asTyped: string[] = [];
    const national: string[] = [];
    for (const e164 of phones) {
      const forms = phoneForms(e164);
      asTyped.push(
        forms.e164,
        forms.digits,
        ...(forms.national ? [forms.national] : []),
        // With a trunk prefix, as typed locally outside the NANP (`0501234567` in Ukraine).
        ...(forms.national && forms.callingCode !== '1' ? [`0${forms.national}`] : []),
        // Formatted by hand: HubSpot derives a searchable form for `phone` only, so a mobile
        // number typed "(303) 623-1131" is found only by its text.
        ...phoneSpellings(forms.e164),
      );
      national.push(forms.national ?? forms.digits);
    }
    const seen = new Set<string>();
    const found: CrmContact[] = [];
    let after = '0';
    // A few pages at most: five numbers rarely have more than a hundred contacts between them.
    for (let page = 0; page < 5; page++) {
      const res = await http.post<Page<HubspotObject>>('/crm/v3/objects/contacts/search', {
        filterGroups: [
          { filters: [{ propertyName: PHONE_SEARCH.phone, operator: 'IN', values: unique(asTyped) }] },
          { filters: [{ propertyName: PHONE_SEARCH.mobile, operator: 'IN', values: unique(asTyped) }] },
          { filters: [{ propertyName: PHONE_SEARCH.national, operator: 'IN', values: unique(national) }] },
        ],
        properties: CONTACT_PROPERTIES,
        sorts: [],
        limit: 100,
        after,
      });
      for (const o of res.results ?? []) if (!seen.has(o.id) && seen.add(o.id)) found.push(links.toContact(o));
      const next = res.paging?.next?.after;
      if (!next) break;
      after = next;
    }
    return found;
  }

  return {
    crm: 'hubspot',

    portalId: () => links.portalId,

    setupProperties: () => setupProperties(http),

    async findContactsByPhone(e164) {
      if (!config.coalesce) return searchPhones([e164]);
      // Five numbers keep each IN list well under HubSpot's hundred values.
      return (await config.coalesce('search', e164, searchPhones, 5)).result;
    },

    async getContact(id) {
      try {
        const o = await http.get<HubspotObject>(`/crm/v3/objects/contacts/${encodeURIComponent(id)}`, {
          properties: CONTACT_PROPERTIES,
        });
        return links.toContact(o);
      } catch (e) {
        if (e instanceof CrmError && e.status === 404) return null;
        throw e;
      }
    },

    async findOwnerByEmail(email) {
      const page = await http.get<Page<HubspotOwner>>('/crm/v3/owners', { email, limit: 1 });
      const owner = page.results?.[0];
      if (!owner) return null;
      const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ');
      const found: CrmOwner = { id: String(owner.id), email: owner.email ?? email, name: name || null };
      return found;
    },

    async createContact(input: NewContact) {
      await ensurePortal();
      const properties = {
        ...input.properties,
        ...compact({
          phone: input.phone,
          firstname: input.firstName,
          lastname: input.lastName,
          email: input.email,
          hubspot_owner_id: input.ownerId,
        }),
      };
      try {
        return links.contact(String((await create('contacts', properties, [])).id));
      } catch (e) {
        // An email already on another contact: that contact is this person (reference §1.2).
        const existing = e instanceof CrmError && e.status === 409 ? /Existing ID:\s*(\d+)/.exec(e.crmMessage) : null;
        if (existing?.[1]) return links.contact(existing[1]);
        throw e;
      }
    },

    async findOpenDeal(contact) {
      await ensurePortal();
      let linked: Page<V4Association>;
      try {
        linked = await http.get<Page<V4Association>>(
          `/crm/v4/objects/contacts/${encodeURIComponent(contact.id)}/associations/deals`,
          { limit: 500 },
        );
      } catch (e) {
        if (e instanceof CrmError && e.status === 404) return null;
        throw e;
      }
      const ids = unique((linked.results ?? []).map((a) => String(a.toObjectId)));
      if (ids.length === 0) return null;
      const deals = await http.post<Page<HubspotObject>>('/crm/v3/objects/deals/batch/read', {
        inputs: ids.slice(0, 100).map((id) => ({ id })),
        properties: DEAL_PROPERTIES,
        propertiesWithHistory: [],
      });
      const open: HubspotObject[] = [];
      for (const d of deals.results ?? []) {
        const closed = d.properties.hs_is_closed;
        const isClosed =
          closed === 'true' || (closed == null && (await isClosedStage(d.properties.pipeline, d.properties.dealstage)));
        if (!isClosed) open.push(d);
      }
      const latest = (d: HubspotObject) => Date.parse(d.properties.hs_lastmodifieddate ?? d.updatedAt ?? '') || 0;
      open.sort((a, b) => latest(b) - latest(a));
      return open[0] ? links.deal(String(open[0].id)) : null;
    },

    async createDeal(input: NewDeal) {
      await ensurePortal();
      const properties = {
        pipeline: config.dealPipeline ?? 'default',
        dealstage: config.dealStage ?? 'appointmentscheduled',
        ...input.properties,
        ...compact({
          dealname: input.name,
          hubspot_owner_id: input.ownerId,
          hs_priority: DEAL_PRIORITY[input.priority],
        }),
      };
      const deal = await create('deals', properties, [associateTo(input.contact.id, ASSOCIATION.dealToContact)]);
      return links.deal(String(deal.id));
    },

    async logCall(input: CallLog) {
      await ensurePortal();
      const properties = {
        ...input.properties,
        ...compact({
          hs_timestamp: hubspotTime(input.startedAt),
          hs_call_title: input.title,
          hs_call_body: input.body,
          hs_call_direction: input.direction === 'inbound' ? 'INBOUND' : 'OUTBOUND',
          // HubSpot keeps call durations in milliseconds.
          hs_call_duration: input.durationSeconds === null ? null : String(Math.round(input.durationSeconds * 1000)),
          hs_call_recording_url: input.recordingUrl,
          hubspot_owner_id: input.ownerId,
          ...callOutcomeProperties(input.direction, input.outcome),
          ...(callIdProperty ? { [callIdProperty]: input.externalId } : {}),
        }),
      };
      const associations = [associateTo(input.contact.id, ASSOCIATION.callToContact)];
      if (input.deal) associations.push(associateTo(input.deal.id, ASSOCIATION.callToDeal));
      const call = await createEngagement(
        'calls',
        { properties, associations, externalId: input.externalId },
        callIdProperty,
      );
      return links.activity('call', String(call.id), input.contact);
    },

    async createTask(input: NewTask) {
      await ensurePortal();
      const properties = {
        ...input.properties,
        ...compact({
          hs_timestamp: hubspotTime(input.dueAt),
          hs_task_subject: input.subject,
          hs_task_body: input.body,
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: TASK_PRIORITY[input.priority],
          hs_task_type: 'CALL',
          hubspot_owner_id: input.ownerId,
          ...(taskIdProperty ? { [taskIdProperty]: input.externalId } : {}),
        }),
      };
      const associations = [associateTo(input.contact.id, ASSOCIATION.taskToContact)];
      if (input.deal) associations.push(associateTo(input.deal.id, ASSOCIATION.taskToDeal));
      const task = await createEngagement(
        'tasks',
        { properties, associations, externalId: input.externalId },
        taskIdProperty,
      );
      return links.activity('task', String(task.id), input.contact);
    },

    async findLogged(kind, externalId, contact) {
      const idProperty = kind === 'call' ? callIdProperty : taskIdProperty;
      if (!idProperty) return null;
      const objectType = kind === 'call' ? 'calls' : 'tasks';
      // Associations are read from the record, not the search index: a create from seconds ago
      // is already there (search would lag it).
      let linked: Page<V4Association>;
      try {
        linked = await http.get<Page<V4Association>>(
          `/crm/v4/objects/contacts/${encodeURIComponent(contact.id)}/associations/${objectType}`,
          { limit: 500 },
        );
      } catch (e) {
        if (e instanceof CrmError && e.status === 404) return null;
        throw e;
      }
      // Ids grow over time: the newest 100 are where a create from the last attempt would be.
      const ids = unique((linked.results ?? []).map((a) => String(a.toObjectId)))
        .sort((a, b) => Number(b) - Number(a))
        .slice(0, 100);
      if (ids.length === 0) return null;
      const page = await http.post<Page<HubspotObject>>(`/crm/v3/objects/${objectType}/batch/read`, {
        inputs: ids.map((id) => ({ id })),
        properties: [idProperty],
        propertiesWithHistory: [],
      });
      const found = (page.results ?? []).find((o) => o.properties[idProperty] === externalId);
      return found ? links.activity(kind, String(found.id), contact) : null;
    },

    async setDoNotCall(contact) {
      await http.patch(`/crm/v3/objects/contacts/${encodeURIComponent(contact.id)}`, {
        properties: { [dncProperty]: 'true' },
      });
    },

    async testConnection(): Promise<ConnectionCheck> {
      try {
        const details = await http.get<AccountDetails>('/account-info/v3/details');
        learnAccount(details);
        // The account answers for any valid token; reading a contact proves the CRM scopes too.
        await http.get('/crm/v3/objects/contacts', { limit: 1 });
        const account = details.portalId != null ? String(details.portalId) : links.portalId;
        return {
          ok: true,
          account,
          message: `Connected to HubSpot account ${account ?? '(unknown)'}${details.timeZone ? ` (${details.timeZone})` : ''}`,
        };
      } catch (e) {
        if (e instanceof CrmError) return { ok: false, account: links.portalId, message: e.crmMessage };
        throw e;
      }
    },
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
