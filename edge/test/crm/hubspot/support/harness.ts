// One sandbox and one adapter talking to it in-process, on a clock the test moves.
import { ManualClock } from '../../../../src/clock';
import { createHubspotAdapter, type HubspotAdapterConfig } from '../../../../src/crm/hubspot';
import type { FetchLike } from '../../../../src/crm/hubspot/http';
import type { CallLog, CrmRef } from '../../../../src/crm/port';
import { createHubspotSandbox, type HubspotSandboxOptions } from '../../../../src/sandbox/hubspot';

export const SANDBOX_BASE = 'http://hubspot.sandbox.test';

export interface HarnessOptions {
  sandbox?: HubspotSandboxOptions;
  adapter?: Partial<HubspotAdapterConfig>;
  /** Wraps the sandbox's fetch (contract checks, request counting…). */
  wrapFetch?: (inner: FetchLike) => FetchLike;
}

export async function hubspotHarness(options: HarnessOptions = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 15, 30));
  const sandbox = await createHubspotSandbox({ clock, ...options.sandbox });
  const fetch = options.wrapFetch ? options.wrapFetch(sandbox.fetch) : sandbox.fetch;
  const adapter = createHubspotAdapter({
    baseUrl: SANDBOX_BASE,
    token: sandbox.token,
    fetch,
    clock,
    timeoutMs: 2_000,
    ...options.adapter,
  });
  return { clock, sandbox, adapter, close: () => sandbox.close() };
}

export type Harness = Awaited<ReturnType<typeof hubspotHarness>>;

/** What a sync would send for a first inbound answered call. */
export const newContact = (phone: string, extra: Partial<Parameters<Harness['adapter']['createContact']>[0]> = {}) => ({
  phone,
  firstName: 'Dana',
  lastName: 'Caller',
  email: null,
  ownerId: null,
  properties: {},
  ...extra,
});

/** A short answered inbound call to log on `contact`, as a sync would send it. */
export function newCallLog(externalId: string, contact: CrmRef, extra: Partial<CallLog> = {}): CallLog {
  return {
    externalId,
    contact,
    deal: null,
    ownerId: null,
    direction: 'inbound',
    outcome: 'answered',
    startedAt: '2026-11-22T15:00:00Z',
    durationSeconds: 61,
    recordingUrl: null,
    title: `Inbound call ${externalId}`,
    body: 'Summary',
    properties: {},
    ...extra,
  };
}

/** A raw call to the sandbox's HubSpot API, as any HubSpot client would make it. */
export async function hubspotApi<T = unknown>(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await h.sandbox.fetch(`${SANDBOX_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.sandbox.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}
