import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Call, CallEvent, CallStatus } from '@callsight/shared';
import type { Db } from '../client';
import { calls, webhookDeliveries } from '../schema';

export type CallRow = typeof calls.$inferSelect;

export interface CallFilters {
  status?: string;
  source?: string;
  direction?: string;
  from?: number;
  to?: number;
  phone?: string;
  limit: number;
  cursor?: { sortAt: number; id: string };
}

// On conflict, values the new event does not carry keep what the call already had.
const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, calls.${column})`);

export function callRowFromEvent(
  id: string,
  tenantId: string,
  event: CallEvent,
  contentHash: string,
  now: number,
): typeof calls.$inferInsert {
  const startedAt = event.startedAt ? Date.parse(event.startedAt) : null;
  return {
    id,
    tenantId,
    source: event.source,
    sourceCallId: event.sourceCallId,
    status: 'pending',
    direction: event.direction,
    outcome: event.outcome,
    customerPhoneE164: event.customerPhone?.e164 ?? null,
    customerPhoneRaw: event.customerPhone?.raw ?? null,
    customerPhoneValid: event.customerPhone?.valid ?? null,
    customerPhoneCountry: event.customerPhone?.country ?? null,
    customerName: event.customerName,
    trackingNumberE164: event.trackingNumber?.e164 ?? null,
    trackingNumberRaw: event.trackingNumber?.raw ?? null,
    agentEmail: event.agent?.email ?? null,
    agentPhone: event.agent?.phone ?? null,
    agentName: event.agent?.name ?? null,
    startedAt,
    durationSeconds: event.durationSeconds,
    recordingUrl: event.recordingUrl,
    transcript: event.transcript,
    attribution: event.attribution,
    sourceAnalysis: event.sourceAnalysis,
    eventType: event.eventType,
    eventRank: event.eventRank,
    contentHash,
    sortAt: startedAt ?? now,
    createdAt: now,
    updatedAt: now,
  };
}

export class CallRepo {
  constructor(private readonly db: Db) {}

  /**
   * Insert the call, or fold a newer event into it. An identical event (same content hash) or an
   * older kind of event (a `call_started` after `call_ended`) changes nothing.
   */
  upsertStatement(row: typeof calls.$inferInsert) {
    return this.db
      .insert(calls)
      .values(row)
      .onConflictDoUpdate({
        target: [calls.tenantId, calls.source, calls.sourceCallId],
        set: {
          status: sql.raw(`'pending'`),
          direction: sql.raw('excluded.direction'),
          outcome: sql.raw('excluded.outcome'),
          customerPhoneE164: keep('customer_phone_e164'),
          customerPhoneRaw: keep('customer_phone_raw'),
          customerPhoneValid: keep('customer_phone_valid'),
          customerPhoneCountry: keep('customer_phone_country'),
          customerName: keep('customer_name'),
          trackingNumberE164: keep('tracking_number_e164'),
          trackingNumberRaw: keep('tracking_number_raw'),
          agentEmail: keep('agent_email'),
          agentPhone: keep('agent_phone'),
          agentName: keep('agent_name'),
          startedAt: keep('started_at'),
          durationSeconds: keep('duration_seconds'),
          recordingUrl: keep('recording_url'),
          transcript: keep('transcript'),
          attribution: sql.raw('excluded.attribution'),
          sourceAnalysis: keep('source_analysis'),
          eventType: sql.raw('excluded.event_type'),
          eventRank: sql.raw('excluded.event_rank'),
          contentHash: sql.raw('excluded.content_hash'),
          sortAt: sql.raw('coalesce(excluded.started_at, calls.sort_at)'),
          updatedAt: sql.raw('excluded.updated_at'),
        },
        setWhere: sql.raw('excluded.content_hash <> calls.content_hash AND excluded.event_rank >= calls.event_rank'),
      });
  }

  async get(tenantId: string, id: string): Promise<CallRow | undefined> {
    return this.db
      .select()
      .from(calls)
      .where(and(eq(calls.tenantId, tenantId), eq(calls.id, id)))
      .get();
  }

  async list(tenantId: string, f: CallFilters): Promise<CallRow[]> {
    const where: (SQL | undefined)[] = [eq(calls.tenantId, tenantId)];
    if (f.status) where.push(eq(calls.status, f.status));
    if (f.source) where.push(eq(calls.source, f.source));
    if (f.direction) where.push(eq(calls.direction, f.direction));
    if (f.from !== undefined) where.push(gte(calls.sortAt, f.from));
    if (f.to !== undefined) where.push(lte(calls.sortAt, f.to));
    if (f.phone) where.push(or(eq(calls.customerPhoneE164, f.phone), eq(calls.customerPhoneRaw, f.phone)));
    if (f.cursor) {
      const c = f.cursor;
      where.push(or(lt(calls.sortAt, c.sortAt), and(eq(calls.sortAt, c.sortAt), lt(calls.id, c.id))));
    }
    return this.db
      .select()
      .from(calls)
      .where(and(...where))
      .orderBy(desc(calls.sortAt), desc(calls.id))
      .limit(f.limit);
  }

  async events(tenantId: string, callId: string) {
    return this.db
      .select({
        id: webhookDeliveries.id,
        eventType: webhookDeliveries.eventType,
        receivedAt: webhookDeliveries.receivedAt,
        duplicates: webhookDeliveries.duplicateCount,
      })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.callId, callId)))
      .orderBy(webhookDeliveries.receivedAt);
  }

  /** Calls from the same number before this one: is this a first call, and how many came before. */
  async priorCallCount(tenantId: string, call: CallRow): Promise<number> {
    if (!call.customerPhoneE164) return 0;
    const row = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(calls)
      .where(
        and(
          eq(calls.tenantId, tenantId),
          eq(calls.customerPhoneE164, call.customerPhoneE164),
          or(lt(calls.sortAt, call.sortAt), and(eq(calls.sortAt, call.sortAt), lt(calls.id, call.id))),
        ),
      )
      .get();
    return Number(row?.n ?? 0);
  }

  async setTranscript(tenantId: string, id: string, transcript: string, now: number): Promise<void> {
    await this.db
      .update(calls)
      .set({ transcript, updatedAt: now })
      .where(and(eq(calls.tenantId, tenantId), eq(calls.id, id)));
  }

  async markReceived(tenantId: string, id: string, priorCalls: number, now: number): Promise<void> {
    await this.db
      .update(calls)
      .set({
        status: sql`CASE WHEN ${calls.status} = 'pending' THEN 'received' ELSE ${calls.status} END`,
        priorCalls,
        firstCall: priorCalls === 0,
        updatedAt: now,
      })
      .where(and(eq(calls.tenantId, tenantId), eq(calls.id, id)));
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function callToApi(row: CallRow): Call {
  const phoneOf = (e164: string | null, raw: string | null, valid: boolean | null, country: string | null) =>
    raw === null && e164 === null ? null : { e164, raw: raw ?? e164 ?? '', valid: valid ?? false, country };
  const a = row.attribution;
  return {
    id: row.id,
    source: row.source as Call['source'],
    sourceCallId: row.sourceCallId,
    status: row.status as CallStatus,
    direction: row.direction as Call['direction'],
    outcome: row.outcome as Call['outcome'],
    customerPhone: phoneOf(
      row.customerPhoneE164,
      row.customerPhoneRaw,
      row.customerPhoneValid,
      row.customerPhoneCountry,
    ),
    customerName: row.customerName,
    trackingNumber: phoneOf(row.trackingNumberE164, row.trackingNumberRaw, row.trackingNumberE164 !== null, null),
    agent:
      row.agentEmail || row.agentPhone || row.agentName
        ? { email: row.agentEmail, phone: row.agentPhone, name: row.agentName }
        : null,
    startedAt: iso(row.startedAt),
    durationSeconds: row.durationSeconds,
    recordingUrl: row.recordingUrl,
    transcript: row.transcript,
    attribution: {
      utmSource: a.utmSource ?? null,
      utmMedium: a.utmMedium ?? null,
      utmCampaign: a.utmCampaign ?? null,
      utmTerm: a.utmTerm ?? null,
      utmContent: a.utmContent ?? null,
      gclid: a.gclid ?? null,
      landingPage: a.landingPage ?? null,
      referrer: a.referrer ?? null,
      campaign: a.campaign ?? null,
      sourceName: a.sourceName ?? null,
    },
    sourceAnalysis: row.sourceAnalysis ?? null,
    firstCall: row.firstCall,
    priorCalls: row.priorCalls,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
