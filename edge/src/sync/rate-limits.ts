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
 * The CRMs count requests in rolling windows ("190 in any 10 s"), so this keeps the send times of
 * the last window and books each request at the first moment the window has room: any burst the
 * CRM allows goes out at once, and the steady rate is the limit itself, not a fraction of it. The
 * window is stretched a little because the CRM counts arrivals, which network jitter moves.
 */
export class RequestWindow {
  /** Send times booked, ascending; some may lie ahead (requests waiting for room). */
  private sent: number[] = [];
  private blockedUntil = 0;
  private readonly windowMs: number;

  constructor(
    private readonly rate: WindowRate,
    private readonly clock: Clock,
  ) {
    this.windowMs = rate.perMs + Math.ceil(rate.perMs * 0.025) + 25;
  }

  /** Books the next request; returns how long to wait before sending it (0 = now). */
  take(): number {
    const now = this.clock.now();
    while (this.sent.length > 0 && (this.sent[0] as number) <= now - this.windowMs) this.sent.shift();
    const n = this.sent.length;
    const last = n > 0 ? (this.sent[n - 1] as number) : now;
    // The request `capacity` places back must have left the window before this one goes.
    const blocker = n >= this.rate.capacity ? (this.sent[n - this.rate.capacity] as number) + this.windowMs : now;
    const spaced = this.rate.even && n > 0 ? last + this.rate.perMs / this.rate.capacity : now;
    const at = Math.max(now, last, blocker, spaced, this.blockedUntil);
    this.sent.push(at);
    return at - now;
  }

  /**
   * The CRM said 429 anyway (other apps share the limit, or our window started late): nothing
   * more goes out before `until`, and what was booked earlier moves behind it.
   */
  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  /** Gives back the booking of a request that will not be sent (the latest one). */
  refund(): void {
    this.sent.pop();
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
    // Requests already waited for in `beforeSend`, by kind: their fetch goes straight through.
    const admitted = { search: 0, standard: 0 };
    const waitFor = async (kind: 'search' | 'standard') => {
      const booked = this.window(`${tenantId}:${crm}:${kind}`, kind === 'search' ? rates.search : rates.standard);
      const wait = booked.take();
      if (wait > this.maxWaitMs) {
        // Too long to hold a worker: hand the wait to the job queue like a CRM's own 429.
        booked.refund();
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
    };
    const paced: PacedFetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const kind = kindOf(method, url);
      if (admitted[kind] > 0) admitted[kind]--;
      else await waitFor(kind);
      const res = await inner(input, init);
      if (res.status === 429) {
        const rate = kind === 'search' ? rates.search : rates.standard;
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.options.clock.now());
        this.window(`${tenantId}:${crm}:${kind}`, rate).block(this.options.clock.now() + (retryAfter ?? rate.perMs));
      }
      return res;
    };
    paced.beforeSend = async (method, url) => {
      const kind = kindOf(method, url);
      await waitFor(kind);
      admitted[kind]++;
    };
    return paced;
  }
}
