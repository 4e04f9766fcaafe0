import { describe, expect, it } from 'vitest';
import { ASSOCIATION, classifyHubspotResponse, nextMidnight, phoneForms } from '../../../src/crm/hubspot';
import { parseRetryAfter } from '../../../src/crm/hubspot/errors';

const now = Date.UTC(2026, 10, 22, 15, 30);
const headers = (h: Record<string, string> = {}) => new Headers(h);
const classify = (status: number, body: unknown, h: Record<string, string> = {}, tz = 'UTC') =>
  classifyHubspotResponse(status, body, JSON.stringify(body), headers(h), now, tz);

describe('phoneForms', () => {
  it.each([
    ['+13036231131', '1', '3036231131'],
    ['+447911123456', '44', '7911123456'],
    ['+380501234567', '380', '501234567'],
    ['+390612345678', '39', '0612345678'],
    ['+4930123456', '49', '30123456'],
    ['+61412345678', '61', '412345678'],
  ])('%s: country code %s, national number %s', (e164, callingCode, national) => {
    expect(phoneForms(e164)).toEqual({ e164, digits: e164.slice(1), national, callingCode });
  });

  it('keeps only digits for a number it cannot split', () => {
    expect(phoneForms('+12')).toEqual({ e164: '+12', digits: '12', national: null, callingCode: null });
  });
});

describe('nextMidnight', () => {
  it('is the next midnight UTC by default', () => {
    expect(new Date(nextMidnight(now)).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(nextMidnight(Date.UTC(2026, 10, 22))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it("is the next midnight of the account's zone, across a DST change", () => {
    expect(new Date(nextMidnight(now, 'America/New_York')).toISOString()).toBe('2026-11-23T05:00:00.000Z');
    expect(new Date(nextMidnight(now, 'Europe/Kyiv')).toISOString()).toBe('2026-11-22T22:00:00.000Z');
    // 2026-03-08 is the spring-forward day in New York: midnight after it is at UTC-4.
    expect(new Date(nextMidnight(Date.UTC(2026, 2, 8, 12), 'America/New_York')).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });
});

describe('classifyHubspotResponse', () => {
  const limit = (policyName: string) => ({
    status: 'error',
    message: 'limited',
    errorType: 'RATE_LIMIT',
    correlationId: 'c',
    policyName,
  });

  it('reads the policy of a 429', () => {
    expect(classify(429, limit('TEN_SECONDLY_ROLLING'))).toMatchObject({ kind: 'retryable', retryAfterMs: 10_000 });
    expect(classify(429, limit('SECONDLY'))).toMatchObject({ kind: 'retryable', retryAfterMs: 1_000 });
    expect(classify(429, limit('DAILY'))).toMatchObject({ kind: 'daily_limit', retryAfterMs: 8.5 * 3_600_000 });
  });

  it('prefers Retry-After (seconds or a date), but never before midnight for DAILY', () => {
    expect(classify(429, limit('TEN_SECONDLY_ROLLING'), { 'retry-after': '7' }).retryAfterMs).toBe(7_000);
    const at = new Date(now + 42_000).toUTCString();
    expect(classify(429, limit('SECONDLY'), { 'retry-after': at }).retryAfterMs).toBe(42_000);
    expect(classify(429, limit('DAILY'), { 'retry-after': '60' }).retryAfterMs).toBe(8.5 * 3_600_000);
  });

  it('falls back to the window header for a 429 without a known policy', () => {
    expect(classify(429, { message: 'x' }, { 'x-hubspot-ratelimit-interval-milliseconds': '5000' })).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 5_000,
      code: 'RATE_LIMIT',
    });
  });

  it('retries 5xx, 408 and 423, and nothing else', () => {
    expect(classify(502, { message: 'bad gateway', category: 'X', correlationId: 'c' })).toMatchObject({
      kind: 'retryable',
      retryAfterMs: null,
    });
    expect(classify(503, null, { 'retry-after': '30' }).retryAfterMs).toBe(30_000);
    expect(classify(408, null).kind).toBe('retryable');
    expect(classify(423, null)).toMatchObject({ kind: 'retryable', retryAfterMs: 2_000 });
    for (const status of [400, 401, 403, 404, 409, 415]) {
      expect(classify(status, { message: `m${status}`, category: 'C', correlationId: 'c' })).toMatchObject({
        kind: 'permanent',
        crmMessage: `m${status}`,
        code: 'C',
      });
    }
  });

  it('keeps a non-JSON body as the message', () => {
    const e = classifyHubspotResponse(502, null, '<html>Bad Gateway</html>', headers(), now, 'UTC');
    expect(e.crmMessage).toBe('<html>Bad Gateway</html>');
    expect(classifyHubspotResponse(500, null, '', headers(), now, 'UTC').crmMessage).toBe('HTTP 500');
  });

  it('parses Retry-After defensively', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });
});

describe('association type ids', () => {
  it('are the defaults the reference lists (crm-apis.md §1.8)', () => {
    expect(ASSOCIATION).toEqual({
      dealToContact: 3,
      callToContact: 194,
      callToDeal: 206,
      taskToContact: 204,
      taskToDeal: 216,
    });
  });
});
