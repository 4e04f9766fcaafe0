import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock';
import { openLibsqlDb } from '../../../src/db/libsql';
import { migrate } from '../../../src/db/migrate';
import { globToRegExp } from '../../../src/sandbox/faults';
import { createHubspotSandbox, DEFAULT_SANDBOX_TOKEN, type HubspotSandbox } from '../../../src/sandbox/hubspot';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let clock: ManualClock;
let sandbox: HubspotSandbox;
/** The Node server's layout: the sandbox mounted under /sandbox/hubspot. */
let server: Hono;

beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 10, 22, 15, 30));
  sandbox = await createHubspotSandbox({ clock });
  server = new Hono();
  server.route('/sandbox/hubspot', sandbox.app);
});
afterEach(() => sandbox.close());

async function api(method: string, path: string, body?: unknown, token: string | null = DEFAULT_SANDBOX_TOKEN) {
  const res = await server.request(`/sandbox/hubspot${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are read field by field
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
}

const search = (type: string, filters: unknown[], extra: Record<string, unknown> = {}) =>
  api('POST', `/crm/v3/objects/${type}/search`, { filterGroups: [{ filters }], ...extra });

describe('auth and errors', () => {
  it.each([null, 'pat-na1-not-ours'])('answers %s with 401 and HubSpot’s error body', async (token) => {
    const res = await api('GET', '/crm/v3/objects/contacts', undefined, token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      status: 'error',
      message: expect.stringMatching(/^Authentication credentials not found/),
      correlationId: expect.stringMatching(UUID),
      category: 'INVALID_AUTHENTICATION',
    });
  });

  it('rejects a call without hs_timestamp with a 400 VALIDATION_ERROR naming the property', async () => {
    const res = await api('POST', '/crm/v3/objects/calls', { properties: { hs_call_title: 'no time' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      correlationId: expect.stringMatching(UUID),
    });
    expect(res.body.message).toMatch(/^Property values were not valid: \[/);
    const detail = JSON.parse(res.body.message.replace('Property values were not valid: ', ''));
    expect(detail).toEqual([
      expect.objectContaining({ isValid: false, name: 'hs_timestamp', error: 'REQUIRED_PROPERTY' }),
    ]);
  });

  it('rejects read-only properties, bad options and associations of the wrong type', async () => {
    const ro = await api('POST', '/crm/v3/objects/contacts', {
      properties: { hs_searchable_calculated_phone_number: '1' },
    });
    expect(ro.body.message).toContain('READ_ONLY_VALUE');
    const opt = await api('POST', '/crm/v3/objects/calls', {
      properties: { hs_timestamp: '2026-11-22T15:00:00Z', hs_call_direction: 'SIDEWAYS' },
    });
    expect(opt.body.message).toContain('SIDEWAYS was not one of the allowed options: [INBOUND, OUTBOUND]');
    const contact = await api('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'A' } });
    const wrongType = await api('POST', '/crm/v3/objects/calls', {
      properties: { hs_timestamp: '2026-11-22T15:00:00Z' },
      associations: [
        { to: { id: contact.body.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
      ],
    });
    expect(wrongType.status).toBe(400);
    const missing = await api('POST', '/crm/v3/objects/calls', {
      properties: { hs_timestamp: '2026-11-22T15:00:00Z' },
      associations: [
        { to: { id: '123' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] },
      ],
    });
    expect(missing.status).toBe(400);
  });

  it('stores epoch-millisecond timestamps as ISO 8601', async () => {
    const res = await api('POST', '/crm/v3/objects/calls', {
      properties: { hs_timestamp: String(Date.UTC(2026, 10, 23, 12)) },
    });
    expect(res.body.properties.hs_timestamp).toBe('2026-11-23T12:00:00.000Z');
  });

  it('answers an unknown record, and an unknown path, with 404 OBJECT_NOT_FOUND', async () => {
    const res = await api('GET', '/crm/v3/objects/contacts/42');
    expect(res).toMatchObject({ status: 404, body: { status: 'error', category: 'OBJECT_NOT_FOUND' } });
    expect(await api('GET', '/crm/v3/nothing-here')).toMatchObject({ status: 404, body: { status: 'error' } });
  });
});

describe('rate limits', () => {
  it('sends the X-HubSpot-RateLimit headers, except on search', async () => {
    const res = await api('GET', '/crm/v3/objects/contacts');
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-hubspot')))).toEqual({
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '189',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '650000',
      'x-hubspot-ratelimit-daily-remaining': '649999',
    });
    const s = await search('contacts', []);
    expect([...s.headers.keys()].filter((k) => k.startsWith('x-hubspot'))).toEqual([]);
  });

  it('allows 190 requests per rolling 10 s per token, then answers 429 TEN_SECONDLY_ROLLING', async () => {
    for (let i = 0; i < 190; i++) {
      clock.advance(10);
      expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
    }
    const limited = await api('GET', '/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.stringMatching(UUID),
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    // The window rolls: the oldest request leaves it 10 s after it was made.
    clock.advance(10_000 - 190 * 10 + 10);
    expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
  });

  it('allows 5 searches a second', async () => {
    for (let i = 0; i < 5; i++) expect((await search('contacts', [])).status).toBe(200);
    expect((await search('contacts', [])).body).toMatchObject({
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
    clock.advance(1_000);
    expect((await search('contacts', [])).status).toBe(200);
  });

  it('counts what it answered for benchmarks: totals, 429s, and requests per second', async () => {
    await api('DELETE', '/__stats', undefined, null);
    await api('GET', '/crm/v3/objects/contacts');
    await api('GET', '/crm/v3/objects/contacts');
    clock.advance(2_000);
    for (let i = 0; i < 6; i++) await search('contacts', []);
    await api('GET', '/crm/v3/objects/contacts');
    const stats = (await api('GET', '/__stats', undefined, null)).body;
    expect(stats).toMatchObject({ total: 9, search: 6, search429: 1, byStatus: { 200: 8, 429: 1 } });
    expect(stats.standardPerSecond).toEqual([2, 0, 1]);
    expect(stats.searchPerSecond).toEqual([0, 0, 6]);
  });
});

describe('search', () => {
  async function contact(properties: Record<string, string>) {
    return (await api('POST', '/crm/v3/objects/contacts', { properties })).body.id as string;
  }

  it('sees an update only after the lag, and everything after a flush', async () => {
    const id = await contact({ firstname: 'Old' });
    clock.advance(2_000);
    await api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { firstname: 'New' } });
    const byName = async (name: string) =>
      (await search('contacts', [{ propertyName: 'firstname', operator: 'EQ', value: name }])).body.total;
    expect([await byName('Old'), await byName('New')]).toEqual([1, 0]);
    expect((await api('GET', `/crm/v3/objects/contacts/${id}?properties=firstname`)).body.properties.firstname).toBe(
      'New',
    );
    expect((await server.request('/sandbox/hubspot/__search-index/flush', { method: 'POST' })).status).toBe(204);
    expect([await byName('Old'), await byName('New')]).toEqual([0, 1]);
  });

  it('matches tokens, sorts, and pages with after', async () => {
    for (const [i, name] of ['Ann Lee', 'Bob Lee', 'Cy Young'].entries()) {
      clock.advance(1_000 * (i + 1));
      await contact({
        firstname: name.split(' ')[0] ?? '',
        lastname: name.split(' ')[1] ?? '',
        company: `${name} Roofing`,
      });
    }
    await sandbox.flushSearchIndex();
    const lee = await search('contacts', [{ propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'lee' }], {
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      properties: ['firstname'],
      limit: 1,
    });
    expect(lee.body).toMatchObject({
      total: 2,
      results: [{ properties: { firstname: 'Bob' } }],
      paging: { next: { after: '1' } },
    });
    const next = await search('contacts', [{ propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'lee' }], {
      sorts: ['-createdate'],
      properties: ['firstname'],
      limit: 1,
      after: '1',
    });
    expect(next.body.results[0].properties.firstname).toBe('Ann');
    expect(next.body.paging).toBeUndefined();
    const wildcard = await search('contacts', [
      { propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'roof*' },
    ]);
    expect(wildcard.body.total).toBe(3);
  });

  it('rejects what HubSpot rejects: limit over 200, too many groups, unknown properties', async () => {
    expect((await search('contacts', [], { limit: 201 })).status).toBe(400);
    const groups = Array.from({ length: 7 }, () => ({
      filters: [{ propertyName: 'phone', operator: 'HAS_PROPERTY' }],
    }));
    expect((await api('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups })).status).toBe(400);
    expect((await search('contacts', [{ propertyName: 'nope', operator: 'EQ', value: '1' }])).status).toBe(400);
  });
});

describe('faults', () => {
  it('takes a 429 storm through the admin endpoint, for N requests on matching paths only', async () => {
    const added = await server.request('/sandbox/hubspot/__faults', {
      method: 'POST',
      body: JSON.stringify({
        preset: 'rate_limit_storm',
        policyName: 'TEN_SECONDLY_ROLLING',
        times: 2,
        path: '/crm/v3/objects/**',
      }),
    });
    expect(added.status).toBe(201);
    expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
    expect((await api('GET', '/crm/v3/objects/contacts')).body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
    const listed = (await (await server.request('/sandbox/hubspot/__faults')).json()) as { faults: unknown[] };
    expect(listed.faults).toEqual([expect.objectContaining({ remaining: 1, hits: 1 })]);
    expect((await api('POST', '/crm/v3/objects/contacts/search', {})).status).toBe(429);
    expect((await api('GET', '/crm/v3/objects/contacts')).status).toBe(200);
  });

  it('answers with any status and body a rule gives, and clears', async () => {
    await server.request('/sandbox/hubspot/__faults', {
      method: 'POST',
      body: JSON.stringify([{ method: 'GET', respond: { status: 502, body: { message: 'Bad gateway' } } }]),
    });
    expect(await api('GET', '/crm/v3/owners')).toMatchObject({ status: 502, body: { message: 'Bad gateway' } });
    expect((await api('POST', '/crm/v3/objects/contacts', { properties: {} })).status).toBe(201);
    expect((await server.request('/sandbox/hubspot/__faults', { method: 'DELETE' })).status).toBe(204);
    expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
    expect((await server.request('/sandbox/hubspot/__faults', { method: 'POST', body: '{"times":-1}' })).status).toBe(
      400,
    );
  });

  it('runs an outage window on the sandbox clock', async () => {
    sandbox.outage({ from: clock.now() + 1_000, forMs: 60_000 });
    expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
    clock.advance(1_000);
    expect(await api('GET', '/crm/v3/owners')).toMatchObject({ status: 503, body: { status: 'error' } });
    clock.advance(59_999);
    expect((await api('GET', '/crm/v3/owners')).status).toBe(503);
    clock.advance(1);
    expect((await api('GET', '/crm/v3/owners')).status).toBe(200);
  });

  it('matches paths with * inside a segment and ** across segments', () => {
    expect(globToRegExp('/crm/v3/objects/*/search').test('/crm/v3/objects/contacts/search')).toBe(true);
    expect(globToRegExp('/crm/v3/objects/*').test('/crm/v3/objects/contacts/search')).toBe(false);
    expect(globToRegExp('/crm/**').test('/crm/v3/objects/contacts/search')).toBe(true);
  });
});

describe('properties, pipelines, account', () => {
  it('creates a property once: 409 the second time, 400 for an unknown group', async () => {
    const def = { name: 'callsight_x', label: 'X', type: 'string', fieldType: 'text', groupName: 'contactinformation' };
    expect((await api('POST', '/crm/v3/properties/contacts', def)).status).toBe(201);
    expect(await api('POST', '/crm/v3/properties/contacts', def)).toMatchObject({
      status: 409,
      body: { category: 'OBJECT_ALREADY_EXISTS' },
    });
    expect((await api('POST', '/crm/v3/properties/contacts', { ...def, name: 'y', groupName: 'nope' })).status).toBe(
      400,
    );
    expect((await api('POST', '/crm/v3/objects/contacts', { properties: { callsight_x: 'v' } })).status).toBe(201);
  });

  it('lists the deal pipeline with closed stages marked', async () => {
    const res = await api('GET', '/crm/v3/pipelines/deals');
    const stages = res.body.results[0].stages as { id: string; metadata: { isClosed: string } }[];
    expect(stages.filter((s) => s.metadata.isClosed === 'true').map((s) => s.id)).toEqual(['closedwon', 'closedlost']);
  });

  it('tells the portal id and time zone', async () => {
    expect((await api('GET', '/account-info/v3/details')).body).toMatchObject({
      portalId: sandbox.portalId,
      timeZone: 'UTC',
      uiDomain: 'app.hubspot.com',
    });
  });
});

describe('its own database', () => {
  it('keeps records in a file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubspot-sandbox-'));
    try {
      const url = `file:${join(dir, 'nested', 'sandbox.db')}`;
      const first = await createHubspotSandbox({ database: url, clock });
      const created = await first.fetch('http://x/crm/v3/objects/contacts', {
        method: 'POST',
        headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { firstname: 'Kept' } }),
      });
      const { id } = (await created.json()) as { id: string };
      first.close();
      const second = await createHubspotSandbox({ database: url, clock });
      expect((await second.record('contacts', id))?.properties.firstname).toBe('Kept');
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shares a database with the product's tables without touching them", async () => {
    const { db, close } = await openLibsqlDb(':memory:');
    const applied = await migrate(db);
    const shared = await createHubspotSandbox({ database: db, clock });
    expect(
      (await shared.fetch('http://x/crm/v3/owners', { headers: { authorization: `Bearer ${shared.token}` } })).status,
    ).toBe(200);
    expect(await migrate(db)).toEqual([]);
    expect(applied.length).toBeGreaterThan(0);
    close();
  });
});
