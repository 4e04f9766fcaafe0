// Keeps our own request rate under each CRM's published limit, per tenant and CRM, so that a 429
// is an exception rather than how we find out we are too fast. In memory: each runner process has
// its own buckets, and the CRM's 429 (retryable) still covers what several processes add up to.
import type { Clock } from '../clock';
import type { CrmKind } from '../crm/port';
import { CrmError } from '../crm/port';
import type { FetchLike } from '../crm/connection';

export interface BucketRate {
  /** Requests allowed per `perMs`; also the burst size. */
  capacity: number;
  perMs: number;
}

export interface CrmRates {
  standard: BucketRate;
  /** Search endpoints have their own, lower limit. */
  search: BucketRate;
  isSearch: (method: string, path: string) => boolean;
}

/** DESIGN.md §6 and shared/reference/crm-apis.md, a little under each published figure. */
export const crmRates: Record<CrmKind, CrmRates> = {
  hubspot: {
    standard: { capacity: 190, perMs: 10_000 },
    search: { capacity: 4, perMs: 1_000 },
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
 * A refilling bucket; `take` answers how long to wait for the token (0 = go now). The CRMs count
 * requests in fixed or rolling windows, and a bucket holding a full window's worth while also
 * refilling at the window rate lets up to twice the limit through in one window. So the burst is
 * a tenth of the limit and the refill the other nine tenths: no window of `perMs` ever sees more
 * than `capacity` requests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  /** Tokens per millisecond. */
  private readonly refillRate: number;

  constructor(
    rate: BucketRate,
    private readonly clock: Clock,
  ) {
    this.burst = Math.max(1, Math.floor(rate.capacity / 10));
    this.refillRate = Math.max(rate.capacity - this.burst, 1) / rate.perMs;
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Takes a token, going into debt when empty; returns the wait the debt implies. */
  take(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.refillRate);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.refillRate);
  }

  /** Gives back a token taken for a request that was never sent. */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}

export interface ThrottleOptions {
  clock: Clock;
  /** Waits at most this long in-process; a longer wait reschedules the job instead. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every tenant's buckets for every CRM, shared by the sync jobs of one process. */
export class RateLimits {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ThrottleOptions) {
    this.maxWaitMs = options.maxWaitMs ?? 2_000;
    this.sleep = options.sleep ?? realSleep;
  }

  private bucket(key: string, rate: BucketRate): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(rate, this.options.clock);
      this.buckets.set(key, b);
    }
    return b;
  }

  /** `inner` behind this tenant's buckets for the CRM. */
  wrap(tenantId: string, crm: CrmKind, inner: FetchLike): FetchLike {
    const rates = crmRates[crm];
    return async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const search = rates.isSearch(method, url.pathname);
      const bucket = this.bucket(
        `${tenantId}:${crm}:${search ? 'search' : 'standard'}`,
        search ? rates.search : rates.standard,
      );
      const wait = bucket.take();
      if (wait > this.maxWaitMs) {
        // Too long to hold a worker: hand the wait to the job queue like a CRM's own 429.
        bucket.refund();
        throw new CrmError(
          crm,
          'retryable',
          'Callsight paused requests to stay under the rate limit',
          null,
          wait,
          'LOCAL_RATE_LIMIT',
        );
      }
      if (wait > 0) await this.sleep(wait);
      return inner(input, init);
    };
  }
}
