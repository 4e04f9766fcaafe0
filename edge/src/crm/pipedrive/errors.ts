import { CrmError, type CrmErrorKind } from '../port';

// How Pipedrive failures become CrmErrors. Pipedrive answers `{ success: false, error, … }` and
// throttles with 429 in two ways: the per-token burst window (2 seconds: wait for the window, as
// its headers say) and the company's daily token budget (nothing to do before it resets at the
// start of the next day, which we take to be UTC midnight like the older daily POST/PUT limit).

const BURST_WINDOW_MS = 2000;
/** Slack after midnight, so a whole tenant's backlog does not hit the fresh budget at 00:00:00. */
const AFTER_RESET_MS = 5 * 60 * 1000;

export function retryAfterMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export const msUntilNextUtcDay = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
};

/** The daily budget (or the older daily POST/PUT cap) rather than the 2-second window. */
function isDailyLimit(message: string, headers: Headers): boolean {
  return /daily|budget/i.test(message) || headers.get('x-daily-requests-left') === '0';
}

export function pipedriveError(status: number, body: unknown, headers: Headers, now: number): CrmError {
  const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message =
    typeof o.error === 'string' && o.error
      ? o.error
      : typeof body === 'string' && body
        ? body.slice(0, 300)
        : `HTTP ${status}`;
  const code = typeof o.code === 'string' ? o.code : null;
  const error = (kind: CrmErrorKind, retryAfter: number | null) =>
    new CrmError('pipedrive', kind, message, status, retryAfter, code);

  if (status === 429) {
    if (isDailyLimit(message, headers)) return error('daily_limit', msUntilNextUtcDay(now) + AFTER_RESET_MS);
    const reset = Number(headers.get('x-ratelimit-reset'));
    return error('retryable', retryAfterMs(headers, now) ?? (reset > 0 ? reset * 1000 : BURST_WINDOW_MS));
  }
  if (status >= 500 || status === 408) return error('retryable', retryAfterMs(headers, now));
  return error('permanent', null);
}
