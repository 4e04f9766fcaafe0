// A fetch that may make a request wait for room under a rate limit. The wait must come before the
// request's own timeout starts: a request booked ten seconds ahead under a full window is not a
// slow CRM, and counting the wait against the timeout turned full windows into "timeouts" that
// opened the circuit breaker. So clients call `waitForRoom` first, then start their clock.
import type { FetchLike } from './connection';

export type PacedFetch = FetchLike & {
  /** Books the request and waits until it may go; throws when the wait is too long to hold. */
  beforeSend?: (method: string, url: string) => Promise<void>;
};

export async function waitForRoom(fetch: object, method: string, url: string): Promise<void> {
  await (fetch as Partial<Pick<PacedFetch, 'beforeSend'>>).beforeSend?.(method.toUpperCase(), url);
}
