// The product and real CRM sandboxes in one process: adapters reach the sandboxes through an
// injected fetch, every clock is the same ManualClock, and the runner runs the sync jobs.
import { expect } from 'vitest';
import { createApp } from '../../src/app';
import { callrailHeaders } from '../../src/demo/sign';
import { callrailCall } from '../../src/demo/samples';
import type { FetchLike } from '../../src/crm/connection';
import { JobRunner } from '../../src/jobs/runner';
import { pipelineHandlers } from '../../src/pipeline/handlers';
import { silentLogger } from '../../src/log';
import { createHubspotSandbox } from '../../src/sandbox/hubspot';
import { createPipedriveSandbox } from '../../src/sandbox/pipedrive';
import { createSalesforceSandbox } from '../../src/sandbox/salesforce';
import { RateLimits } from '../../src/sync/rate-limits';
import { CircuitBreakers } from '../../src/sync/circuit-breaker';
import { callrailFixture, json, testApp } from '../support/test-app';

export const HUBSPOT_BASE = 'http://hubspot.sandbox.test';
export const PIPEDRIVE_BASE = 'https://callsight-dev.pipedrive.com';
export const SALESFORCE_BASE = 'https://callsight-dev.my.salesforce.com';

export const kitchen =
  "Hi, I'm interested in remodeling my kitchen. I've been thinking about it for a while and I'm ready to get some estimates. The kitchen is about 200 square feet and I'm looking to do this in the next 2-3 months. My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?";

export interface SyncWorldOptions {
  /**
   * A wait for room under a CRM's rate limit moves the test clock on by that much (the sandboxes
   * see the time pass). Otherwise waits are skipped and the clock stays put.
   */
  waitsMoveClock?: boolean;
}

export async function syncWorld(options: SyncWorldOptions = {}) {
  const t = await testApp();
  const hubspot = await createHubspotSandbox({ clock: t.clock });
  const pipedrive = createPipedriveSandbox({ clock: t.clock, burstLimit: 1000, searchBurstLimit: 1000 });
  const salesforce = createSalesforceSandbox({ clock: t.clock });
  await Promise.all([pipedrive.ready, salesforce.ready]);
  const crmFetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin === HUBSPOT_BASE) return hubspot.fetch(input, init);
    if (url.origin === PIPEDRIVE_BASE) return pipedrive.app.request(url.toString(), init);
    if (url.origin === SALESFORCE_BASE) return salesforce.app.request(url.toString(), init);
    throw new Error(`no sandbox at ${url.origin}`);
  };
  // One set of windows for the syncs and the admin's requests, as on the servers.
  const rateLimits = new RateLimits({
    clock: t.clock,
    sleep: async (ms) => void (options.waitsMoveClock ? t.clock.advance(ms) : undefined),
  });
  const app = createApp({
    db: t.db,
    secrets: t.box,
    clock: t.clock,
    log: silentLogger,
    crmFetch,
    crmRateLimits: rateLimits,
  });
  const breakers = new CircuitBreakers(t.clock);
  const runner = new JobRunner(
    t.queue,
    pipelineHandlers({
      db: t.db,
      clock: t.clock,
      log: silentLogger,
      secrets: t.box,
      crmFetch,
      breakers,
      rateLimits,
    }),
    t.clock,
    silentLogger,
  );

  const call = (method: string, path: string, key: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function connectHubspot(routing: Record<string, unknown> = { topManagerEmail: 'top.manager@callsight.test' }) {
    const res = await call('PUT', '/v1/integrations/hubspot', t.a.admin, {
      secret: hubspot.token,
      options: { baseUrl: HUBSPOT_BASE, portalId: hubspot.portalId, routing },
    });
    expect(res.status).toBe(200);
    // A new portal gets the Callsight properties first, as an admin would from the settings page.
    expect((await call('POST', '/v1/integrations/hubspot/setup', t.a.admin)).status).toBe(200);
  }

  async function connectPipedrive() {
    const res = await call('PUT', '/v1/integrations/pipedrive', t.a.admin, {
      secret: pipedrive.apiToken,
      options: { baseUrl: PIPEDRIVE_BASE },
    });
    expect(res.status).toBe(200);
  }

  async function connectSalesforce() {
    const res = await call('PUT', '/v1/integrations/salesforce', t.a.admin, {
      secret: salesforce.clientSecret,
      options: { loginUrl: SALESFORCE_BASE, clientId: salesforce.clientId, apiVersion: 'v62.0' },
    });
    expect(res.status).toBe(200);
  }

  /** A signed CallRail delivery; `extra` adds raw CallRail fields (`agent_email`…). */
  async function webhook(o: Parameters<typeof callrailCall>[0], extra: Record<string, unknown> = {}) {
    const body = JSON.stringify({ ...callrailCall(o), ...extra });
    const res = await app.request(`/v1/webhooks/callrail/${t.a.tenant.slug}`, {
      method: 'POST',
      body,
      headers: await callrailHeaders(callrailFixture.token, body),
    });
    expect(res.status).toBe(202);
    return (await json<{ callId: string }>(res)).callId;
  }

  async function syncOf(callId: string) {
    const res = await call('GET', `/v1/calls/${callId}`, t.a.rep);
    return (await json<{ sync: SyncView[] }>(res)).sync;
  }

  /** Runs due jobs, moving the clock past each backoff, until nothing is queued (or `rounds` ran out). */
  async function settle(rounds = 40, stepMs = 16 * 60_000) {
    for (let i = 0; i < rounds; i++) {
      await runner.drain();
      if ((await t.queue.counts()).queued === 0) return;
      t.clock.advance(stepMs);
    }
  }

  return {
    ...t,
    app,
    runner,
    hubspot,
    pipedrive,
    salesforce,
    breakers,
    rateLimits,
    crmFetch,
    call,
    connectHubspot,
    connectPipedrive,
    connectSalesforce,
    webhook,
    syncOf,
    settle,
    close: () => {
      hubspot.close();
      pipedrive.close();
      salesforce.close();
      t.close();
    },
  };
}

export interface SyncView {
  crm: string;
  status: string;
  attempts: number;
  lastError: string | null;
  crmMessage: string | null;
  nextAttemptAt: string | null;
  resolvedNote: string | null;
  reasons: string[];
  records: { step: string; type: string; id: string; url: string | null }[];
}

export type SyncWorld = Awaited<ReturnType<typeof syncWorld>>;
