import { Hono } from 'hono';
import { z } from 'zod';
import { normalisePhone } from '@callsight/shared';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { auditInsert } from '../db/repos/audit';
import { callToApi } from '../db/repos/calls';
import { newId, sha256Hex } from '../auth/digest';
import { redactPii } from '../analysis';
import { callIdFor, PROCESS_CALL_JOB } from '../ingest/ingest-webhook';
import { ApiError } from '../errors';
import { MANUAL_SOURCE } from '../sync/records';
import { validate } from './validate';
import { waitUntilOf } from './wait-until';

const body = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  phone: z.string().trim().min(3).max(40),
  email: z.email().max(320).optional(),
  note: z.string().trim().max(5000).optional(),
  sourcePage: z.url().max(2000).optional(),
});

/**
 * A rep's one-click lead (from the extension's popup or a selected number): stored as a call of
 * source `manual` so it takes the same road as a phone call (analysis of the note, sync plan per
 * CRM). An `Idempotency-Key` header makes a double click create one lead.
 */
export const leads = new Hono<AppEnv>()
  .use('*', authenticate, requireRole('rep'))
  .post('/', validate('json', body), async (c) => {
    const input = c.req.valid('json');
    const { auth, services } = c.var;
    const tenantId = auth.tenant.id;
    const phone = normalisePhone(input.phone, auth.tenant.defaultCountry);
    if (!phone.e164) {
      throw new ApiError(400, 'invalid_request', `phone: ${input.phone} is not a valid phone number`, {
        field: 'phone',
      });
    }
    const now = services.clock.now();
    const sourceCallId = c.req.header('idempotency-key')?.slice(0, 200) || newId('lead');
    const id = await callIdFor(tenantId, MANUAL_SOURCE, sourceCallId);
    // The same Idempotency-Key again: the lead the first click made, and nothing new.
    const existing = await services.calls.get(tenantId, id);
    if (existing) return c.json(callToApi(existing), 200);
    const transcript = input.note ? redactPii(input.note).text : null;
    const contentHash = await sha256Hex(JSON.stringify([input, phone.e164]));
    const row = {
      id,
      tenantId,
      source: MANUAL_SOURCE,
      sourceCallId,
      status: 'pending',
      direction: 'inbound',
      outcome: 'answered',
      customerPhoneE164: phone.e164,
      customerPhoneRaw: input.phone,
      customerPhoneValid: true,
      customerPhoneCountry: phone.country,
      customerName: input.name ?? null,
      trackingNumberE164: null,
      trackingNumberRaw: null,
      agentEmail: null,
      agentPhone: null,
      agentName: null,
      startedAt: now,
      durationSeconds: null,
      recordingUrl: null,
      transcript,
      attribution: { landingPage: input.sourcePage ?? null, sourceName: 'Manual lead' },
      sourceAnalysis: { email: input.email ?? null, createdBy: `key:${auth.keyId}` },
      eventType: 'manual_lead',
      eventRank: 0,
      contentHash,
      sortAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await services.db.batch([
      services.calls.upsertStatement(row),
      services.queue.enqueueStatement(
        {
          tenantId,
          kind: PROCESS_CALL_JOB,
          payload: { callId: id },
          dedupeKey: `${PROCESS_CALL_JOB}:${id}:${contentHash}`,
        },
        now,
      ),
      auditInsert(
        services.db,
        tenantId,
        {
          actor: `key:${auth.keyId}`,
          action: 'lead.create',
          target: id,
          details: { sourcePage: input.sourcePage ?? null },
        },
        now,
      ),
    ]);
    services.onEnqueued?.(waitUntilOf(c));
    const stored = await services.calls.get(tenantId, id);
    return c.json(stored ? callToApi(stored) : { id }, 201);
  });
