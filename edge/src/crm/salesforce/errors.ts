import { z } from 'zod';
import { CrmError, type CrmErrorKind } from '../port';

// How Salesforce failures become CrmErrors. Salesforce answers errors as a JSON array of
// `{ message, errorCode, fields }` (the OAuth endpoint as `{ error, error_description }`) and
// signals an exhausted allocation with 403 REQUEST_LIMIT_EXCEEDED, never 429 or Retry-After.

/**
 * How long to wait after "TotalRequests Limit exceeded.". The allocation is a rolling 24 hours,
 * not a calendar day: capacity comes back continuously as requests from a day ago age out, and we
 * cannot see when the org's other integrations spent theirs. Waiting "until tomorrow" could idle
 * a sync for a day that would have gone through in minutes; retrying at the usual 30 s backoff
 * would burn requests (and error budget) against a wall. An hour is the compromise: at most 24
 * probes a day while the org stays over its limit.
 */
export const REQUEST_LIMIT_RETRY_MS = 60 * 60 * 1000;

/** The other REQUEST_LIMIT_EXCEEDED: too many concurrent long-running (20 s+) requests. */
const CONCURRENCY_RETRY_MS = 30 * 1000;
/** UNABLE_TO_LOCK_ROW: another transaction holds the record for a moment. */
const LOCK_RETRY_MS = 5 * 1000;

/** A CrmError that keeps Salesforce's error body, for the few codes whose details matter. */
export class SalesforceError extends CrmError {
  constructor(
    kind: CrmErrorKind,
    message: string,
    status: number,
    retryAfterMs: number | null,
    code: string | null,
    readonly body: unknown,
  ) {
    super('salesforce', kind, message, status, retryAfterMs, code);
  }
}

/** The record a DUPLICATES_DETECTED error matched (the first of the first rule), if it names one. */
export function duplicateRecordId(body: unknown): string | null {
  const schema = z.array(
    z.object({
      errorCode: z.literal('DUPLICATES_DETECTED'),
      duplicateResult: z.object({
        matchResults: z.array(z.object({ matchRecords: z.array(z.object({ record: z.object({ Id: z.string() }) })) })),
      }),
    }),
  );
  const parsed = schema.safeParse(body);
  return parsed.success ? (parsed.data[0]?.duplicateResult.matchResults[0]?.matchRecords[0]?.record.Id ?? null) : null;
}

interface SalesforceErrorEntry {
  message?: unknown;
  errorCode?: unknown;
}

function entriesOf(body: unknown): Array<{ message: string; errorCode: string | null }> {
  if (Array.isArray(body)) {
    return body
      .filter((e): e is SalesforceErrorEntry => typeof e === 'object' && e !== null)
      .map((e) => ({
        message: typeof e.message === 'string' ? e.message : '',
        errorCode: typeof e.errorCode === 'string' ? e.errorCode : null,
      }));
  }
  if (typeof body === 'object' && body !== null) {
    const o = body as Record<string, unknown>;
    // The OAuth endpoint's shape.
    if (typeof o.error === 'string') {
      const description = typeof o.error_description === 'string' ? o.error_description : o.error;
      return [{ message: description, errorCode: o.error }];
    }
  }
  return [];
}

/** Retry-After in ms, as seconds or an HTTP date; Salesforce rarely sends one, proxies might. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function salesforceError(status: number, body: unknown, headers: Headers, now: number): SalesforceError {
  const entries = entriesOf(body);
  const code = entries[0]?.errorCode ?? null;
  const message =
    entries
      .map((e) => e.message)
      .filter(Boolean)
      .join('; ') || (typeof body === 'string' && body ? body.slice(0, 300) : `HTTP ${status}`);
  const after = retryAfterMs(headers, now);

  const error = (kind: CrmErrorKind, retryAfter: number | null) =>
    new SalesforceError(kind, message, status, retryAfter, code, body);

  if (status === 403 && code === 'REQUEST_LIMIT_EXCEEDED') {
    return /TotalRequests/i.test(message)
      ? error('daily_limit', REQUEST_LIMIT_RETRY_MS)
      : error('retryable', after ?? CONCURRENCY_RETRY_MS);
  }
  if (code === 'UNABLE_TO_LOCK_ROW') return error('retryable', LOCK_RETRY_MS);
  if (status >= 500 || status === 408 || status === 429) return error('retryable', after);
  return error('permanent', null);
}
