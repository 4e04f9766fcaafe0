import { sql } from 'drizzle-orm';
import type { CallSource } from '@callsight/shared';
import type { Db } from '../db/client';
import { webhookDeliveries, webhookRejections } from '../db/schema';
import { derivedId, sha256Hex } from '../auth/digest';
import { CallRepo, callRowFromEvent } from '../db/repos/calls';
import type { IntegrationRepo } from '../db/repos/integrations';
import type { Tenant } from '../db/repos/tenants';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../log';
import { sources } from '../sources';
import type { WebhookRequest } from '../sources';
import { ApiError } from '../errors';
import { redactCallEvent, redactRawBody } from '../pipeline/redact-event';

export const PROCESS_CALL_JOB = 'process_call';

/** How stale a source's secret and options may be on the intake path (see IntegrationRepo.get). */
export const CREDENTIALS_MAX_AGE_MS = 30_000;

export interface IngestDeps {
  db: Db;
  integrations: IntegrationRepo;
  queue: JobQueue;
  log: Logger;
}

export interface IngestResult {
  callId: string;
  deliveryId: string;
  duplicate: boolean;
}

/** The stable id of a call: the same on every delivery, so one batch can reference it. */
export const callIdFor = (tenantId: string, source: string, sourceCallId: string) =>
  derivedId('call', tenantId, source, sourceCallId);

function keptHeaders(req: WebhookRequest, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers.get(name);
    if (value !== null) out[name] = value.slice(0, 500);
  }
  return out;
}

/**
 * One webhook delivery, from raw bytes to a stored call:
 * verify the signature on the raw body → parse leniently into a CallEvent → mask PII → one batch that
 * stores the delivery, upserts the call and enqueues its processing. A redelivery lands on the
 * same rows and changes nothing but the delivery's duplicate count.
 */
export async function ingestWebhook(
  deps: IngestDeps,
  tenant: Tenant,
  source: CallSource,
  req: WebhookRequest,
  now: number,
): Promise<IngestResult> {
  const adapter = sources[source];
  let integration = await deps.integrations.get(tenant.id, source, CREDENTIALS_MAX_AGE_MS, now);
  if (!integration) integration = await deps.integrations.get(tenant.id, source);
  if (!integration) {
    await countRejection(deps.db, tenant.id, source, 'not_configured', now);
    throw new ApiError(
      401,
      'source_not_configured',
      `${source} is not connected for this tenant: set its secret first`,
    );
  }
  let verdict = await adapter.verify(req, integration.secret, integration.options, now);
  if (!verdict.ok) {
    // The secret may have been rotated by another process since it was read: read it again.
    const fresh = await deps.integrations.get(tenant.id, source);
    if (fresh && fresh.secret !== integration.secret) {
      integration = fresh;
      verdict = await adapter.verify(req, fresh.secret, fresh.options, now);
    }
  }
  if (!verdict.ok) {
    await countRejection(deps.db, tenant.id, source, verdict.reason, now);
    // The body is untrusted: it is neither stored nor logged.
    deps.log.warn('webhook rejected', { tenant: tenant.id, source, reason: verdict.reason, bytes: req.body.length });
    throw new ApiError(401, verdict.reason, verdict.message);
  }

  const bodySha256 = await sha256Hex(req.body);
  const deliveryId = await derivedId('dlv', tenant.id, source, bodySha256);
  const defaultCountry =
    typeof integration.options.defaultCountry === 'string' ? integration.options.defaultCountry : tenant.defaultCountry;
  const parsed = adapter.parse(req, { defaultCountry, options: integration.options });
  const delivery = {
    id: deliveryId,
    tenantId: tenant.id,
    source,
    bodySha256,
    rawBody: redactRawBody(req.text),
    contentType: req.headers.get('content-type'),
    headers: keptHeaders(req, adapter.keptHeaders),
    receivedAt: now,
    lastSeenAt: now,
  };

  if (!parsed.ok) {
    // Signed but unreadable: keep it, so a fixed parser can replay it, and say which field.
    await deps.db
      .insert(webhookDeliveries)
      .values({ ...delivery, eventType: 'unparsed', callId: null, verdict: 'invalid' })
      .onConflictDoUpdate({
        target: webhookDeliveries.id,
        set: { duplicateCount: sql`${webhookDeliveries.duplicateCount} + 1`, lastSeenAt: now },
      });
    throw new ApiError(400, 'invalid_payload', `${source}: ${parsed.message}`, { field: parsed.field });
  }

  const { event } = redactCallEvent(parsed.event);
  const callId = await callIdFor(tenant.id, source, event.sourceCallId);
  const contentHash = await sha256Hex(JSON.stringify(event));
  const calls = new CallRepo(deps.db);
  const [stored] = await deps.db.batch([
    deps.db
      .insert(webhookDeliveries)
      .values({ ...delivery, eventType: event.eventType, callId, verdict: 'accepted' })
      .onConflictDoUpdate({
        target: webhookDeliveries.id,
        set: { duplicateCount: sql`${webhookDeliveries.duplicateCount} + 1`, lastSeenAt: now },
      })
      .returning({ duplicates: webhookDeliveries.duplicateCount }),
    calls.upsertStatement(callRowFromEvent(callId, tenant.id, event, contentHash, now)),
    deps.queue.enqueueStatement(
      {
        tenantId: tenant.id,
        kind: PROCESS_CALL_JOB,
        payload: { callId },
        dedupeKey: `${PROCESS_CALL_JOB}:${deliveryId}`,
      },
      now,
    ),
  ]);
  const duplicate = (stored[0]?.duplicates ?? 0) > 0;
  deps.log.info('webhook accepted', { tenant: tenant.id, source, event: event.eventType, call: callId, duplicate });
  return { callId, deliveryId, duplicate };
}

async function countRejection(db: Db, tenantId: string, source: string, reason: string, now: number) {
  await db
    .insert(webhookRejections)
    .values({ tenantId, source, reason, count: 1, lastAt: now })
    .onConflictDoUpdate({
      target: [webhookRejections.tenantId, webhookRejections.source, webhookRejections.reason],
      set: { count: sql`${webhookRejections.count} + 1`, lastAt: now },
    });
}
