import { Hono } from 'hono';
import type { PipedriveEnv, SandboxCompany } from './company';
import { badRequest, notFound } from './envelope';
import { v2Time } from './format';
import {
  contactPoints,
  customFieldValues,
  jsonBody,
  optionalInteger,
  referenced,
  requiredString,
  type Body,
} from './input';
import type { ItemData, StoredItem } from './store';

// Persons: search (v2 and the v1 equivalent), list by ids, read, create and update (v2).
//
// Search model. Pipedrive stores phone values as typed. `exact_match=true` is a case-insensitive
// match of the whole stored value, so only the format the number was saved in finds it. Without
// it, a term made of phone characters matches when its digits appear within the stored digits
// ("4155550100" finds "+1 (415) 555-0100"); other terms match as case-insensitive substrings.
// Search sees writes only after the configured index lag.

const SEARCH_FIELDS = ['name', 'email', 'phone', 'notes', 'custom_fields'];
const MARKETING_STATUSES = ['no_consent', 'unsubscribed', 'subscribed', 'archived'];
const CREATE_KEYS = new Set([
  'name',
  'owner_id',
  'org_id',
  'emails',
  'phones',
  'visible_to',
  'label_ids',
  'custom_fields',
  'marketing_status',
]);

export const searchSnapshot = (data: ItemData): ItemData => ({
  name: data.name,
  phones: (data.phones as Array<{ value: string }>).map((p) => p.value),
  emails: (data.emails as Array<{ value: string }>).map((e) => e.value),
});

export function personView(company: SandboxCompany, item: StoredItem) {
  const d = item.data;
  const custom = d.custom_fields as Record<string, unknown>;
  return {
    id: Number(item.id),
    name: d.name,
    first_name: d.first_name,
    last_name: d.last_name,
    owner_id: d.owner_id,
    org_id: d.org_id,
    add_time: v2Time(item.addTime),
    update_time: v2Time(item.updateTime),
    emails: d.emails,
    phones: d.phones,
    is_deleted: false,
    visible_to: d.visible_to,
    label_ids: d.label_ids,
    picture_id: null,
    custom_fields: Object.fromEntries(company.personFields.map((f) => [f.key, custom[f.key] ?? null])),
    ...(company.campaigns ? { marketing_status: d.marketing_status ?? 'no_consent' } : {}),
  };
}

const digits = (s: string) => s.replace(/\D/g, '');

function textMatches(value: string, term: string, exact: boolean): boolean {
  return exact
    ? value.trim().toLowerCase() === term.trim().toLowerCase()
    : value.toLowerCase().includes(term.toLowerCase());
}

function phoneMatches(value: string, term: string, exact: boolean): boolean {
  if (exact) return textMatches(value, term, true);
  const termDigits = digits(term);
  if (/^[\d\s+().-]+$/.test(term) && termDigits.length >= 2) return digits(value).includes(termDigits);
  return textMatches(value, term, false);
}

/** Persons whose indexed name, phones or emails match, best first. */
function searchPersons(items: StoredItem[], term: string, fields: string[], exact: boolean) {
  const hits: Array<{ score: number; item: StoredItem; snapshot: ItemData }> = [];
  for (const item of items) {
    const s = item.searchable;
    if (!s) continue;
    const matched =
      (fields.includes('name') && textMatches(String(s.name), term, exact)) ||
      (fields.includes('phone') && (s.phones as string[]).some((p) => phoneMatches(p, term, exact))) ||
      (fields.includes('email') && (s.emails as string[]).some((e) => textMatches(e, term, exact)));
    if (matched) hits.push({ score: exact ? 1 : 0.5, item, snapshot: s });
  }
  return hits.sort((a, b) => b.score - a.score || b.item.updateTime - a.item.updateTime);
}

function searchParams(query: (key: string) => string | undefined) {
  const term = query('term') ?? '';
  const exact = query('exact_match') === 'true' || query('exact_match') === '1';
  if (term.trim().length < (exact ? 1 : 2)) {
    throw badRequest(`The search term must be at least ${exact ? 1 : 2} characters long`);
  }
  const fields = (query('fields') ?? SEARCH_FIELDS.join(',')).split(',').map((f) => f.trim());
  const unknown = fields.find((f) => !SEARCH_FIELDS.includes(f));
  if (unknown) throw badRequest(`fields: unsupported value "${unknown}"`);
  const limit = Number(query('limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100');
  return { term, exact, fields, limit };
}

export function personRoutes(company: SandboxCompany) {
  const persons = new Hono<PipedriveEnv>();
  const searchItem = ({ score, item, snapshot }: { score: number; item: StoredItem; snapshot: ItemData }) => ({
    result_score: score,
    item: {
      id: Number(item.id),
      type: 'person',
      name: snapshot.name,
      phones: snapshot.phones,
      emails: snapshot.emails,
      visible_to: item.data.visible_to,
      owner: { id: item.data.owner_id },
      organization: null,
      custom_fields: [],
      notes: [],
    },
  });

  persons.get('/api/v2/persons/search', async (c) => {
    const { term, exact, fields, limit } = searchParams((k) => c.req.query(k));
    const hits = searchPersons(await company.store.list('person'), term, fields, exact).slice(0, limit);
    return c.json({ success: true, data: { items: hits.map(searchItem) }, additional_data: { next_cursor: null } });
  });

  persons.get('/api/v1/persons/search', async (c) => {
    const { term, exact, fields, limit } = searchParams((k) => c.req.query(k));
    const start = Number(c.req.query('start') ?? 0);
    const hits = searchPersons(await company.store.list('person'), term, fields, exact);
    const page = hits.slice(start, start + limit);
    return c.json({
      success: true,
      data: { items: page.map(searchItem) },
      additional_data: { pagination: { start, limit, more_items_in_collection: start + limit < hits.length } },
    });
  });

  persons.get('/api/v2/persons', async (c) => {
    const ids = c.req
      .query('ids')
      ?.split(',')
      .map((s) => s.trim());
    const owner = c.req.query('owner_id');
    const limit = Math.min(Number(c.req.query('limit') ?? 100), 500);
    let items = (await company.store.list('person')).filter(
      (p) => (!ids || ids.includes(p.id)) && (!owner || String(p.data.owner_id) === owner),
    );
    if (c.req.query('sort_by') === 'update_time') items = items.sort((a, b) => a.updateTime - b.updateTime);
    if (c.req.query('sort_direction') === 'desc') items = items.reverse();
    return c.json({
      success: true,
      data: items.slice(0, limit).map((p) => personView(company, p)),
      additional_data: { next_cursor: null },
    });
  });

  persons.get('/api/v2/persons/:id{[0-9]+}', async (c) => {
    const person = await company.store.get('person', c.req.param('id'));
    if (!person) throw notFound('Person');
    return c.json({ success: true, data: personView(company, person), additional_data: null });
  });

  const personData = async (body: Body, existing: ItemData | null, userId: number): Promise<ItemData> => {
    const unknown = Object.keys(body).find((k) => !CREATE_KEYS.has(k));
    if (unknown) throw badRequest(`Unknown field: ${unknown}`);
    const data: ItemData = existing
      ? { ...existing }
      : { owner_id: userId, org_id: null, emails: [], phones: [], visible_to: 3, label_ids: [], custom_fields: {} };
    if (!existing || 'name' in body) {
      const name = requiredString(body, 'name').trim();
      const [first, ...rest] = name.split(/\s+/);
      Object.assign(data, { name, first_name: first ?? name, last_name: rest.join(' ') || null });
    }
    if ('owner_id' in body) {
      const owner = optionalInteger(body, 'owner_id');
      await referenced(company, 'user', owner);
      data.owner_id = owner ?? userId;
    }
    if ('org_id' in body) data.org_id = optionalInteger(body, 'org_id');
    if ('visible_to' in body) data.visible_to = optionalInteger(body, 'visible_to') ?? 3;
    if ('phones' in body) data.phones = contactPoints(body, 'phones') ?? [];
    if ('emails' in body) data.emails = contactPoints(body, 'emails') ?? [];
    if ('custom_fields' in body) {
      data.custom_fields = {
        ...(data.custom_fields as object),
        ...customFieldValues(company.personFields, body.custom_fields),
      };
    }
    if ('marketing_status' in body) {
      if (!company.campaigns) throw badRequest('marketing_status can only be set when the company uses Campaigns');
      if (!MARKETING_STATUSES.includes(String(body.marketing_status))) {
        throw badRequest(`marketing_status must be one of ${MARKETING_STATUSES.join(', ')}`);
      }
      data.marketing_status = body.marketing_status;
    }
    return data;
  };

  persons.post('/api/v2/persons', async (c) => {
    const body = await jsonBody(c);
    const person = await company.store.exclusive(async () => {
      const data = await personData(body, null, c.get('userId'));
      return company.store.insert('person', data, searchSnapshot(data));
    });
    return c.json({ success: true, data: personView(company, person), additional_data: null });
  });

  persons.patch('/api/v2/persons/:id{[0-9]+}', async (c) => {
    const body = await jsonBody(c);
    const person = await company.store.exclusive(async () => {
      const existing = await company.store.get('person', c.req.param('id'));
      if (!existing) throw notFound('Person');
      const data = await personData(body, existing.data, c.get('userId'));
      return company.store.update(existing, data, searchSnapshot(data));
    });
    return c.json({ success: true, data: personView(company, person), additional_data: null });
  });

  return persons;
}
