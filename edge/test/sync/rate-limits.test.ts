import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/clock';
import { createHubspotAdapter } from '../../src/crm/hubspot';
import { createHubspotSandbox } from '../../src/sandbox/hubspot';
import { CrmError } from '../../src/crm/port';
import { CircuitBreakers } from '../../src/sync/circuit-breaker';
import { RateLimits, RequestWindow } from '../../src/sync/rate-limits';

/** The most requests any window of `windowMs` saw. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j]! < times[i]! + windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe('RequestWindow', () => {
  it('never lets more than the limit through in any window, and sends ~97 % of it', () => {
    const clock = new ManualClock();
    const limit = new RequestWindow({ capacity: 190, perMs: 10_000 }, clock);
    const sent: number[] = [];
    while (sent.length === 0 || clock.now() - sent[0]! < 100_000) {
      clock.advance(limit.take());
      sent.push(clock.now());
    }
    expect(busiestWindow(sent, 10_000)).toBeLessThanOrEqual(190);
    // Ten windows' worth at the limit would be 1,900 (+ the first burst).
    expect(sent.length).toBeGreaterThanOrEqual(1_850);
  });

  it('lets a burst up to the limit go at once, then waits for the oldest to leave the window', () => {
    const clock = new ManualClock();
    const limit = new RequestWindow({ capacity: 4, perMs: 1_000 }, clock);
    expect([limit.take(), limit.take(), limit.take(), limit.take()]).toEqual([0, 0, 0, 0]);
    // 1 s plus a small margin.
    const fifth = limit.book();
    expect(fifth.wait).toBe(1_035);
    limit.refund(fifth.at);
    clock.advance(1_035);
    expect(limit.take()).toBe(0);
  });

  it('keeps a request in the window until its answer came back, however late the CRM counted it', () => {
    const clock = new ManualClock();
    const limit = new RequestWindow({ capacity: 1, perMs: 1_000 }, clock);
    const first = limit.book();
    // The answer takes 400 ms: the CRM may have counted the request as late as that.
    limit.answered(first.at, clock.now() + 400);
    expect(limit.take()).toBe(1_435);
  });
});

describe('RequestWindow, evenly spaced', () => {
  it('spreads a short window evenly, so a late burst cannot meet the next one', () => {
    const clock = new ManualClock();
    const limit = new RequestWindow({ capacity: 4, perMs: 1_000, even: true }, clock);
    const waits = Array.from({ length: 6 }, () => limit.take());
    expect(waits).toEqual([0, 250, 500, 750, 1_035, 1_285]);
  });
});

describe('RateLimits', () => {
  const ok = async () => new Response('{}');

  it('keeps HubSpot search at 4 a second, apart from the 190 per 10 s of other requests', async () => {
    const clock = new ManualClock();
    const limits = new RateLimits({ clock, sleep: async (ms) => void clock.advance(ms), maxWaitMs: 60_000 });
    const fetch = limits.wrap('t1', 'hubspot', ok);
    const searches: number[] = [];
    for (let i = 0; i < 20; i++) {
      await fetch('https://api.hubapi.com/crm/v3/objects/contacts/search', { method: 'POST' });
      searches.push(clock.now());
    }
    expect(busiestWindow(searches, 1_000)).toBeLessThanOrEqual(4);
    // Other requests have their own budget: the search debt does not hold them back.
    const before = clock.now();
    await fetch('https://api.hubapi.com/crm/v3/objects/contacts/1');
    expect(clock.now()).toBe(before);
    const reads: number[] = [];
    for (let i = 0; i < 400; i++) {
      await fetch('https://api.hubapi.com/crm/v3/objects/contacts/1');
      reads.push(clock.now());
    }
    expect(busiestWindow(reads, 10_000)).toBeLessThanOrEqual(190);
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

  it('gives each tenant its own windows', async () => {
    const clock = new ManualClock();
    const waits: number[] = [];
    const limits = new RateLimits({ clock, sleep: async (ms) => void waits.push(ms) });
    const url = 'https://api.hubapi.com/crm/v3/objects/contacts/search';
    await limits.wrap('t1', 'hubspot', ok)(url, { method: 'POST' });
    await limits.wrap('t2', 'hubspot', ok)(url, { method: 'POST' });
    expect(waits).toEqual([]);
    await limits.wrap('t1', 'hubspot', ok)(url, { method: 'POST' });
    expect(waits).toHaveLength(1);
  });
});

describe('a 429 anyway', () => {
  it('holds every request of the tenant and CRM back for the time HubSpot named', async () => {
    const clock = new ManualClock();
    const waits: number[] = [];
    const limits = new RateLimits({ clock, sleep: async (ms) => void waits.push(ms) });
    let answer = 429;
    const inner = async () => new Response('{}', { status: answer, headers: { 'retry-after': '3' } });
    const fetch = limits.wrap('t1', 'hubspot', inner);
    expect((await fetch('https://api.hubapi.com/crm/v3/objects/calls', { method: 'POST' })).status).toBe(429);
    answer = 200;
    await fetch('https://api.hubapi.com/crm/v3/objects/contacts/1');
    expect(waits).toEqual([3_000]);
    // Other tenants share nothing with it.
    await limits.wrap('t2', 'hubspot', inner)('https://api.hubapi.com/crm/v3/objects/contacts/1');
    expect(waits).toEqual([3_000]);
  });
});

describe('waiting for room', () => {
  it('does not count against the request timeout: five searches at once, 300 ms timeout, none times out', async () => {
    const sandbox = await createHubspotSandbox();
    try {
      const limits = new RateLimits({ clock: systemClock });
      const adapter = createHubspotAdapter({
        baseUrl: 'http://hubspot.test',
        token: sandbox.token,
        portalId: sandbox.portalId,
        timeoutMs: 300,
        fetch: limits.wrap('t1', 'hubspot', sandbox.fetch),
      });
      const phones = ['+13035550101', '+13035550102', '+13035550103', '+13035550104', '+13035550105'];
      const started = Date.now();
      // Four a second, evenly: the fifth waits about a second for room, longer than the timeout.
      expect(await Promise.all(phones.map((p) => adapter.findContactsByPhone(p)))).toEqual(phones.map(() => []));
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      sandbox.close();
    }
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
