import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, integrations } from '../src/db/schema';
import { ApiKeyRepo } from '../src/db/repos/api-keys';
import { callrailHeaders } from '../src/demo/sign';
import { callrailCall } from '../src/demo/samples';
import { callrailFixture, json, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

type Page = { data: { id: string; sourceCallId: string; startedAt: string }[]; nextCursor: string | null };

async function postCall(slug: string, o: Parameters<typeof callrailCall>[0]) {
  const body = JSON.stringify(callrailCall(o));
  const res = await t.app.request(`/v1/webhooks/callrail/${slug}`, {
    method: 'POST',
    body,
    headers: await callrailHeaders(callrailFixture.token, body),
  });
  expect(res.status).toBe(202);
  return (await json<{ callId: string }>(res)).callId;
}

const put = (path: string, key: string, body: unknown) =>
  t.app.request(path, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('GET /v1/me', () => {
  it("returns the key's tenant and role", async () => {
    expect(await json(await t.get('/v1/me', t.a.manager))).toMatchObject({
      tenant: { id: t.a.tenant.id, slug: t.a.tenant.slug, name: 'Acme Roofing' },
      role: 'manager',
    });
  });

  it('401s without a key, with an unknown key and with a revoked key', async () => {
    expect((await t.app.request('/v1/me')).status).toBe(401);
    expect(await json(await t.get('/v1/me', 'csk_nope'))).toMatchObject({ error: { code: 'invalid_api_key' } });
    const keys = new ApiKeyRepo(t.db);
    const issued = await keys.issue(t.a.tenant.id, 'rep', 'temp', t.clock.now());
    expect((await t.get('/v1/me', issued.key)).status).toBe(200);
    await keys.revoke(t.a.tenant.id, issued.id, t.clock.now());
    expect((await t.get('/v1/me', issued.key)).status).toBe(401);
  });
});

describe('GET /v1/calls', () => {
  it('lists newest first with cursor pagination that visits every call once', async () => {
    for (let i = 0; i < 7; i++) {
      await postCall(t.a.tenant.slug, { id: `CAL${i}`, startTime: `2026-11-0${i + 1}T10:00:00Z` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await json<Page>(
        await t.get(`/v1/calls?limit=3${cursor ? `&cursor=${cursor}` : ''}`, t.a.rep),
      );
      seen.push(...page.data.map((c) => c.sourceCallId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['CAL6', 'CAL5', 'CAL4', 'CAL3', 'CAL2', 'CAL1', 'CAL0']);
  });

  it('filters by status, source, direction, date range and phone in any format', async () => {
    await postCall(t.a.tenant.slug, { id: 'A', phone: '+13036231131', startTime: '2026-11-01T10:00:00Z' });
    await postCall(t.a.tenant.slug, { id: 'B', direction: 'outbound', startTime: '2026-11-05T10:00:00Z' });
    await postCall(t.a.tenant.slug, { id: 'C', startTime: '2026-11-09T10:00:00Z' });
    await t.runner.runOne();
    const ids = async (query: string) =>
      (await json<Page>(await t.get(`/v1/calls?${query}`, t.a.rep))).data.map((c) => c.sourceCallId).sort();
    expect(await ids('direction=outbound')).toEqual(['B']);
    expect(await ids('source=callrail')).toEqual(['A', 'B', 'C']);
    expect(await ids('source=retell')).toEqual([]);
    expect(await ids('from=2026-11-04&to=2026-11-06')).toEqual(['B']);
    expect(await ids(`phone=${encodeURIComponent('(303) 623-1131')}`)).toEqual(['A']);
    expect(await ids('status=analyzed')).toHaveLength(1);
    expect(await ids('status=pending')).toHaveLength(2);
  });

  it('400s bad filters, naming them', async () => {
    for (const [query, field] of [
      ['direction=sideways', 'direction'],
      ['limit=0', 'limit'],
      ['from=yesterday', 'from'],
      ['cursor=bogus', 'cursor'],
    ]) {
      const res = await t.get(`/v1/calls?${query}`, t.a.rep);
      expect(res.status, query).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: 'invalid_request', details: { field } } });
    }
  });

  it("never shows one tenant another tenant's calls", async () => {
    const callId = await postCall(t.a.tenant.slug, { id: 'SECRET' });
    expect((await json<Page>(await t.get('/v1/calls', t.b.admin))).data).toHaveLength(0);
    const res = await t.get(`/v1/calls/${callId}`, t.b.admin);
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('PUT /v1/integrations/:kind', () => {
  it('is admin-only', async () => {
    for (const key of [t.a.manager, t.a.rep]) {
      const res = await put('/v1/integrations/callrail', key, { secret: 'abcdefgh12345' });
      expect(res.status).toBe(403);
      expect(await json(res)).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect((await t.get('/v1/integrations', t.a.rep)).status).toBe(403);
  });

  it('sets a new secret that takes effect at once, stores it sealed, never returns it, and audits the change', async () => {
    const res = await put('/v1/integrations/callrail', t.a.admin, { secret: 'rotated-token-0001', options: {} });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await json(res))).not.toContain('rotated-token-0001');
    const row = await t.db.select().from(integrations).where(eq(integrations.tenantId, t.a.tenant.id)).all();
    expect(JSON.stringify(row)).not.toContain('rotated-token-0001');
    // The old token no longer verifies; the new one does.
    const old = await t.app.request(`/v1/webhooks/callrail/${t.a.tenant.slug}`, {
      method: 'POST',
      body: callrailFixture.body,
      headers: { Signature: callrailFixture.signature },
    });
    expect(old.status).toBe(401);
    const fresh = await t.app.request(`/v1/webhooks/callrail/${t.a.tenant.slug}`, {
      method: 'POST',
      body: callrailFixture.body,
      headers: await callrailHeaders('rotated-token-0001', callrailFixture.body),
    });
    expect(fresh.status).toBe(202);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.tenantId, t.a.tenant.id));
    expect(audit).toMatchObject([{ action: 'integration.set', target: 'callrail' }]);
    expect(JSON.stringify(audit)).not.toContain('rotated-token-0001');
  });

  it('400s bad input, naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/v1/integrations/zoom', { secret: 'abcdefgh12345' }, 'kind'],
      ['/v1/integrations/callrail', { secret: 'short' }, 'secret'],
      ['/v1/integrations/callrail', { options: {} }, 'secret'],
      [
        '/v1/integrations/callrail',
        { secret: 'abcdefgh12345', options: { defaultCountry: 'XX' } },
        'options.defaultCountry',
      ],
      ['/v1/integrations/callrail', { secret: 'abcdefgh12345', options: { colour: 'red' } }, 'options'],
      [
        '/v1/integrations/ringostat',
        { secret: 'abcdefgh12345', options: { fieldAliases: { nope: ['x'] } } },
        'options.fieldAliases',
      ],
    ];
    for (const [path, body, field] of cases) {
      const res = await put(path, t.a.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await json(res), JSON.stringify(body)).toMatchObject({
        error: { code: 'invalid_request', details: { field } },
      });
    }
    const notJson = await t.app.request('/v1/integrations/callrail', {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.a.admin}`, 'content-type': 'application/json' },
      body: '{"secret":',
    });
    expect(notJson.status).toBe(400);
  });
});

describe('errors and health', () => {
  it('answers unknown routes with the error envelope', async () => {
    const res = await t.app.request('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('reports health and readiness with migrations current', async () => {
    expect(await json(await t.app.request('/healthz'))).toEqual({ ok: true });
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ ready: true, migrations: { pending: [] } });
  });
});
