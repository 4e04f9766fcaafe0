import { waitForRoom } from './paced-fetch';
import { CrmError, type CrmKind } from './port';

export interface CrmExchange {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the answer is not JSON (a proxy's HTML error page). */
  body: unknown;
}

/**
 * One HTTP exchange with a CRM, body included, within a timeout. A timeout or a network failure
 * becomes a retryable CrmError (`TIMEOUT` / `NETWORK`); statuses are left to the adapter's own
 * classification. The timeout races the body read too, so a server that stalls mid-body cannot
 * hold a job past its lease.
 */
export async function exchangeWithCrm(
  crm: CrmKind,
  fetch: (input: string, init?: RequestInit) => Promise<Response>,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<CrmExchange> {
  await waitForRoom(fetch, init.method ?? 'GET', url);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CrmError(crm, 'retryable', `no answer within ${timeoutMs} ms`, null, null, 'TIMEOUT'));
    }, timeoutMs);
  });
  const exchange = (async () => {
    const res = await fetch(url, { ...init, signal: controller.signal });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text for the message.
    }
    return { status: res.status, headers: res.headers, body };
  })();
  try {
    return await Promise.race([exchange, timeout]);
  } catch (err) {
    if (err instanceof CrmError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new CrmError(crm, 'retryable', `network error: ${reason}`, null, null, 'NETWORK');
  } finally {
    clearTimeout(timer);
    exchange.catch(() => undefined); // settled after a timeout: nobody is listening any more
  }
}
