/** Retry timing shared by every job kind (DESIGN.md §6). */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 15 * 60_000;
/** A job still failing this long after it was first enqueued is given up on: `dead`. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base·2^(attempt-1))], so a
 * burst of failures does not come back as a burst. A server's Retry-After is a floor.
 */
export function backoffDelay(attempt: number, retryAfterMs: number | null = null, random: () => number = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After as seconds or an HTTP date → milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
