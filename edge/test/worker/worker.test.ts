import { createExecutionContext, createScheduledController, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/auth/secret-box';
import { systemClock } from '../../src/clock';
import { buildServices } from '../../src/context';
import { schema } from '../../src/db/client';
import { migrate } from '../../src/db/migrate';
import { migrations } from '../../src/db/migrations.gen';
import { IntegrationRepo } from '../../src/db/repos/integrations';
import { TenantRepo, type Tenant } from '../../src/db/repos/tenants';
import { ingestWebhook } from '../../src/ingest/ingest-webhook';
import { silentLogger } from '../../src/log';
import worker, { openD1Db, type Env } from '../../src/worker';

// CallRail's published sample and the signature it sends with it (shared/fixtures/callrail).
const SIGNING_TOKEN = '072e77e426f92738a72fe23c4d1953b4';
const SIGNATURE = 'UZAHbUdfm3GqL7qzilGozGzWV64=';
const body = Uint8Array.from(atob(env.TEST_CALLRAIL_VOICEMAIL_B64), (ch) => ch.charCodeAt(0));

// The same database the Worker opens on this binding.
const db = openD1Db(env.DB!);
const calls = schema.calls;

// Three tenants with the same CallRail token, so each test's delivery is a call of its own.
const tenants: Record<'waitUntil' | 'self' | 'cron', Tenant> = {} as never;

beforeAll(async () => {
  await migrate(db);
  const secrets = await SecretBox.fromBase64Key(env.CALLSIGHT_ENCRYPTION_KEY);
  const repo = new TenantRepo(db);
  const integrations = new IntegrationRepo(db, secrets);
  const now = Date.now();
  for (const name of ['waitUntil', 'self', 'cron'] as const) {
    tenants[name] = await repo.create({ name: `Worker test ${name}` }, now);
    await integrations.set(tenants[name].id, 'callrail', SIGNING_TOKEN, {}, now);
  }
});

const callrailRequest = (slug: string, bytes: Uint8Array = body) =>
  new Request(`https://callsight.test/v1/webhooks/callrail/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', signature: SIGNATURE },
    body: bytes,
  });

// The Worker's own handler, called like the runtime calls it. Its signature uses the Workers
// Request type; in workerd that is this same global Request.
const workerFetch = (request: Request, bindings: Env, ctx = createExecutionContext()) =>
  worker.fetch(request as unknown as Parameters<typeof worker.fetch>[0], bindings, ctx);

const callsOf = (tenantId: string) =>
  db.select({ id: calls.id, status: calls.status }).from(calls).where(eq(calls.tenantId, tenantId));

describe('worker entry', () => {
  it('answers /healthz and /readyz with every migration applied', async () => {
    const health = await SELF.fetch('https://callsight.test/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const ready = await SELF.fetch('https://callsight.test/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      database: 'ok',
      migrations: { applied: migrations.length, pending: [] },
    });
  });

  it('stores a signed CallRail webhook (202) and processes it in waitUntil', async () => {
    const tenant = tenants.waitUntil;
    const ctx = createExecutionContext();
    const res = await workerFetch(callrailRequest(tenant.slug), env, ctx);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { accepted: boolean; callId: string; duplicate: boolean };
    expect(accepted).toMatchObject({ accepted: true, duplicate: false });

    // Committed before the 202: the row is there whatever the background drain has done yet.
    const [stored] = await callsOf(tenant.id);
    expect(stored?.id).toBe(accepted.callId);

    await waitOnExecutionContext(ctx);
    expect(await callsOf(tenant.id)).toEqual([{ id: accepted.callId, status: 'analyzed' }]);
    const jobs = await db.select().from(schema.jobs).where(eq(schema.jobs.tenantId, tenant.id));
    expect(jobs.map((j) => j.status)).toEqual(['done']); // process_call, analysis included
  });

  it('accepts a delivery through SELF, and the cron sweep leaves it analyzed', async () => {
    const tenant = tenants.self;
    const res = await SELF.fetch(callrailRequest(tenant.slug));
    expect(res.status).toBe(202);
    const { callId } = (await res.json()) as { callId: string };
    expect((await callsOf(tenant.id)).map((c) => c.id)).toEqual([callId]);

    // The request's own waitUntil drain and this sweep race for the job; either one finishes it.
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, createExecutionContext());
    await expect.poll(async () => (await callsOf(tenant.id))[0]?.status, { timeout: 5_000 }).toBe('analyzed');
  });

  it('runs jobs no request drained on the cron sweep', async () => {
    // A delivery stored without a drain, as when a Worker was cut off before its waitUntil ran.
    const tenant = tenants.cron;
    const services = buildServices({
      db,
      secrets: await SecretBox.fromBase64Key(env.CALLSIGHT_ENCRYPTION_KEY),
      clock: systemClock,
      log: silentLogger,
    });
    const { callId } = await ingestWebhook(
      services,
      tenant,
      'callrail',
      {
        method: 'POST',
        body,
        text: new TextDecoder().decode(body),
        headers: new Headers({ signature: SIGNATURE }),
        query: new URLSearchParams(),
      },
      Date.now(),
    );
    expect(await callsOf(tenant.id)).toEqual([{ id: callId, status: 'pending' }]);

    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, createExecutionContext());
    expect(await callsOf(tenant.id)).toEqual([{ id: callId, status: 'analyzed' }]);
  });

  it('rejects the body with one byte changed (401) and stores nothing', async () => {
    const tenant = tenants.waitUntil;
    const tampered = body.slice();
    const at = new TextDecoder().decode(body).indexOf('Kaylah');
    tampered[at] = 'k'.charCodeAt(0);

    const deliveriesOf = () =>
      db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.tenantId, tenant.id));
    const [callsBefore, deliveriesBefore] = [await callsOf(tenant.id), await deliveriesOf()];
    const res = await SELF.fetch(callrailRequest(tenant.slug, tampered));
    expect(res.status).toBe(401);
    expect(await callsOf(tenant.id)).toEqual(callsBefore);
    expect(await deliveriesOf()).toEqual(deliveriesBefore);
    const [rejection] = await db
      .select()
      .from(schema.webhookRejections)
      .where(and(eq(schema.webhookRejections.tenantId, tenant.id), eq(schema.webhookRejections.source, 'callrail')));
    expect(rejection?.count).toBe(1);
  });

  it('talks to Turso over libSQL HTTP when no D1 database is bound', async () => {
    // The pool's outbound service answers every fetch with a 503 (vitest.worker.config.ts): the
    // web client loads and queries in workerd, and readyz reports the outage.
    const turso = {
      CALLSIGHT_ENCRYPTION_KEY: env.CALLSIGHT_ENCRYPTION_KEY,
      TURSO_URL: 'https://callsight-test.turso.io',
    };
    const health = await workerFetch(new Request('https://callsight.test/healthz'), turso);
    expect(health.status).toBe(200);
    const ready = await workerFetch(new Request('https://callsight.test/readyz'), turso);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, database: 'unreachable' });
  });

  it('answers 503 when its secrets are not set', async () => {
    const unset = { CALLSIGHT_ENCRYPTION_KEY: '' };
    const res = await workerFetch(new Request('https://callsight.test/healthz'), unset);
    expect(res.status).toBe(503);
  });
});
