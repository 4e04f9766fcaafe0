import { afterEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../src/crm/port';
import { hubspotHarness, newCallLog, newContact, type Harness } from './support/harness';

let h: Harness | null = null;
afterEach(() => h?.close());

async function harness(...args: Parameters<typeof hubspotHarness>) {
  h = await hubspotHarness(...args);
  return h;
}

async function failure(work: Promise<unknown>): Promise<CrmError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

// 2026-11-22T15:30:00Z: 8 h 30 min before midnight UTC.
const UNTIL_UTC_MIDNIGHT = 8.5 * 3_600_000;

describe('throttling', () => {
  it('turns a TEN_SECONDLY_ROLLING storm into retryable errors, then recovers', async () => {
    const { adapter, sandbox } = await harness();
    sandbox.rateLimitStorm({ policyName: 'TEN_SECONDLY_ROLLING', times: 3 });
    for (let i = 0; i < 3; i++) {
      const e = await failure(adapter.findOwnerByEmail('alex.rep@callsight.test'));
      expect(e).toMatchObject({
        crm: 'hubspot',
        kind: 'retryable',
        status: 429,
        code: 'TEN_SECONDLY_ROLLING',
        retryAfterMs: 10_000,
        crmMessage: 'You have reached your ten_secondly_rolling limit.',
      });
    }
    expect(await adapter.findOwnerByEmail('alex.rep@callsight.test')).not.toBeNull();
  });

  it('honours Retry-After when HubSpot sends one', async () => {
    const { adapter, sandbox } = await harness();
    sandbox.rateLimitStorm({ times: 1, retryAfterSeconds: 3 });
    expect(await failure(adapter.getContact('1'))).toMatchObject({ kind: 'retryable', retryAfterMs: 3_000 });
  });

  it('throttles search on its own SECONDLY policy', async () => {
    const { adapter, sandbox } = await harness();
    sandbox.rateLimitStorm({ policyName: 'SECONDLY', path: '/crm/v3/objects/*/search', times: 1 });
    expect(await failure(adapter.findContactsByPhone('+13036231131'))).toMatchObject({
      kind: 'retryable',
      code: 'SECONDLY',
      retryAfterMs: 1_000,
      crmMessage: 'You have reached your secondly limit.',
    });
    // Other endpoints are not affected by a search storm.
    expect(await adapter.getContact('1')).toBeNull();
  });

  it("meets the sandbox's real rolling 10-second limit and gets through once the window moves", async () => {
    const { adapter, clock } = await harness({ sandbox: { limits: { burstPer10s: 5 } } });
    for (let i = 0; i < 5; i++) await adapter.getContact('1');
    const e = await failure(adapter.getContact('1'));
    expect(e).toMatchObject({ kind: 'retryable', status: 429, code: 'TEN_SECONDLY_ROLLING', retryAfterMs: 10_000 });
    clock.advance(10_000);
    expect(await adapter.getContact('1')).toBeNull();
  });

  it("meets the sandbox's real search limit per second", async () => {
    const { adapter, clock } = await harness({ sandbox: { limits: { searchPerSecond: 2 } } });
    await adapter.findContactsByPhone('+13036231131');
    await adapter.findContactsByPhone('+13036231131');
    expect(await failure(adapter.findContactsByPhone('+13036231131'))).toMatchObject({ code: 'SECONDLY' });
    clock.advance(1_000);
    expect(await adapter.findContactsByPhone('+13036231131')).toEqual([]);
  });

  it('waits for the next UTC midnight after a DAILY limit', async () => {
    const { adapter, clock } = await harness({ sandbox: { limits: { daily: 2 } } });
    await adapter.getContact('1');
    await adapter.getContact('1');
    const e = await failure(adapter.getContact('1'));
    expect(e).toMatchObject({
      kind: 'daily_limit',
      status: 429,
      code: 'DAILY',
      retryAfterMs: UNTIL_UTC_MIDNIGHT,
      crmMessage: 'You have reached your daily limit.',
    });
    clock.advance(UNTIL_UTC_MIDNIGHT);
    expect(await adapter.getContact('1')).toBeNull();
  });

  it("waits for midnight in the account's time zone when it is known", async () => {
    const { adapter, sandbox, clock } = await harness({
      sandbox: { limits: { daily: 3 }, timeZone: 'America/New_York' },
    });
    await adapter.testConnection(); // learns the zone (2 requests)
    await adapter.getContact('1');
    const e = await failure(adapter.getContact('1'));
    // 15:30 UTC is 10:30 in New York (EST, UTC-5): 13 h 30 min to go.
    expect(e).toMatchObject({ kind: 'daily_limit', retryAfterMs: 13.5 * 3_600_000 });
    clock.advance(UNTIL_UTC_MIDNIGHT);
    expect((await failure(adapter.getContact('1'))).kind).toBe('daily_limit');
    clock.advance(5 * 3_600_000);
    expect(await adapter.getContact('1')).toBeNull();
    expect(sandbox.requests.at(-1)?.status).toBe(404);
  });

  it('classifies an injected DAILY storm the same way', async () => {
    const { adapter, sandbox } = await harness({ adapter: { dailyLimitTimeZone: 'UTC', portalId: 1 } });
    sandbox.rateLimitStorm({ policyName: 'DAILY', times: 1 });
    expect(await failure(adapter.createContact(newContact('+13036231131')))).toMatchObject({
      kind: 'daily_limit',
      retryAfterMs: UNTIL_UTC_MIDNIGHT,
    });
  });
});

describe('permanent failures keep HubSpot’s message', () => {
  it('400: a value HubSpot rejects', async () => {
    const { adapter } = await harness();
    const e = await failure(adapter.createContact(newContact('+13036231131', { email: 'not-an-email' })));
    expect(e).toMatchObject({ kind: 'permanent', status: 400, code: 'VALIDATION_ERROR', retryAfterMs: null });
    expect(e.crmMessage).toMatch(/^Property values were not valid: /);
    expect(e.crmMessage).toContain('Email address not-an-email is invalid');
  });

  it('400: a mapped property the portal does not have (set-up not run)', async () => {
    const { adapter } = await harness();
    const contact = await adapter.createContact(newContact('+13036231131'));
    const e = await failure(adapter.logCall(newCallLog('c1', contact)));
    expect(e).toMatchObject({ kind: 'permanent', status: 400 });
    expect(e.crmMessage).toContain('Property \\"callsight_call_id\\" does not exist');
  });

  it('400: an owner the portal does not know', async () => {
    const { adapter } = await harness();
    const e = await failure(adapter.createContact(newContact('+13036231131', { ownerId: '123' })));
    expect(e).toMatchObject({ kind: 'permanent', status: 400 });
    expect(e.crmMessage).toContain('123 was not one of the allowed options');
  });

  it('401: a wrong token', async () => {
    const { adapter } = await harness({ adapter: { token: 'pat-na1-revoked', portalId: 1 } });
    const e = await failure(adapter.createContact(newContact('+13036231131')));
    expect(e).toMatchObject({ kind: 'permanent', status: 401, code: 'INVALID_AUTHENTICATION' });
    expect(e.crmMessage).toMatch(/^Authentication credentials not found/);
  });

  it('403: a token without the deals scope', async () => {
    const { adapter } = await harness({
      sandbox: {
        tokens: [
          { token: 'pat-na1-contacts-only', scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'] },
        ],
      },
      adapter: { token: 'pat-na1-contacts-only' },
    });
    const contact = await adapter.createContact(newContact('+13036231131'));
    const e = await failure(adapter.createDeal({ name: 'd', contact, ownerId: null, priority: 'low', properties: {} }));
    expect(e).toMatchObject({ kind: 'permanent', status: 403, code: 'MISSING_SCOPES' });
  });
});

describe('HubSpot unreachable', () => {
  it('503 during an outage is retryable, and the outage ends on time', async () => {
    const { adapter, sandbox, clock } = await harness({ adapter: { portalId: 1 } });
    sandbox.outage({ forMs: 60_000 });
    expect(await failure(adapter.createContact(newContact('+13036231131')))).toMatchObject({
      kind: 'retryable',
      status: 503,
    });
    clock.advance(60_000);
    expect((await adapter.createContact(newContact('+13036231131'))).id).toMatch(/^\d+$/);
  });

  it('a hung request times out as retryable', async () => {
    const { adapter, sandbox } = await harness({ adapter: { timeoutMs: 50, portalId: 1 } });
    sandbox.outage({ mode: 'timeout', times: 1 });
    const started = Date.now();
    expect(await failure(adapter.createContact(newContact('+13036231131')))).toMatchObject({
      kind: 'retryable',
      status: null,
      code: 'TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('slow answers within the timeout still succeed', async () => {
    const { adapter, sandbox } = await harness({ adapter: { timeoutMs: 1_000 } });
    sandbox.faults.add({ latencyMs: 30, times: 1 });
    expect(await adapter.getContact('1')).toBeNull();
  });

  it('a network failure is retryable', async () => {
    const { adapter } = await harness({
      wrapFetch: () => () => Promise.reject(new TypeError('fetch failed')),
      adapter: { portalId: 1 },
    });
    expect(await failure(adapter.createContact(newContact('+13036231131')))).toMatchObject({
      kind: 'retryable',
      status: null,
      code: 'NETWORK',
    });
  });
});
