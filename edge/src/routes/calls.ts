import { Hono } from 'hono';
import { z } from 'zod';
import { CallDirectionSchema, CallOriginSchema, CallStatusSchema, normalisePhone } from '@callsight/shared';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { callToApi } from '../db/repos/calls';
import { analysisToApi } from '../db/repos/analyses';
import { auditInsert } from '../db/repos/audit';
import { ANALYZE_CALL_JOB } from '../pipeline/analyze-call';
import { waitUntilOf } from './wait-until';
import { ApiError, notFound } from '../errors';
import { validate } from './validate';
import { syncStatesOf } from '../sync/state';
import { fromBase64, toBase64Url, utf8 } from '../auth/digest';

const time = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 date or date-time')
  .transform((v) => Date.parse(v));

const listQuery = z.object({
  status: CallStatusSchema.optional(),
  source: CallOriginSchema.optional(),
  direction: CallDirectionSchema.optional(),
  from: time.optional(),
  to: time.optional(),
  phone: z.string().min(3).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

const encodeCursor = (sortAt: number, id: string) => toBase64Url(utf8(`${sortAt}:${id}`));

function decodeCursor(cursor: string) {
  const bytes = fromBase64(cursor);
  const match = bytes ? /^(\d+):(call_[0-9a-f]+)$/.exec(new TextDecoder().decode(bytes)) : null;
  if (!match?.[1] || !match[2]) {
    throw new ApiError(400, 'invalid_request', 'cursor: not a cursor this API returned', { field: 'cursor' });
  }
  return { sortAt: Number(match[1]), id: match[2] };
}

export const calls = new Hono<AppEnv>()
  .use('*', authenticate, requireRole('rep'))
  /** Runs the analysis again (after a scoring change, say). Pressing twice before it runs queues it once. */
  .post('/:id/reanalyze', requireRole('manager'), async (c) => {
    const { auth, services } = c.var;
    const row = await services.calls.get(auth.tenant.id, c.req.param('id'));
    if (!row) throw notFound('call');
    const latest = await services.analyses.latest(auth.tenant.id, row.id);
    const now = services.clock.now();
    const dedupeKey = `reanalyze:${row.id}:${latest?.version ?? 0}`;
    const existing = await services.queue.byDedupeKey(auth.tenant.id, dedupeKey);
    if (!existing) {
      await services.db.batch([
        services.queue.enqueueStatement(
          { tenantId: auth.tenant.id, kind: ANALYZE_CALL_JOB, payload: { callId: row.id, force: true }, dedupeKey },
          now,
        ),
        auditInsert(
          services.db,
          auth.tenant.id,
          { actor: `key:${auth.keyId}`, action: 'call.reanalyze', target: row.id },
          now,
        ),
      ]);
      services.onEnqueued?.(waitUntilOf(c));
    }
    return c.json({ queued: true, alreadyQueued: existing !== undefined, afterVersion: latest?.version ?? null }, 202);
  })
  .get('/', validate('query', listQuery), async (c) => {
    const q = c.req.valid('query');
    const { auth } = c.var;
    // A phone filter matches however the number was written: compare in E.164 when it parses.
    const phone = q.phone ? (normalisePhone(q.phone, auth.tenant.defaultCountry).e164 ?? q.phone) : undefined;
    const rows = await c.var.services.calls.list(auth.tenant.id, {
      ...q,
      phone,
      limit: q.limit + 1,
      cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const latest = await c.var.services.analyses.latestFor(
      auth.tenant.id,
      page.map((r) => r.id),
    );
    return c.json({
      data: page.map((row) => {
        const analysis = latest.get(row.id);
        return { ...callToApi(row), analysis: analysis ? analysisToApi(analysis) : null };
      }),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.sortAt, last.id) : null,
    });
  })
  .get('/:id', async (c) => {
    const { auth, services } = c.var;
    const row = await services.calls.get(auth.tenant.id, c.req.param('id'));
    if (!row) throw notFound('call');
    const [events, analysis, sync] = await Promise.all([
      services.calls.events(auth.tenant.id, row.id),
      services.analyses.latest(auth.tenant.id, row.id),
      syncStatesOf(services.db, auth.tenant.id, [row.id]),
    ]);
    return c.json({
      ...callToApi(row),
      analysis: analysis ? analysisToApi(analysis) : null,
      events: events.map((e) => ({ ...e, receivedAt: new Date(e.receivedAt).toISOString() })),
      sync: sync.get(row.id) ?? [],
    });
  });
