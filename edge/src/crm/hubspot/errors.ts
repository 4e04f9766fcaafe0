// How a HubSpot failure becomes a CrmError (reference crm-apis.md §1.11, §1.12):
// - 429 names its throttle in `policyName`: TEN_SECONDLY_ROLLING and SECONDLY are retryable after
//   Retry-After or the window; DAILY waits for the next midnight in the account's time zone;
// - 5xx, 408, 423, network failures and timeouts are retryable;
// - every other 4xx (400 validation, 401, 403 scopes, 404, 409) is permanent, with HubSpot's own
//   message kept for the people who read it.
import { CrmError } from '../port';
import { nextMidnight } from './daily-reset';

const WINDOW_MS: Record<string, number> = {
  TEN_SECONDLY_ROLLING: 10_000,
  SECONDLY: 1_000,
};
const DEFAULT_THROTTLE_MS = 10_000;
/** HubSpot answers 423 Locked while a record is being written; practitioners wait ~2 s (§1.11). */
const LOCKED_RETRY_MS = 2_000;

export interface HubspotErrorFields {
  message?: unknown;
  category?: unknown;
  policyName?: unknown;
  errorType?: unknown;
  correlationId?: unknown;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

export function classifyHubspotResponse(
  status: number,
  body: unknown,
  text: string,
  headers: Headers,
  now: number,
  dailyLimitTimeZone: string,
): CrmError {
  const fields: HubspotErrorFields = body && typeof body === 'object' ? (body as HubspotErrorFields) : {};
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  const message = str(fields.message) ?? (text.trim().slice(0, 500) || `HTTP ${status}`);
  const category = str(fields.category);
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);

  if (status === 429) {
    const policy = str(fields.policyName);
    if (policy === 'DAILY') {
      // Never again the same day, whatever Retry-After says.
      const untilMidnight = nextMidnight(now, dailyLimitTimeZone) - now;
      return new CrmError('hubspot', 'daily_limit', message, status, Math.max(untilMidnight, retryAfter ?? 0), policy);
    }
    const interval = Number(headers.get('x-hubspot-ratelimit-interval-milliseconds'));
    const windowMs =
      (policy ? WINDOW_MS[policy] : undefined) ?? (Number.isFinite(interval) && interval > 0 ? interval : null);
    return new CrmError(
      'hubspot',
      'retryable',
      message,
      status,
      retryAfter ?? windowMs ?? DEFAULT_THROTTLE_MS,
      policy ?? category ?? 'RATE_LIMIT',
    );
  }
  if (status >= 500 || status === 408)
    return new CrmError('hubspot', 'retryable', message, status, retryAfter, category);
  if (status === 423)
    return new CrmError('hubspot', 'retryable', message, status, retryAfter ?? LOCKED_RETRY_MS, category);
  return new CrmError('hubspot', 'permanent', message, status, null, category);
}

/** A request that never got an HTTP answer: retryable, whether it timed out or the network failed. */
export function classifyNetworkFailure(err: unknown, timeoutMs: number): CrmError {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new CrmError('hubspot', 'retryable', `HubSpot did not answer within ${timeoutMs} ms`, null, null, 'TIMEOUT');
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new CrmError('hubspot', 'retryable', `could not reach HubSpot: ${detail}`, null, null, 'NETWORK');
}
