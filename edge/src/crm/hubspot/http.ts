// A thin JSON-over-fetch client for HubSpot: bearer token, a hard timeout per request, and every
// failure turned into a CrmError. No retries here: the sync engine's job queue owns backoff.
import { systemClock, type Clock } from '../../clock';
import { waitForRoom } from '../paced-fetch';
import { classifyHubspotResponse, classifyNetworkFailure } from './errors';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HubspotHttpConfig {
  /** `https://api.hubapi.com`, or the sandbox (`http://localhost:8787/sandbox/hubspot`). */
  baseUrl: string;
  /** Private-app (static) token or OAuth access token. */
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  clock?: Clock;
  /** Where the daily limit resets (the account's time zone); UTC unless known. */
  dailyLimitTimeZone?: string;
}

export type Query = Record<string, string | number | string[] | undefined>;

export const DEFAULT_TIMEOUT_MS = 15_000;

export class HubspotHttp {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  readonly timeoutMs: number;
  readonly clock: Clock;
  dailyLimitTimeZone: string;

  constructor(private readonly config: HubspotHttpConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = config.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.clock = config.clock ?? systemClock;
    this.dailyLimitTimeZone = config.dailyLimitTimeZone ?? 'UTC';
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.send<T>('GET', path, { query });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PATCH', path, { body });
  }

  async send<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = `${this.baseUrl}${path}${queryString(opts.query)}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.token}`,
      accept: 'application/json',
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    await waitForRoom(this.fetchImpl, method, url);
    const signal = AbortSignal.timeout(this.timeoutMs);
    // An injected fetch (tests, an in-process sandbox) may ignore the signal: race it as well.
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    aborted.catch(() => undefined);

    let status: number;
    let text: string;
    let responseHeaders: Headers;
    try {
      const res = await Promise.race([
        this.fetchImpl(url, {
          method,
          headers,
          signal,
          ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        }),
        aborted,
      ]);
      status = res.status;
      responseHeaders = res.headers;
      text = await Promise.race([res.text(), aborted]);
    } catch (err) {
      throw classifyNetworkFailure(err, this.timeoutMs);
    }
    const body = parseJson(text);
    if (status >= 200 && status < 300) return body as T;
    throw classifyHubspotResponse(status, body, text, responseHeaders, this.clock.now(), this.dailyLimitTimeZone);
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
