import { z } from 'zod';
import { exchangeWithCrm } from '../exchange';
import type { Clock } from '../../clock';
import { CrmError } from '../port';
import { salesforceError } from './errors';

// A thin fetch client for Salesforce REST: the client-credentials token fetched on first use and
// cached, one refresh when a call answers 401 INVALID_SESSION_ID (client-credentials tokens come
// without an expiry or refresh token), a timeout on every exchange, errors as CrmErrors.

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface SalesforceClientOptions {
  /** Where the token is requested: the org's My Domain (the flow does not work on login.salesforce.com). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  fetch: FetchLike;
  timeoutMs: number;
  clock: Clock;
}

export interface SalesforceResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

interface Session {
  accessToken: string;
  instanceUrl: string;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), instance_url: z.string().url() });

export class SalesforceClient {
  private session: Promise<Session> | null = null;

  constructor(private readonly options: SalesforceClientOptions) {}

  /** The instance the current token belongs to (fetching a token when there is none yet). */
  async instanceUrl(): Promise<string> {
    return (await this.currentSession()).instanceUrl;
  }

  /**
   * Calls `/services/data/{version}{path}`. Any 2xx (and 300, which upserts use for ambiguous
   * external ids) is returned; everything else is thrown as a classified CrmError.
   */
  async request(method: string, path: string, body?: unknown): Promise<SalesforceResponse> {
    let session = await this.currentSession();
    let res = await this.send(session, method, path, body);
    if (res.status === 401) {
      // One refresh: the session expired or was revoked. A second 401 is a real auth failure.
      session = await this.renewSession(session);
      res = await this.send(session, method, path, body);
    }
    if ((res.status >= 200 && res.status < 300) || res.status === 300) return res;
    throw salesforceError(res.status, res.body, res.headers, this.options.clock.now());
  }

  private currentSession(): Promise<Session> {
    if (!this.session) {
      const pending = this.fetchToken();
      this.session = pending;
      // A failed token request must not stick: the next call asks again.
      pending.catch(() => {
        if (this.session === pending) this.session = null;
      });
    }
    return this.session;
  }

  /** A fresh session after `stale` was refused; concurrent callers share one token request. */
  private async renewSession(stale: Session): Promise<Session> {
    const pending = this.session;
    const current = pending ? await pending.catch(() => null) : null;
    if (this.session !== pending) return this.currentSession(); // another call renewed meanwhile
    if (current && current !== stale) return current;
    this.session = null;
    return this.currentSession();
  }

  private async fetchToken(): Promise<Session> {
    const { clientId, clientSecret, tokenUrl } = this.options;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const res = await this.exchange(`${tokenUrl.replace(/\/+$/, '')}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    if (res.status !== 200) throw salesforceError(res.status, res.body, res.headers, this.options.clock.now());
    const parsed = tokenAnswer.safeParse(res.body);
    if (!parsed.success) {
      throw new CrmError('salesforce', 'permanent', 'The token endpoint answered without an access token', res.status);
    }
    return { accessToken: parsed.data.access_token, instanceUrl: parsed.data.instance_url.replace(/\/+$/, '') };
  }

  private send(session: Session, method: string, path: string, body: unknown): Promise<SalesforceResponse> {
    return this.exchange(`${session.instanceUrl}/services/data/${this.options.apiVersion}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  private exchange(url: string, init: RequestInit) {
    return exchangeWithCrm('salesforce', this.options.fetch, url, init, this.options.timeoutMs);
  }
}
