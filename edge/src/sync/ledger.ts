// The sync tables behind one repository: the per-CRM sync state of a call, the ledger of what a
// sync created, and the phone → contact cache. Every query takes the tenant id.
import { and, desc, eq, gte, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { crmLinks, crmPhoneCache, crmSyncs } from '../db/schema';

export type CrmSyncRow = typeof crmSyncs.$inferSelect;
export type CrmSyncStatus = CrmSyncRow['status'];
export type CrmLinkRow = typeof crmLinks.$inferSelect;
export type PhoneCacheRow = typeof crmPhoneCache.$inferSelect;

export interface LinkInput {
  step: string;
  objectType: string;
  crmId: string;
  url: string | null;
}

export class SyncLedger {
  constructor(private readonly db: Db) {}

  /** A new analysis (or the first) wants this call in this CRM: pending unless a run is under way. */
  markPendingStatement(tenantId: string, callId: string, crm: string, now: number) {
    return this.db
      .insert(crmSyncs)
      .values({ tenantId, callId, crm, status: 'pending', attempts: 0, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [crmSyncs.tenantId, crmSyncs.callId, crmSyncs.crm],
        set: { status: 'pending', nextAttemptAt: null, updatedAt: now },
        setWhere: sql`${crmSyncs.status} <> 'processing'`,
      });
  }

  async get(tenantId: string, callId: string, crm: string): Promise<CrmSyncRow | undefined> {
    return this.db
      .select()
      .from(crmSyncs)
      .where(and(eq(crmSyncs.tenantId, tenantId), eq(crmSyncs.callId, callId), eq(crmSyncs.crm, crm)))
      .get();
  }

  async forCalls(tenantId: string, callIds: string[]): Promise<CrmSyncRow[]> {
    if (callIds.length === 0) return [];
    return this.db
      .select()
      .from(crmSyncs)
      .where(and(eq(crmSyncs.tenantId, tenantId), inArray(crmSyncs.callId, callIds)))
      .orderBy(crmSyncs.callId, crmSyncs.crm);
  }

  /** The manager's work list: syncs in the given states, most recently changed first. */
  async list(tenantId: string, f: { statuses: CrmSyncStatus[]; crm?: string; limit: number }): Promise<CrmSyncRow[]> {
    return this.db
      .select()
      .from(crmSyncs)
      .where(
        and(
          eq(crmSyncs.tenantId, tenantId),
          inArray(crmSyncs.status, f.statuses),
          f.crm === undefined ? undefined : eq(crmSyncs.crm, f.crm),
        ),
      )
      .orderBy(desc(crmSyncs.updatedAt))
      .limit(f.limit);
  }

  async update(
    tenantId: string,
    callId: string,
    crm: string,
    patch: Partial<Omit<CrmSyncRow, 'tenantId' | 'callId' | 'crm' | 'createdAt'>>,
    now: number,
  ): Promise<void> {
    await this.db
      .insert(crmSyncs)
      .values({ tenantId, callId, crm, status: 'pending', attempts: 0, createdAt: now, ...patch, updatedAt: now })
      .onConflictDoUpdate({
        target: [crmSyncs.tenantId, crmSyncs.callId, crmSyncs.crm],
        set: { ...patch, updatedAt: now },
      });
  }

  /**
   * A person asks for another attempt: only one press flips the row back to pending, so two
   * presses (or a press while the job runs) enqueue once. Returns whether this press won.
   */
  async revive(tenantId: string, callId: string, crm: string, now: number): Promise<boolean> {
    const existing = await this.get(tenantId, callId, crm);
    if (!existing) {
      const rows = await this.db
        .insert(crmSyncs)
        .values({ tenantId, callId, crm, status: 'pending', attempts: 0, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning({ callId: crmSyncs.callId });
      return rows.length === 1;
    }
    const rows = await this.db
      .update(crmSyncs)
      .set({ status: 'pending', nextAttemptAt: null, resolvedNote: null, resolvedBy: null, updatedAt: now })
      .where(
        and(
          eq(crmSyncs.tenantId, tenantId),
          eq(crmSyncs.callId, callId),
          eq(crmSyncs.crm, crm),
          notInArray(crmSyncs.status, ['pending', 'processing']),
        ),
      )
      .returning({ callId: crmSyncs.callId });
    return rows.length === 1;
  }

  async links(tenantId: string, callId: string, crm?: string): Promise<CrmLinkRow[]> {
    return this.db
      .select()
      .from(crmLinks)
      .where(
        and(
          eq(crmLinks.tenantId, tenantId),
          eq(crmLinks.callId, callId),
          crm === undefined ? undefined : eq(crmLinks.crm, crm),
        ),
      )
      .orderBy(crmLinks.createdAt);
  }

  async linksForCalls(tenantId: string, callIds: string[]): Promise<CrmLinkRow[]> {
    if (callIds.length === 0) return [];
    return this.db
      .select()
      .from(crmLinks)
      .where(and(eq(crmLinks.tenantId, tenantId), inArray(crmLinks.callId, callIds)))
      .orderBy(crmLinks.createdAt);
  }

  /** The calls whose sync created or matched this CRM record. */
  async callsLinkedTo(tenantId: string, crm: string, crmId: string): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ callId: crmLinks.callId })
      .from(crmLinks)
      .where(and(eq(crmLinks.tenantId, tenantId), eq(crmLinks.crm, crm), eq(crmLinks.crmId, crmId)));
    return rows.map((r) => r.callId);
  }

  /** The newest deal a sync of this tenant used for this contact since `since`, if any. */
  async recentDeal(tenantId: string, crm: string, contactId: string, since: number): Promise<CrmLinkRow | undefined> {
    const callsOfContact = this.db
      .select({ callId: crmLinks.callId })
      .from(crmLinks)
      .where(
        and(
          eq(crmLinks.tenantId, tenantId),
          eq(crmLinks.crm, crm),
          eq(crmLinks.crmId, contactId),
          eq(crmLinks.step, 'contact'),
        ),
      );
    return this.db
      .select()
      .from(crmLinks)
      .where(
        and(
          eq(crmLinks.tenantId, tenantId),
          eq(crmLinks.crm, crm),
          eq(crmLinks.step, 'deal'),
          gte(crmLinks.createdAt, since),
          inArray(crmLinks.callId, callsOfContact),
        ),
      )
      .orderBy(desc(crmLinks.createdAt))
      .limit(1)
      .get();
  }

  /** The record link a sync stored for this CRM record, if any sync has. */
  async urlOf(tenantId: string, crm: string, crmId: string): Promise<string | null> {
    const row = await this.db
      .select({ url: crmLinks.url })
      .from(crmLinks)
      .where(and(eq(crmLinks.tenantId, tenantId), eq(crmLinks.crm, crm), eq(crmLinks.crmId, crmId)))
      .limit(1)
      .get();
    return row?.url ?? null;
  }

  /** Written before the next step runs: the first writer wins, so a retry never records twice. */
  async link(tenantId: string, callId: string, crm: string, link: LinkInput, now: number): Promise<void> {
    await this.db
      .insert(crmLinks)
      .values({ tenantId, callId, crm, ...link, createdAt: now })
      .onConflictDoNothing();
  }

  async cachedContact(tenantId: string, crm: string, e164: string): Promise<PhoneCacheRow | undefined> {
    return this.db
      .select()
      .from(crmPhoneCache)
      .where(and(eq(crmPhoneCache.tenantId, tenantId), eq(crmPhoneCache.crm, crm), eq(crmPhoneCache.e164, e164)))
      .get();
  }

  async phonesOf(tenantId: string, crm: string, contactId: string): Promise<string[]> {
    const rows = await this.db
      .select({ e164: crmPhoneCache.e164 })
      .from(crmPhoneCache)
      .where(
        and(eq(crmPhoneCache.tenantId, tenantId), eq(crmPhoneCache.crm, crm), eq(crmPhoneCache.contactId, contactId)),
      );
    return rows.map((r) => r.e164);
  }

  async cacheContact(
    tenantId: string,
    crm: string,
    e164: string,
    contact: { id: string; type: string; ownerId: string | null },
    now: number,
  ): Promise<void> {
    const values = { contactId: contact.id, objectType: contact.type, ownerId: contact.ownerId, updatedAt: now };
    await this.db
      .insert(crmPhoneCache)
      .values({ tenantId, crm, e164, ...values })
      .onConflictDoUpdate({ target: [crmPhoneCache.tenantId, crmPhoneCache.crm, crmPhoneCache.e164], set: values });
  }

  async forgetContact(tenantId: string, crm: string, e164: string): Promise<void> {
    await this.db
      .delete(crmPhoneCache)
      .where(and(eq(crmPhoneCache.tenantId, tenantId), eq(crmPhoneCache.crm, crm), eq(crmPhoneCache.e164, e164)));
  }
}
