// After an analysis is stored: one `sync_call` job per CRM the tenant connected. The dedupe key
// carries the analysis version, so a redelivered webhook adds nothing and a new analysis syncs again.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calls, integrations } from '../db/schema';
import { JobQueue } from '../jobs/queue';
import { crmKinds } from '../crm/connection';
import type { CrmKind } from '../crm/port';
import { SyncLedger } from './ledger';
import { SYNC_CALL_JOB, syncJobPrefix, syncLane } from './sync-call';

export async function connectedCrms(db: Db, tenantId: string): Promise<CrmKind[]> {
  const rows = await db
    .select({ kind: integrations.kind })
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenantId), inArray(integrations.kind, [...crmKinds])))
    .orderBy(integrations.kind);
  return rows.map((r) => r.kind as CrmKind);
}

export async function enqueueSyncs(
  db: Db,
  tenantId: string,
  callId: string,
  analysisVersion: number | null,
  now: number,
): Promise<CrmKind[]> {
  const queue = new JobQueue(db);
  const ledger = new SyncLedger(db);
  const call = await db
    .select({ phone: calls.customerPhoneE164 })
    .from(calls)
    .where(and(eq(calls.tenantId, tenantId), eq(calls.id, callId)))
    .get();
  const keyOf = (crm: CrmKind) => `${syncJobPrefix(callId, crm)}v${analysisVersion ?? 0}`;
  const crms: CrmKind[] = [];
  // Already enqueued for this version: leave its sync state alone (it may be synced already).
  for (const crm of await connectedCrms(db, tenantId)) {
    if (!(await queue.byDedupeKey(tenantId, keyOf(crm)))) crms.push(crm);
  }
  const [first, ...rest] = crms.flatMap((crm) => [
    ledger.markPendingStatement(tenantId, callId, crm, now),
    queue.enqueueStatement(
      {
        tenantId,
        kind: SYNC_CALL_JOB,
        payload: { callId, crm, analysisVersion },
        dedupeKey: keyOf(crm),
        lane: syncLane(tenantId, crm, call?.phone ?? null, callId),
      },
      now,
    ),
  ]);
  if (first) await db.batch([first, ...rest]);
  return crms;
}
