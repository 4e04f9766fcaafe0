import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { auditInsert } from '../db/repos/audit';
import { jobs } from '../db/schema';
import { CrmKindSchema } from '../crm/connection';
import { ApiError, notFound } from '../errors';
import { SyncLedger } from '../sync/ledger';
import { activeSyncJobs } from '../sync/state';
import { SYNC_CALL_JOB, syncJobPrefix, syncLane } from '../sync/sync-call';
import { validate } from './validate';
import { waitUntilOf } from './wait-until';

const params = z.object({ id: z.string().min(1), crm: CrmKindSchema });

/** A manager's hands on one call's sync into one CRM: try again now, or mark it handled. */
export const sync = new Hono<AppEnv>()
  .use('/:id/sync/*', authenticate, requireRole('manager'))
  /**
   * Idempotent (HubSpot's card retries a failed request once, people double-click): a sync already
   * queued is brought forward rather than queued again, and one that is running is left alone.
   */
  .post('/:id/sync/:crm/retry', validate('param', params), async (c) => {
    const { id, crm } = c.req.valid('param');
    const { auth, services } = c.var;
    const tenantId = auth.tenant.id;
    const call = await services.calls.get(tenantId, id);
    if (!call) throw notFound('call');
    if (!(await services.integrations.get(tenantId, crm))) {
      throw new ApiError(409, 'not_connected', `${crm} is not connected: nothing to retry`);
    }
    const now = services.clock.now();
    const actor = `key:${auth.keyId}`;
    const active = await activeSyncJobs(services.db, tenantId, id, crm);
    const running = active.find((j) => j.status === 'running');
    const queued = active.find((j) => j.status === 'queued');
    if (running) return c.json({ queued: true, alreadyQueued: true, running: true }, 202);
    if (queued) {
      if (queued.runAt > now) {
        await services.db.batch([
          services.db
            .update(jobs)
            .set({ runAt: now, updatedAt: now })
            .where(and(eq(jobs.id, queued.id), eq(jobs.tenantId, tenantId), eq(jobs.status, 'queued'))),
          auditInsert(services.db, tenantId, { actor, action: 'sync.retry', target: id, details: { crm } }, now),
        ]);
        services.onEnqueued?.(waitUntilOf(c));
      }
      return c.json({ queued: true, alreadyQueued: true, running: false }, 202);
    }

    const ledger = new SyncLedger(services.db);
    await ledger.revive(tenantId, id, crm, now);
    const latest = await services.analyses.latest(tenantId, id);
    await services.db.batch([
      services.queue.enqueueStatement(
        {
          tenantId,
          kind: SYNC_CALL_JOB,
          payload: { callId: id, crm, analysisVersion: latest?.version ?? null, manual: true },
          // A fresh job (its own 24 hours before it is given up on); same-millisecond presses meet here.
          dedupeKey: `${syncJobPrefix(id, crm)}retry:${now}`,
          lane: syncLane(tenantId, crm, call.customerPhoneE164, id),
        },
        now,
      ),
      auditInsert(services.db, tenantId, { actor, action: 'sync.retry', target: id, details: { crm } }, now),
    ]);
    services.onEnqueued?.(waitUntilOf(c));
    return c.json({ queued: true, alreadyQueued: false, running: false }, 202);
  })
  .post(
    '/:id/sync/:crm/resolve',
    validate('param', params),
    validate('json', z.object({ note: z.string().trim().min(1, 'say what was done').max(2000) })),
    async (c) => {
      const { id, crm } = c.req.valid('param');
      const { note } = c.req.valid('json');
      const { auth, services } = c.var;
      const tenantId = auth.tenant.id;
      const ledger = new SyncLedger(services.db);
      const row = await ledger.get(tenantId, id, crm);
      if (!row) throw notFound(`${crm} sync of this call`);
      const now = services.clock.now();
      const actor = `key:${auth.keyId}`;
      await ledger.update(
        tenantId,
        id,
        crm,
        { status: 'resolved', resolvedNote: note, resolvedBy: actor, nextAttemptAt: null },
        now,
      );
      await auditInsert(
        services.db,
        tenantId,
        { actor, action: 'sync.resolve', target: id, details: { crm, note, previousStatus: row.status } },
        now,
      );
      return c.json({ crm, status: 'resolved', resolvedNote: note, resolvedBy: actor });
    },
  );

const statuses = ['pending', 'processing', 'synced', 'retrying', 'failed', 'dead', 'resolved'] as const;
const listQuery = z.object({
  /** Comma-separated; by default what needs a person: failed and dead. */
  status: z
    .string()
    .default('failed,dead')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(statuses)).min(1)),
  crm: CrmKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The dashboard's list of syncs that need a person (GET /v1/syncs), with Retry / Resolve beside each. */
export const syncs = new Hono<AppEnv>()
  .use('*', authenticate, requireRole('manager'))
  .get('/', validate('query', listQuery), async (c) => {
    const q = c.req.valid('query');
    const { auth, services } = c.var;
    const rows = await new SyncLedger(services.db).list(auth.tenant.id, {
      statuses: q.status,
      ...(q.crm ? { crm: q.crm } : {}),
      limit: q.limit,
    });
    return c.json({
      data: rows.map((r) => ({
        callId: r.callId,
        crm: r.crm,
        status: r.status,
        attempts: r.attempts,
        lastError: r.lastError,
        crmMessage: r.crmMessage,
        nextAttemptAt: r.nextAttemptAt === null ? null : new Date(r.nextAttemptAt).toISOString(),
        resolvedNote: r.resolvedNote,
        updatedAt: new Date(r.updatedAt).toISOString(),
      })),
    });
  });
