// HubSpot's throttles for a private app (reference crm-apis.md §1.11): a rolling 10-second burst
// limit per token (190 on Professional/Enterprise), a per-second limit on the CRM search API
// (4-5/s), and a daily limit per account that resets at midnight in the account's time zone.
// Counters are in memory: they are about the last seconds, not state worth keeping.
import type { Clock } from '../../clock';
import { dayOf } from '../../crm/hubspot/daily-reset';
import type { RateLimitPolicy } from './errors';

export interface RateLimitSettings {
  /** Requests per rolling 10 s per token. */
  burstPer10s: number;
  /** Search requests per second per token. */
  searchPerSecond: number;
  /** Requests per day per account. */
  daily: number;
  /** The account's time zone: when the daily counter resets. */
  timeZone: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  burstPer10s: 190,
  searchPerSecond: 5,
  daily: 650_000,
  timeZone: 'UTC',
};

export type RateLimitVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; policy: RateLimitPolicy; headers: Record<string, string> };

const BURST_WINDOW_MS = 10_000;
const SEARCH_WINDOW_MS = 1_000;

export class RateLimiter {
  private readonly burst = new Map<string, number[]>();
  private readonly search = new Map<string, number[]>();
  private daily = { day: '', count: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly settings: RateLimitSettings,
  ) {}

  /** Admits one request or names the policy it breaks. Refused requests are not counted. */
  admit(token: string, kind: 'standard' | 'search'): RateLimitVerdict {
    const now = this.clock.now();
    const s = this.settings;
    const day = dayOf(now, s.timeZone);
    if (this.daily.day !== day) this.daily = { day, count: 0 };

    const windowMs = kind === 'search' ? SEARCH_WINDOW_MS : BURST_WINDOW_MS;
    const max = kind === 'search' ? s.searchPerSecond : s.burstPer10s;
    const windows = kind === 'search' ? this.search : this.burst;
    const recent = (windows.get(token) ?? []).filter((t) => t > now - windowMs);
    windows.set(token, recent);

    const headers = (remaining: number, dailyRemaining: number): Record<string, string> =>
      // Search answers carry no rate-limit headers (reference §1.11, [S]).
      kind === 'search'
        ? {}
        : {
            'X-HubSpot-RateLimit-Max': String(max),
            'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
            'X-HubSpot-RateLimit-Interval-Milliseconds': String(windowMs),
            'X-HubSpot-RateLimit-Daily': String(s.daily),
            'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, dailyRemaining)),
          };

    if (this.daily.count >= s.daily) return { allowed: false, policy: 'DAILY', headers: headers(0, 0) };
    if (recent.length >= max) {
      const policy = kind === 'search' ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING';
      return { allowed: false, policy, headers: headers(0, s.daily - this.daily.count) };
    }
    recent.push(now);
    this.daily.count++;
    return { allowed: true, headers: headers(max - recent.length, s.daily - this.daily.count) };
  }
}
