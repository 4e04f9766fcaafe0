// Keeps our own request rate under each CRM's published limit, per tenant and CRM, so that a 429
// is an exception rather than how we find out we are too fast. In memory: each runner process has
// its own windows, and the CRM's 429 (retryable) still covers what several processes add up to.
import type { Clock } from '../clock';
import type { CrmKind } from '../crm/port';
import { CrmError } from '../crm/port';
import type { FetchLike } from '../crm/connection';
import type { PacedFetch } from '../crm/paced-fetch';
import { parseRetryAfter } from '../jobs/backoff';

/** The code of the error that hands a long wait for room to the job queue. */
export const LOCAL_RATE_LIMIT = 'LOCAL_RATE_LIMIT';

export interface WindowRate {
  /** Requests allowed in any `perMs`. */
  capacity: number;
  perMs: number;
  /**
   * Spread the requests evenly instead of letting a window's worth go at once: for short windows
   * (search: a few a second), where a burst delayed by a busy network or event loop would meet
   * the next burst inside the CRM's window.
   */
  even?: boolean;
}

export interface CrmRates {
  standard: WindowRate;
  /** Search endpoints have their own, lower limit. */
  search: WindowRate;
  isSearch: (method: string, path: string) => boolean;
}

/** DESIGN.md §6 and shared/reference/crm-apis.md, a little under each published figure. */
export const crmRates: Record<CrmKind, CrmRates> = {
  hubspot: {
    standard: { capacity: 190, perMs: 10_000 },
    search: { capacity: 4, perMs: 1_000, even: true },
    isSearch: (method, path) => method === 'POST' && /\/crm\/v3\/objects\/[^/]+\/search$/.test(path),
  },
  // Salesforce's limit is a daily allocation per org: a modest steady rate spends it slowly.
  salesforce: {
    standard: { capacity: 25, perMs: 1_000 },
    search: { capacity: 10, perMs: 1_000 },
    isSearch: (_method, path) => /\/(search|parameterizedSearch)\/?$/.test(path),
  },
  // Essential plan with an api_token: 20 per rolling 2 s; search 10 per 2 s on every plan.
  pipedrive: {
    standard: { capacity: 18, perMs: 2_000 },
    search: { capacity: 9, perMs: 2_000 },
    isSearch: (_method, path) => /\/(itemSearch|search)$/.test(path),
  },
};

/**
 * The CRMs count requests in rolling windows ("190 in any 10 s"), so this keeps the times of the
 * last window's requests and books each one at the first moment the window has room: any burst the
 * CRM allows goes out at once, and the steady rate is the limit itself, not a fraction of it. The
 * CRM counts a request when it arrives, somewhere between our send and its answer, and network or
 * event-loop delays move that point: so a request stays in the window from its send until its
 * answer came back, which holds whatever the delays.
 */
export class RequestWindow {
  /** Booked send times, replaced by answer times once answered; ascending; some may lie ahead. */
  private sent: number[] = [];
  private blockedUntil = 0;
  private readonly windowMs: number;

  constructor(
    private readonly rate: WindowRate,
    private readonly clock: Clock,
  ) {
    this.windowMs = rate.perMs + Math.ceil(rate.perMs * 0.01) + 25;
  }

  /** Books the next request: when it may go (`at`) and how long that is from now. */
  book(): { at: number; wait: number } {
    const now = this.clock.now();
    while (this.sent.length > 0 && (this.sent[0] as number) <= now - this.windowMs) this.sent.shift();
    const n = this.sent.length;
    const last = n > 0 ? (this.sent[n - 1] as number) : now;
    // The request `capacity` places back must have left the window before this one goes.
    const blocker = n >= this.rate.capacity ? (this.sent[n - this.rate.capacity] as number) + this.windowMs : now;
    const spaced = this.rate.even && n > 0 ? last + this.rate.perMs / this.rate.capacity : now;
    const at = Math.max(now, last, blocker, spaced, this.blockedUntil);
    this.sent.push(at);
    return { at, wait: at - now };
  }

  /** Books the next request; returns how long to wait before sending it (0 = now). */
  take(): number {
    return this.book().wait;
  }

  /** The request booked at `at` was answered at `when`: it counts as sent until then. */
  answered(at: number, when: number): void {
    if (when <= at || !this.remove(at)) return;
    let i = this.sent.length;
    while (i > 0 && (this.sent[i - 1] as number) > when) i--;
    this.sent.splice(i, 0, when);
  }

  /**
   * The CRM said 429 anyway (other apps share the limit, or our window started late): nothing
   * more goes out before `until`, and what was booked earlier moves behind it.
   */
  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  /** Gives back the booking of a request that will not be sent. */
  refund(at: number): void {
    this.remove(at);
  }

  private remove(at: number): boolean {
    const i = this.sent.lastIndexOf(at);
    if (i < 0) return false;
    this.sent.splice(i, 1);
    return true;
  }
}

export interface ThrottleOptions {
  clock: Clock;
  /** Waits at most this long in-process; a longer wait reschedules the job instead. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every tenant's windows for every CRM, shared by the sync jobs of one process. */
export class RateLimits {
  private readonly windows = new Map<string, RequestWindow>();
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ThrottleOptions) {
    // A full rolling window: after a burst, the wait for room can be that long.
    this.maxWaitMs = options.maxWaitMs ?? 12_000;
    this.sleep = options.sleep ?? realSleep;
  }

  private window(key: string, rate: WindowRate): RequestWindow {
    let b = this.windows.get(key);
    if (!b) {
      b = new RequestWindow(rate, this.options.clock);
      this.windows.set(key, b);
    }
    return b;
  }

  /**
   * `inner` behind this tenant's windows for the CRM. Clients that call `waitForRoom` wait there,
   * before their timeout starts; a request that arrives without it waits here.
   */
  wrap(tenantId: string, crm: CrmKind, inner: FetchLike): PacedFetch {
    const rates = crmRates[crm];
    const kindOf = (method: string, url: string) =>
      rates.isSearch(method, new URL(url).pathname) ? 'search' : 'standard';
    const windowOf = (kind: 'search' | 'standard') =>
      this.window(`${tenantId}:${crm}:${kind}`, kind === 'search' ? rates.search : rates.standard);
    // Bookings of requests already waited for in `beforeSend`, by kind: their fetch goes straight through.
    const admitted: Record<'search' | 'standard', number[]> = { search: [], standard: [] };
    const waitFor = async (kind: 'search' | 'standard'): Promise<number> => {
      const booked = windowOf(kind);
      const { at, wait } = booked.book();
      if (wait > this.maxWaitMs) {
        // Too long to hold a worker: hand the wait to the job queue like a CRM's own 429.
        booked.refund(at);
        throw new CrmError(
          crm,
          'retryable',
          'Callsight paused requests to stay under the rate limit',
          null,
          wait,
          LOCAL_RATE_LIMIT,
        );
      }
      if (wait > 0) await this.sleep(wait);
      return at;
    };
    const paced: PacedFetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const kind = kindOf(method, url);
      const at = admitted[kind].shift() ?? (await waitFor(kind));
      const clock = this.options.clock;
      try {
        const res = await inner(input, init);
        if (res.status === 429) {
          const rate = kind === 'search' ? rates.search : rates.standard;
          const retryAfter = parseRetryAfter(res.headers.get('retry-after'), clock.now());
          windowOf(kind).block(clock.now() + (retryAfter ?? rate.perMs));
        }
        return res;
      } finally {
        windowOf(kind).answered(at, clock.now());
      }
    };
    paced.beforeSend = async (method, url) => {
      const kind = kindOf(method, url);
      admitted[kind].push(await waitFor(kind));
    };
    return paced;
  }
}
