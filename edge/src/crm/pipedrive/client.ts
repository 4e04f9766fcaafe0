import type { Clock } from '../../clock';
import { exchangeWithCrm } from '../exchange';
import { pipedriveError } from './errors';

// A thin fetch client for Pipedrive's /api/v1 and /api/v2: the API token in the `x-api-token`
// header (the docs require it for all requests), a timeout on every exchange, errors as CrmErrors.

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface PipedriveClientOptions {
  baseUrl: string;
  apiToken: string;
  fetch: FetchLike;
  timeoutMs: number;
  clock: Clock;
}

export type Query = Record<string, string | number | boolean | undefined>;

export class PipedriveClient {
  constructor(private readonly options: PipedriveClientOptions) {}

  /** Calls `{baseUrl}{path}` (path starting `/api/v1/` or `/api/v2/`); 2xx bodies come back parsed. */
  async request(method: string, path: string, query: Query = {}, body?: unknown): Promise<unknown> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const qs = params.toString();
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`;
    const res = await this.exchange(url, {
      method,
      headers: {
        'x-api-token': this.options.apiToken,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status >= 200 && res.status < 300) return res.body;
    throw pipedriveError(res.status, res.body, res.headers, this.options.clock.now());
  }

  private exchange(url: string, init: RequestInit) {
    return exchangeWithCrm('pipedrive', this.options.fetch, url, init, this.options.timeoutMs);
  }
}
