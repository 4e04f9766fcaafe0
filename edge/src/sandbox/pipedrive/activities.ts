import { Hono } from 'hono';
import type { PipedriveEnv, SandboxCompany } from './company';
import { badRequest, notFound } from './envelope';
import { DATE, HOUR_MINUTE, v1Time, v2Time } from './format';
import {
  jsonBody,
  optionalBoolean,
  optionalInteger,
  optionalPattern,
  optionalString,
  referenced,
  type Body,
} from './input';
import type { StoredItem } from './store';

// Activities (v2: a call is an activity of type `call`; `due_time` and `duration` are HH:MM, the
// time in UTC; `done` a boolean) and notes (v1, HTML content on a person, deal, lead or org).

/** Pipedrive's default activity types (key_string → name). */
export const ACTIVITY_TYPES: Record<string, string> = {
  call: 'Call',
  meeting: 'Meeting',
  task: 'Task',
  deadline: 'Deadline',
  email: 'Email',
  lunch: 'Lunch',
};
const ACTIVITY_KEYS = new Set([
  'subject',
  'type',
  'owner_id',
  'deal_id',
  'lead_id',
  'person_id',
  'org_id',
  'due_date',
  'due_time',
  'duration',
  'busy',
  'done',
  'location',
  'participants',
  'public_description',
  'priority',
  'note',
]);

export const activityView = (item: StoredItem) => ({
  id: Number(item.id),
  ...item.data,
  is_deleted: false,
  add_time: v2Time(item.addTime),
  update_time: v2Time(item.updateTime),
});

export const noteView = (item: StoredItem) => ({
  id: Number(item.id),
  ...item.data,
  active_flag: true,
  add_time: v1Time(item.addTime),
  update_time: v1Time(item.updateTime),
});

export function activityRoutes(company: SandboxCompany) {
  const activities = new Hono<PipedriveEnv>();

  activities.post('/api/v2/activities', async (c) => {
    const body = await jsonBody(c);
    const unknown = Object.keys(body).find((k) => !ACTIVITY_KEYS.has(k));
    if (unknown) throw badRequest(`Unknown field: ${unknown}`);
    const activity = await company.store.exclusive(async () => {
      const type = optionalString(body, 'type') ?? 'task';
      if (!ACTIVITY_TYPES[type]) throw badRequest(`type: unknown activity type "${type}"`);
      const owner = optionalInteger(body, 'owner_id');
      await referenced(company, 'user', owner);
      const person = optionalInteger(body, 'person_id');
      await referenced(company, 'person', person);
      const deal = optionalInteger(body, 'deal_id');
      await referenced(company, 'deal', deal);
      const lead = optionalString(body, 'lead_id');
      await referenced(company, 'lead', lead);
      const done = optionalBoolean(body, 'done') ?? false;
      return company.store.insert('activity', {
        subject: optionalString(body, 'subject') ?? ACTIVITY_TYPES[type],
        type,
        owner_id: owner ?? c.get('userId'),
        deal_id: deal,
        lead_id: lead,
        person_id: person,
        org_id: optionalInteger(body, 'org_id'),
        due_date: optionalPattern(body, 'due_date', DATE, 'YYYY-MM-DD'),
        due_time: optionalPattern(body, 'due_time', HOUR_MINUTE, 'HH:MM'),
        duration: optionalPattern(body, 'duration', /^\d{1,3}:[0-5]\d$/, 'HH:MM'),
        busy: optionalBoolean(body, 'busy') ?? false,
        done,
        marked_as_done_time: done ? v2Time(company.clock.now()) : null,
        location: body.location ?? null,
        participants: Array.isArray(body.participants)
          ? body.participants
          : person
            ? [{ person_id: person, primary: true }]
            : [],
        public_description: optionalString(body, 'public_description'),
        priority: body.priority ?? null,
        note: optionalString(body, 'note'),
      });
    });
    return c.json({ success: true, data: activityView(activity), additional_data: null });
  });

  activities.get('/api/v2/activities', async (c) => {
    const q = (k: string) => c.req.query(k);
    const since = q('updated_since') ? Date.parse(q('updated_since') ?? '') : null;
    if (since !== null && Number.isNaN(since)) throw badRequest('updated_since must be an RFC 3339 time');
    const limit = Number(q('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('limit must be between 1 and 500');
    const matches = (item: StoredItem, key: string) => !q(key) || String(item.data[key]) === q(key);
    let items = (await company.store.list('activity')).filter(
      (a) =>
        matches(a, 'person_id') &&
        matches(a, 'deal_id') &&
        matches(a, 'lead_id') &&
        matches(a, 'owner_id') &&
        (since === null || a.updateTime >= since),
    );
    const sortBy = q('sort_by') ?? 'id';
    const key = (a: StoredItem) =>
      sortBy === 'update_time' ? a.updateTime : sortBy === 'add_time' ? a.addTime : Number(a.id);
    items = items.sort((a, b) => key(a) - key(b) || Number(a.id) - Number(b.id));
    if (q('sort_direction') === 'desc') items = items.reverse();
    return c.json({
      success: true,
      data: items.slice(0, limit).map(activityView),
      additional_data: { next_cursor: null },
    });
  });

  activities.get('/api/v2/activities/:id{[0-9]+}', async (c) => {
    const activity = await company.store.get('activity', c.req.param('id'));
    if (!activity) throw notFound('Activity');
    return c.json({ success: true, data: activityView(activity), additional_data: null });
  });

  activities.post('/api/v1/notes', async (c) => {
    const body: Body = await jsonBody(c);
    const note = await company.store.exclusive(async () => {
      const content = optionalString(body, 'content');
      if (!content?.trim()) throw badRequest('Note content is required');
      const person = optionalInteger(body, 'person_id');
      const deal = optionalInteger(body, 'deal_id');
      const lead = optionalString(body, 'lead_id');
      const org = optionalInteger(body, 'org_id');
      if (person === null && deal === null && lead === null && org === null) {
        throw badRequest('A note must be attached to a person, deal, lead or organization');
      }
      await referenced(company, 'person', person);
      await referenced(company, 'deal', deal);
      await referenced(company, 'lead', lead);
      const flag = (key: string) => (body[key] === true || body[key] === 1 || body[key] === '1' ? true : false);
      return company.store.insert('note', {
        content,
        person_id: person,
        deal_id: deal,
        lead_id: lead,
        org_id: org,
        user_id: c.get('userId'),
        pinned_to_person_flag: flag('pinned_to_person_flag'),
        pinned_to_deal_flag: flag('pinned_to_deal_flag'),
        pinned_to_lead_flag: flag('pinned_to_lead_flag'),
      });
    });
    return c.json({ success: true, data: noteView(note), additional_data: null }, 201);
  });

  activities.get('/api/v1/notes', async (c) => {
    const start = Number(c.req.query('start') ?? 0);
    const limit = Math.min(Number(c.req.query('limit') ?? 100), 500);
    const notes = (await company.store.list('note')).filter((n) =>
      ['person_id', 'deal_id', 'lead_id'].every((k) => !c.req.query(k) || String(n.data[k]) === c.req.query(k)),
    );
    if (c.req.query('sort')?.toUpperCase().endsWith('DESC')) notes.reverse();
    return c.json({
      success: true,
      data: notes.slice(start, start + limit).map(noteView),
      additional_data: { pagination: { start, limit, more_items_in_collection: start + limit < notes.length } },
    });
  });

  return activities;
}
