// A call's sync state per CRM as the API shows it, with the records the sync created or matched.
import { and, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../db/client';
import { jobs } from '../db/schema';
import { SyncLedger } from './ledger';
import { SYNC_CALL_JOB, syncJobPrefix } from './sync-call';
import type { StoredPlan } from './sync-plan';

export interface SyncStateView {
  crm: string;
  status: string;
  attempts: number;
  lastError: string | null;
  crmMessage: string | null;
  nextAttemptAt: string | null;
  resolvedNote: string | null;
  /** Why the plan is what it is (several matches, unknown agent, spam…). */
  reasons: string[];
  records: { step: string; type: string; id: string; url: string | null }[];
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The sync jobs still to run for a call and CRM (queued or running). */
export async function activeSyncJobs(db: Db, tenantId: string, callId: string, crm: string) {
  return db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.tenantId, tenantId),
        eq(jobs.kind, SYNC_CALL_JOB),
        like(jobs.dedupeKey, `${syncJobPrefix(callId, crm)}%`),
        inArray(jobs.status, ['queued', 'running']),
      ),
    );
}

export async function syncStatesOf(db: Db, tenantId: string, callIds: string[]): Promise<Map<string, SyncStateView[]>> {
  const ledger = new SyncLedger(db);
  const [rows, links] = await Promise.all([
    ledger.forCalls(tenantId, callIds),
    ledger.linksForCalls(tenantId, callIds),
  ]);
  const out = new Map<string, SyncStateView[]>(callIds.map((id) => [id, []]));
  for (const row of rows) {
    let nextAttemptAt = row.status === 'retrying' ? row.nextAttemptAt : null;
    if (row.status === 'retrying') {
      // The queue's own run time (backoff with jitter) is the truth; the row holds an estimate.
      const queued = (await activeSyncJobs(db, tenantId, row.callId, row.crm)).find((j) => j.status === 'queued');
      if (queued) nextAttemptAt = queued.runAt;
    }
    out.get(row.callId)?.push({
      crm: row.crm,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      crmMessage: row.crmMessage,
      nextAttemptAt: iso(nextAttemptAt),
      resolvedNote: row.resolvedNote,
      reasons: (row.plan as Partial<StoredPlan> | null)?.plan?.reasons ?? [],
      records: links
        .filter((l) => l.callId === row.callId && l.crm === row.crm)
        .map((l) => ({ step: l.step, type: l.objectType, id: l.crmId, url: l.url })),
    });
  }
  return out;
}
