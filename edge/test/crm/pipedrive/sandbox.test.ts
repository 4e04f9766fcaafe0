import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock';
import {
  createPipedriveSandbox,
  SANDBOX_DO_NOT_CALL_FIELD,
  type PipedriveSandbox,
  type PipedriveSandboxOptions,
} from '../../../src/sandbox/pipedrive';
import { BASE } from './support';

// The sandbox against Pipedrive's documented behaviour: paths, envelopes, 401/429 and headers.

let sandbox: PipedriveSandbox;
let clock: ManualClock;
afterEach(() => sandbox?.close());

function open(options: PipedriveSandboxOptions = {}) {
  clock = new ManualClock();
  sandbox = createPipedriveSandbox({ clock, ...options });
}

type Json = Record<string, unknown> & { data?: unknown };
async function api(method: string, path: string, body?: unknown, token: string | null = sandbox.apiToken) {
  const res = await sandbox.app.request(`${BASE}${path}`, {
    method,
    headers: { ...(token ? { 'x-api-token': token } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}
const errorBody = (error: string, errorCode: number) => ({
  success: false,
  error,
  errorCode,
  error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
  data: null,
  additional_data: null,
});
const person = (name: string, ...phones: string[]) => sandbox.createPerson({ name, phones });
const searchIds = async (query: string, version = 'v2') => {
  const res = await api('GET', `/api/${version}/persons/search?${query}`);
  return (res.body.data as { items: Array<{ item: { id: number } }> }).items.map((i) => i.item.id);
};

describe('authentication', () => {
  it("refuses a missing or wrong token with Pipedrive's 401 body", async () => {
    open();
    expect(await api('GET', '/api/v1/users/me', undefined, null)).toMatchObject({
      status: 401,
      body: errorBody('unauthorized access', 401),
    });
    expect((await api('GET', '/api/v1/users/me', undefined, 'stale')).status).toBe(401);
    expect((await api('GET', '/api/v1/users/me')).body).toMatchObject({
      success: true,
      data: {
        id: 1,
        email: 'owner@sandbox.callsight.test',
        company_name: 'Callsight Sandbox Ltd',
        company_domain: 'callsight-sandbox',
      },
    });
  });

  it('still accepts the older api_token query parameter', async () => {
    open();
    const res = await sandbox.app.request(`${BASE}/api/v1/users/me?api_token=${sandbox.apiToken}`);
    expect(res.status).toBe(200);
  });
});

describe('persons', () => {
  it('creates a v2 person with phones and reads it back', async () => {
    open();
    const created = await api('POST', '/api/v2/persons', {
      name: 'Kaylah Mills',
      phones: [{ value: '+14155550100', label: 'mobile' }],
    });
    expect(created).toMatchObject({
      status: 200,
      body: {
        success: true,
        data: {
          id: 1,
          name: 'Kaylah Mills',
          first_name: 'Kaylah',
          last_name: 'Mills',
          owner_id: 1,
          phones: [{ value: '+14155550100', primary: true, label: 'mobile' }],
          add_time: '2026-11-22T12:00:00Z',
          custom_fields: { [SANDBOX_DO_NOT_CALL_FIELD.key]: null },
        },
      },
    });
    expect((await api('GET', '/api/v2/persons/1')).body.data).toMatchObject({ name: 'Kaylah Mills' });
    expect(await api('GET', '/api/v2/persons/99')).toMatchObject({
      status: 404,
      body: errorBody('Person not found', 404),
    });
  });

  it('validates names, owners, unknown fields and custom-field options', async () => {
    open();
    expect((await api('POST', '/api/v2/persons', { phones: [] })).body).toEqual(errorBody('name is required', 400));
    expect((await api('POST', '/api/v2/persons', { name: 'A', owner_id: 77 })).body.error).toBe(
      'User with id 77 not found',
    );
    expect((await api('POST', '/api/v2/persons', { name: 'A', phone: '+1' })).body.error).toBe('Unknown field: phone');
    const key = SANDBOX_DO_NOT_CALL_FIELD.key;
    expect((await api('POST', '/api/v2/persons', { name: 'A', custom_fields: { [key]: 99 } })).body.error).toBe(
      'Invalid option for the field "Do not call": 99',
    );
    expect((await api('POST', '/api/v2/persons', { name: 'A', custom_fields: { abc: 'x' } })).body.error).toBe(
      'Unknown custom field key: abc',
    );
  });

  it('updates custom fields, and marketing_status only with Campaigns', async () => {
    open();
    const id = await person('Kaylah', '+14155550100');
    const key = SANDBOX_DO_NOT_CALL_FIELD.key;
    expect((await api('PATCH', `/api/v2/persons/${id}`, { custom_fields: { [key]: 31 } })).body.data).toMatchObject({
      custom_fields: { [key]: 31 },
    });
    expect((await api('PATCH', `/api/v2/persons/${id}`, { marketing_status: 'unsubscribed' })).status).toBe(400);
    sandbox.close();
    open({ campaigns: true });
    const other = await person('Kaylah', '+14155550100');
    expect(
      (await api('PATCH', `/api/v2/persons/${other}`, { marketing_status: 'unsubscribed' })).body.data,
    ).toMatchObject({
      marketing_status: 'unsubscribed',
    });
  });

  it('lists persons by ids', async () => {
    open();
    const a = await person('A', '1');
    await person('B', '2');
    const c = await person('C', '3');
    const res = await api('GET', `/api/v2/persons?ids=${a},${c}`);
    expect((res.body.data as Array<{ name: string }>).map((p) => p.name)).toEqual(['A', 'C']);
  });
});

describe('person search', () => {
  it('matches the digits of numbers stored in any format without exact_match', async () => {
    open();
    const ids = [
      await person('Parens', '(415) 555-0100'),
      await person('Intl', '+1 415-555-0100'),
      await person('Zeros', '001 415 555 0100'),
    ];
    await person('Other', '(415) 555-0199');
    expect((await searchIds('term=4155550100&fields=phone')).sort()).toEqual(ids);
  });

  it('with exact_match, finds only the format the number was saved in', async () => {
    open();
    const e164 = await person('E164', '+14155550100');
    await person('Parens', '(415) 555-0100');
    expect(await searchIds(`term=${encodeURIComponent('+14155550100')}&fields=phone&exact_match=true`)).toEqual([e164]);
  });

  it('answers the v2 and v1 shapes', async () => {
    open();
    const id = await person('Kaylah Mills', '+14155550100');
    const v2 = await api('GET', '/api/v2/persons/search?term=kaylah&fields=name');
    expect(v2.body).toEqual({
      success: true,
      data: {
        items: [
          {
            result_score: 0.5,
            item: {
              id,
              type: 'person',
              name: 'Kaylah Mills',
              phones: ['+14155550100'],
              emails: [],
              visible_to: 3,
              owner: { id: 1 },
              organization: null,
              custom_fields: [],
              notes: [],
            },
          },
        ],
      },
      additional_data: { next_cursor: null },
    });
    const v1 = await api('GET', '/api/v1/persons/search?term=4155550100&fields=phone&limit=10');
    expect(v1.body.additional_data).toEqual({ pagination: { start: 0, limit: 10, more_items_in_collection: false } });
  });

  it('refuses short terms and unknown fields', async () => {
    open();
    expect((await api('GET', '/api/v2/persons/search?term=4')).body.error).toBe(
      'The search term must be at least 2 characters long',
    );
    expect((await api('GET', '/api/v2/persons/search?term=4&exact_match=true')).status).toBe(200);
    expect((await api('GET', '/api/v2/persons/search?term=44&fields=address')).status).toBe(400);
  });

  it('sees new persons only after the index lag', async () => {
    open({ searchLagMs: 5000 });
    const created = await api('POST', '/api/v2/persons', { name: 'Fresh', phones: [{ value: '+14155550100' }] });
    const id = (created.body.data as { id: number }).id;
    expect(await searchIds('term=4155550100&fields=phone')).toEqual([]);
    expect((await api('GET', `/api/v2/persons/${id}`)).status).toBe(200);
    clock.advance(5000);
    expect(await searchIds('term=4155550100&fields=phone')).toEqual([id]);
  });
});

describe('leads, deals, activities, notes, users', () => {
  it('creates leads (201, UUID, source API) linked to a person, with the default labels', async () => {
    open();
    const id = await person('Kaylah', '+14155550100');
    const labels = (await api('GET', '/api/v1/leadLabels')).body.data as Array<{ id: string; name: string }>;
    expect(labels.map((l) => l.name)).toEqual(['Hot', 'Warm', 'Cold']);
    const hot = labels[0]?.id ?? '';
    const lead = await api('POST', '/api/v1/leads', { title: 'Kitchen', person_id: id, label_ids: [hot] });
    expect(lead).toMatchObject({
      status: 201,
      body: {
        success: true,
        data: { title: 'Kitchen', person_id: id, label_ids: [hot], source_name: 'API', is_archived: false },
      },
    });
    expect((lead.body.data as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api('POST', '/api/v1/leads', { title: 'No one' })).body.error).toBe(
      'A lead must be linked to a person or an organization',
    );
    expect((await api('POST', '/api/v1/leads', { person_id: id })).body.error).toBe('title is required');
    expect((await api('POST', '/api/v1/leads', { title: 'x', person_id: id, label_ids: ['nope'] })).status).toBe(400);
  });

  it('lists a person’s leads, leaving archived ones out when asked', async () => {
    open();
    const id = await person('Kaylah', '+14155550100');
    const first = (await api('POST', '/api/v1/leads', { title: 'Old', person_id: id })).body.data as { id: string };
    await api('PATCH', `/api/v1/leads/${first.id}`, { is_archived: true });
    await api('POST', '/api/v1/leads', { title: 'New', person_id: id });
    const open_ = await api('GET', `/api/v1/leads?person_id=${id}&archived_status=not_archived`);
    expect((open_.body.data as Array<{ title: string }>).map((l) => l.title)).toEqual(['New']);
  });

  it('creates v2 deals and lists the open ones of a person, newest first', async () => {
    open();
    const id = await person('Kaylah', '+14155550100');
    await api('POST', '/api/v2/deals', { title: 'Old', person_id: id });
    clock.advance(1000);
    await api('POST', '/api/v2/deals', { title: 'Lost', person_id: id, status: 'lost' });
    clock.advance(1000);
    await api('POST', '/api/v2/deals', { title: 'New', person_id: id });
    const res = await api('GET', `/api/v2/deals?person_id=${id}&status=open&sort_by=update_time&sort_direction=desc`);
    expect((res.body.data as Array<{ title: string }>).map((d) => d.title)).toEqual(['New', 'Old']);
  });

  it('creates call activities and checks their fields', async () => {
    open();
    const id = await person('Kaylah', '+14155550100');
    const created = await api('POST', '/api/v2/activities', {
      subject: 'Inbound call',
      type: 'call',
      person_id: id,
      due_date: '2026-11-22',
      due_time: '11:40',
      duration: '00:03',
      done: true,
      note: '<p>Kitchen</p>',
    });
    expect(created.body.data).toMatchObject({
      id: 1,
      type: 'call',
      done: true,
      person_id: id,
      participants: [{ person_id: id, primary: true }],
    });
    const bad = async (body: Record<string, unknown>) =>
      (await api('POST', '/api/v2/activities', { person_id: id, ...body })).body.error;
    expect(await bad({ type: 'phone' })).toBe('type: unknown activity type "phone"');
    expect(await bad({ due_time: '11:40:00' })).toBe('due_time must be in the format HH:MM');
    expect(await bad({ done: 1 })).toBe('done must be a boolean');
    expect(await bad({ lead_id: 'not-a-uuid' })).toBe('lead_id must be a UUID');
    const listed = await api('GET', `/api/v2/activities?person_id=${id}&sort_by=add_time&sort_direction=desc`);
    expect(listed.body.data).toHaveLength(1);
  });

  it('creates notes (201) on a person and refuses empty ones', async () => {
    open();
    const id = await person('Kaylah', '+14155550100');
    expect(
      await api('POST', '/api/v1/notes', { content: '<b>hi</b>', person_id: id, pinned_to_person_flag: 1 }),
    ).toMatchObject({
      status: 201,
      body: { data: { content: '<b>hi</b>', person_id: id, pinned_to_person_flag: true } },
    });
    expect((await api('POST', '/api/v1/notes', { content: ' ', person_id: id })).body.error).toBe(
      'Note content is required',
    );
    expect((await api('POST', '/api/v1/notes', { content: 'x' })).status).toBe(400);
  });

  it('finds users by email', async () => {
    open({
      users: [
        { name: 'Sam Owner', email: 'owner@acme.test' },
        { name: 'Rep Ruth', email: 'ruth@acme.test' },
      ],
    });
    const res = await api('GET', '/api/v1/users/find?term=RUTH@acme.test&search_by_email=1');
    expect(res.body.data).toMatchObject([{ id: 2, name: 'Rep Ruth', email: 'ruth@acme.test' }]);
  });
});

describe('rate limits', () => {
  it('sends x-ratelimit headers and answers 429 past the 2-second burst limit', async () => {
    open({ burstLimit: 3 });
    const first = await api('GET', '/api/v1/users/me');
    expect([
      first.headers.get('x-ratelimit-limit'),
      first.headers.get('x-ratelimit-remaining'),
      first.headers.get('x-ratelimit-reset'),
    ]).toEqual(['3', '2', '2']);
    clock.advance(1000);
    await api('GET', '/api/v1/users/me');
    await api('GET', '/api/v1/users/me');
    const over = await api('GET', '/api/v1/users/me');
    expect(over.status).toBe(429);
    expect(over.body).toEqual(errorBody('Rate limit exceeded', 429));
    expect([over.headers.get('x-ratelimit-remaining'), over.headers.get('x-ratelimit-reset')]).toEqual(['0', '1']);
    clock.advance(1000);
    expect((await api('GET', '/api/v1/users/me')).status).toBe(200);
  });

  it('limits search separately: 10 per 2 seconds on every plan', async () => {
    open({ burstLimit: 100 });
    for (let i = 0; i < 10; i++) expect((await api('GET', '/api/v2/persons/search?term=12')).status).toBe(200);
    expect((await api('GET', '/api/v2/persons/search?term=12')).status).toBe(429);
    expect((await api('GET', '/api/v1/users/me')).status).toBe(200);
  });

  it('spends the daily token budget by request kind and refuses past it until the next UTC day', async () => {
    open({ dailyTokenBudget: 100 });
    await api('GET', '/api/v2/persons/search?term=12'); // v2 search: 20
    await api('GET', '/api/v1/persons/search?term=12'); // v1 search: 40
    await api('POST', '/api/v2/persons', { name: 'A' }); // v2 write: 5
    await api('GET', '/api/v1/users/me'); // v1 single: 2
    expect(await sandbox.tokenBudget()).toEqual({ used: 67, max: 100 });
    await sandbox.setTokensUsed(95);
    const over = await api('POST', '/api/v1/notes', { content: 'x', person_id: 1 });
    expect(over).toMatchObject({
      status: 429,
      body: errorBody('Daily API token budget exceeded. It resets at 00:00 UTC.', 429),
    });
    clock.advance(12 * 3600_000); // 2026-11-23T00:00Z
    expect((await api('POST', '/api/v1/notes', { content: 'x', person_id: 1 })).status).toBe(201);
  });
});

describe('mounting, faults and persistence', () => {
  it('works under /sandbox/pipedrive, with faults matched on the inner path and record pages', async () => {
    open();
    const node = new Hono().route('/sandbox/pipedrive', sandbox.app);
    const base = 'http://localhost:8787/sandbox/pipedrive';
    sandbox.faults.add({
      path: '/api/v2/persons/search',
      times: 2,
      respond: { status: 429, headers: { 'retry-after': '3' }, body: errorBody('Rate limit exceeded', 429) },
    });
    const search = () =>
      node.request(`${base}/api/v2/persons/search?term=12`, { headers: { 'x-api-token': sandbox.apiToken } });
    expect([(await search()).status, (await search()).status, (await search()).status]).toEqual([429, 429, 200]);
    const id = await person('Kaylah', '+14155550100');
    const page = await node.request(`${base}/person/${id}`);
    expect(await page.text()).toContain('Kaylah');
  });

  it('models an outage window on the sandbox clock', async () => {
    open();
    const now = clock.now();
    sandbox.faults.add({
      from: now,
      until: now + 60_000,
      respond: { status: 503, body: errorBody('Service unavailable', 503) },
    });
    expect((await api('GET', '/api/v1/users/me')).status).toBe(503);
    clock.advance(60_000);
    expect((await api('GET', '/api/v1/users/me')).status).toBe(200);
  });

  it('takes faults over HTTP at /__faults, outside auth and the faults themselves', async () => {
    open();
    const admin = (method: string, body?: unknown) =>
      sandbox.app.request(`${BASE}/__faults`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect(
      (
        await admin('POST', [
          { path: '/api/**', times: 1, respond: { status: 500, body: errorBody('Internal server error', 500) } },
        ])
      ).status,
    ).toBe(201);
    expect((await api('GET', '/api/v1/users/me')).status).toBe(500);
    expect((await api('GET', '/api/v1/users/me')).status).toBe(200);
    expect(((await (await admin('GET')).json()) as { faults: unknown[] }).faults).toEqual([]);
  });

  it('keeps its company in a libSQL file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-sandbox-'));
    try {
      const url = `file:${join(dir, 'pipedrive.db')}`;
      const first = createPipedriveSandbox({ db: url });
      const id = await first.createPerson({ name: 'Kept', phones: ['+14155550100'] });
      first.close();
      sandbox = createPipedriveSandbox({ db: url });
      expect(await sandbox.item('person', id)).toMatchObject({ name: 'Kept' });
      expect(await sandbox.items('user')).toHaveLength(1);
      expect(await sandbox.items('leadLabel')).toHaveLength(3);
    } finally {
      sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
