import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { CrmError } from '../../src/crm/port';
import { CircuitBreakers } from '../../src/sync/circuit-breaker';
import { RateLimits, TokenBucket } from '../../src/sync/token-bucket';

describe('TokenBucket', () => {
  it('lets a burst through, then asks to wait in proportion to the debt, and refills with time', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 4, perMs: 1_000 }, clock);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0, 0]);
    expect(bucket.take()).toBe(250);
    expect(bucket.take()).toBe(500);
    clock.advance(1_000);
    expect(bucket.take()).toBe(0);
  });
});

describe('RateLimits', () => {
  const ok = async () => new Response('{}');

  it('keeps HubSpot search at 4 a second, apart from the 190 per 10 s of other requests', async () => {
    const clock = new ManualClock();
    const waits: number[] = [];
    const limits = new RateLimits({ clock, sleep: async (ms) => void waits.push(ms) });
    const fetch = limits.wrap('t1', 'hubspot', ok);
    for (let i = 0; i < 5; i++)
      await fetch('https://api.hubapi.com/crm/v3/objects/contacts/search', { method: 'POST' });
    expect(waits).toEqual([250]);
    for (let i = 0; i < 100; i++) await fetch('https://api.hubapi.com/crm/v3/objects/contacts/1');
    expect(waits).toEqual([250]);
  });

  it('reschedules instead of holding a worker when the wait would be long', async () => {
    const clock = new ManualClock();
    const limits = new RateLimits({ clock, sleep: async () => {}, maxWaitMs: 1_000 });
    const fetch = limits.wrap('t1', 'pipedrive', ok);
    const results: unknown[] = [];
    for (let i = 0; i < 40; i++) results.push(await fetch('https://x.pipedrive.com/api/v2/persons/1').catch((e) => e));
    const refused = results.filter((r) => r instanceof CrmError) as CrmError[];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ kind: 'retryable', code: 'LOCAL_RATE_LIMIT' });
    expect(refused[0]!.retryAfterMs).toBeGreaterThan(1_000);
  });

  it('gives each tenant its own buckets', async () => {
    const clock = new ManualClock();
    const waits: number[] = [];
    const limits = new RateLimits({ clock, sleep: async (ms) => void waits.push(ms) });
    const url = 'https://api.hubapi.com/crm/v3/objects/contacts/search';
    for (let i = 0; i < 4; i++) await limits.wrap('t1', 'hubspot', ok)(url, { method: 'POST' });
    for (let i = 0; i < 4; i++) await limits.wrap('t2', 'hubspot', ok)(url, { method: 'POST' });
    expect(waits).toEqual([]);
  });
});

describe('CircuitBreakers', () => {
  it('opens after N failures, lets one probe through after the cool-down, and closes on success', () => {
    const clock = new ManualClock();
    const breakers = new CircuitBreakers(clock, { threshold: 3, coolDownMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(breakers.admit('t:hubspot').allowed).toBe(true);
      breakers.failed('t:hubspot');
    }
    expect(breakers.admit('t:hubspot')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    expect(breakers.admit('t:pipedrive').allowed).toBe(true);

    clock.advance(60_000);
    expect(breakers.state('t:hubspot')).toBe('half_open');
    expect(breakers.admit('t:hubspot').allowed).toBe(true);
    expect(breakers.admit('t:hubspot').allowed).toBe(false);
    breakers.failed('t:hubspot');
    expect(breakers.state('t:hubspot')).toBe('open');

    clock.advance(60_000);
    expect(breakers.admit('t:hubspot').allowed).toBe(true);
    breakers.succeeded('t:hubspot');
    expect(breakers.state('t:hubspot')).toBe('closed');
  });
});
