import { Hono } from 'hono';
import type { PipedriveEnv, SandboxCompany } from './company';
import { badRequest, notFound } from './envelope';
import { DATE, isoTime, UUID, v2Time } from './format';
import {
  customFieldValues,
  jsonBody,
  optionalInteger,
  optionalPattern,
  optionalString,
  referenced,
  requiredString,
  type Body,
} from './input';
import type { ItemData, StoredItem } from './store';

// Leads (v1: the Leads Inbox, UUID ids, no pipeline) with their labels, and deals (v2).
// Leads share the deal custom fields and take them as top-level keys; v2 deals take them in
// `custom_fields`.

const LEAD_KEYS = new Set([
  'title',
  'owner_id',
  'label_ids',
  'person_id',
  'organization_id',
  'value',
  'expected_close_date',
  'visible_to',
  'was_seen',
  'is_archived',
]);
const DEAL_KEYS = new Set([
  'title',
  'owner_id',
  'person_id',
  'org_id',
  'pipeline_id',
  'stage_id',
  'value',
  'currency',
  'status',
  'custom_fields',
]);
const DEAL_STATUSES = ['open', 'won', 'lost'];

export function leadView(company: SandboxCompany, item: StoredItem) {
  const custom = Object.fromEntries(company.dealFields.map((f) => [f.key, item.data[f.key] ?? null]));
  return {
    id: item.id,
    ...item.data,
    ...custom,
    add_time: isoTime(item.addTime),
    update_time: isoTime(item.updateTime),
  };
}

export function dealView(item: StoredItem) {
  return { id: Number(item.id), ...item.data, add_time: v2Time(item.addTime), update_time: v2Time(item.updateTime) };
}

export function pipelineRoutes(company: SandboxCompany) {
  const pipeline = new Hono<PipedriveEnv>();

  const labelIds = async (body: Body): Promise<string[] | null> => {
    const value = body.label_ids;
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !UUID.test(v))) {
      throw badRequest('label_ids must be an array of lead label UUIDs');
    }
    for (const id of value as string[]) await referenced(company, 'leadLabel', id);
    return value as string[];
  };

  const leadData = async (body: Body, existing: ItemData | null, userId: number): Promise<ItemData> => {
    const customKeys = new Set(company.dealFields.map((f) => f.key));
    const unknown = Object.keys(body).find((k) => !LEAD_KEYS.has(k) && !customKeys.has(k));
    if (unknown) throw badRequest(`Unknown field: ${unknown}`);
    const data: ItemData = existing
      ? { ...existing }
      : {
          owner_id: userId,
          creator_id: userId,
          label_ids: [],
          person_id: null,
          organization_id: null,
          source_name: 'API',
          origin: 'API',
          channel: null,
          is_archived: false,
          was_seen: false,
          value: null,
          expected_close_date: null,
          next_activity_id: null,
          visible_to: '3',
          cc_email: `${company.companyDomain}+lead@pipedrivemail.com`,
        };
    if (!existing || 'title' in body) data.title = requiredString(body, 'title');
    if ('person_id' in body) {
      const person = optionalInteger(body, 'person_id');
      await referenced(company, 'person', person);
      data.person_id = person;
    }
    if ('organization_id' in body) data.organization_id = optionalInteger(body, 'organization_id');
    if (!data.person_id && !data.organization_id)
      throw badRequest('A lead must be linked to a person or an organization');
    if ('owner_id' in body) {
      const owner = optionalInteger(body, 'owner_id');
      await referenced(company, 'user', owner);
      data.owner_id = owner ?? userId;
    }
    const labels = await labelIds(body);
    if (labels) data.label_ids = labels;
    if ('expected_close_date' in body)
      data.expected_close_date = optionalPattern(body, 'expected_close_date', DATE, 'YYYY-MM-DD');
    if ('value' in body) {
      const v = body.value as Body | null;
      if (v !== null && (typeof v !== 'object' || typeof v.amount !== 'number' || typeof v.currency !== 'string')) {
        throw badRequest('value must be { amount, currency }');
      }
      data.value = v;
    }
    if ('is_archived' in body) data.is_archived = body.is_archived === true;
    if ('was_seen' in body) data.was_seen = body.was_seen === true;
    const custom = Object.fromEntries(Object.entries(body).filter(([k]) => customKeys.has(k)));
    Object.assign(data, customFieldValues(company.dealFields, custom));
    return data;
  };

  pipeline.post('/api/v1/leads', async (c) => {
    const body = await jsonBody(c);
    const lead = await company.store.exclusive(async () =>
      company.store.insert('lead', await leadData(body, null, c.get('userId'))),
    );
    return c.json({ success: true, data: leadView(company, lead), additional_data: null }, 201);
  });

  pipeline.get('/api/v1/leads', async (c) => {
    const person = c.req.query('person_id');
    const archived = c.req.query('archived_status') ?? 'all';
    const start = Number(c.req.query('start') ?? 0);
    const limit = Math.min(Number(c.req.query('limit') ?? 100), 500);
    let leads = (await company.store.list('lead')).filter(
      (l) =>
        (!person || String(l.data.person_id) === person) &&
        (archived === 'all' || (archived === 'archived') === (l.data.is_archived === true)),
    );
    const [sortField, direction] = (c.req.query('sort') ?? 'add_time ASC').split(/\s+/);
    if (sortField === 'update_time') leads = leads.sort((a, b) => a.updateTime - b.updateTime);
    if (direction?.toUpperCase() === 'DESC') leads = leads.reverse();
    const page = leads.slice(start, start + limit);
    return c.json({
      success: true,
      data: page.map((l) => leadView(company, l)),
      additional_data: { pagination: { start, limit, more_items_in_collection: start + limit < leads.length } },
    });
  });

  pipeline.get('/api/v1/leads/:id', async (c) => {
    const lead = await company.store.get('lead', c.req.param('id'));
    if (!lead) throw notFound('Lead');
    return c.json({ success: true, data: leadView(company, lead), additional_data: null });
  });

  pipeline.patch('/api/v1/leads/:id', async (c) => {
    const body = await jsonBody(c);
    const lead = await company.store.exclusive(async () => {
      const existing = await company.store.get('lead', c.req.param('id'));
      if (!existing) throw notFound('Lead');
      return company.store.update(existing, await leadData(body, existing.data, c.get('userId')));
    });
    return c.json({ success: true, data: leadView(company, lead), additional_data: null });
  });

  pipeline.get('/api/v1/leadLabels', async (c) => {
    const labels = await company.store.list('leadLabel');
    return c.json({
      success: true,
      data: labels.map((l) => ({
        id: l.id,
        ...l.data,
        add_time: isoTime(l.addTime),
        update_time: isoTime(l.updateTime),
      })),
    });
  });

  pipeline.post('/api/v2/deals', async (c) => {
    const body = await jsonBody(c);
    const unknown = Object.keys(body).find((k) => !DEAL_KEYS.has(k));
    if (unknown) throw badRequest(`Unknown field: ${unknown}`);
    const deal = await company.store.exclusive(async () => {
      const owner = optionalInteger(body, 'owner_id');
      await referenced(company, 'user', owner);
      const person = optionalInteger(body, 'person_id');
      await referenced(company, 'person', person);
      const status = optionalString(body, 'status') ?? 'open';
      if (!DEAL_STATUSES.includes(status)) throw badRequest(`status must be one of ${DEAL_STATUSES.join(', ')}`);
      if (body.value !== undefined && typeof body.value !== 'number') throw badRequest('value must be a number');
      return company.store.insert('deal', {
        title: requiredString(body, 'title'),
        owner_id: owner ?? c.get('userId'),
        person_id: person,
        org_id: optionalInteger(body, 'org_id'),
        pipeline_id: optionalInteger(body, 'pipeline_id') ?? 1,
        stage_id: optionalInteger(body, 'stage_id') ?? 1,
        value: body.value ?? 0,
        currency: optionalString(body, 'currency') ?? 'USD',
        status,
        is_deleted: false,
        custom_fields: customFieldValues(company.dealFields, body.custom_fields),
      });
    });
    return c.json({ success: true, data: dealView(deal), additional_data: null });
  });

  pipeline.get('/api/v2/deals', async (c) => {
    const person = c.req.query('person_id');
    const status = c.req.query('status');
    const limit = Math.min(Number(c.req.query('limit') ?? 100), 500);
    let deals = (await company.store.list('deal')).filter(
      (d) => (!person || String(d.data.person_id) === person) && (!status || d.data.status === status),
    );
    if (c.req.query('sort_by') === 'update_time') deals = deals.sort((a, b) => a.updateTime - b.updateTime);
    if (c.req.query('sort_direction') === 'desc') deals = deals.reverse();
    return c.json({ success: true, data: deals.slice(0, limit).map(dealView), additional_data: { next_cursor: null } });
  });

  pipeline.get('/api/v2/deals/:id{[0-9]+}', async (c) => {
    const deal = await company.store.get('deal', c.req.param('id'));
    if (!deal) throw notFound('Deal');
    return c.json({ success: true, data: dealView(deal), additional_data: null });
  });

  return pipeline;
}

/** Pipedrive's default lead labels. */
export const DEFAULT_LEAD_LABELS = [
  { name: 'Hot', color: 'red' },
  { name: 'Warm', color: 'yellow' },
  { name: 'Cold', color: 'blue' },
];
