import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Analysis } from '@callsight/shared';
import type { Db } from '../client';
import { analyses, calls } from '../schema';
import { newId } from '../../auth/digest';

export type AnalysisRow = typeof analyses.$inferSelect;

export interface AnalysisMeta {
  extractor: string;
  extractorVersion: string;
  model: string | null;
  latencyMs: number;
  inputHash: string;
}

/** The analysis as the API shows it: the result plus how it was made. */
export function analysisToApi(row: AnalysisRow) {
  return {
    ...(row.result as Analysis),
    version: row.version,
    model: row.model,
    latencyMs: row.latencyMs,
    analyzedAt: new Date(row.createdAt).toISOString(),
  };
}

export class AnalysisRepo {
  constructor(private readonly db: Db) {}

  async latest(tenantId: string, callId: string): Promise<AnalysisRow | undefined> {
    const [row] = await this.db
      .select()
      .from(analyses)
      .where(and(eq(analyses.tenantId, tenantId), eq(analyses.callId, callId)))
      .orderBy(desc(analyses.version))
      .limit(1);
    return row;
  }

  /** The newest analysis of each call on a page, in one query. */
  async latestFor(tenantId: string, callIds: string[]): Promise<Map<string, AnalysisRow>> {
    if (callIds.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(analyses)
      .where(
        and(
          eq(analyses.tenantId, tenantId),
          inArray(analyses.callId, callIds),
          eq(
            analyses.version,
            sql`(SELECT max(a2.version) FROM analyses a2 WHERE a2.tenant_id = ${analyses.tenantId} AND a2.call_id = ${analyses.callId})`,
          ),
        ),
      );
    return new Map(rows.map((r) => [r.callId, r]));
  }

  /**
   * Stores a new version and copies its headline onto the call, in one batch. The version is
   * computed in SQL and guarded by a unique index, so two runners cannot write the same one.
   */
  async save(tenantId: string, callId: string, analysis: Analysis, meta: AnalysisMeta, now: number): Promise<void> {
    await this.db.batch([
      this.db.insert(analyses).values({
        id: newId('ana'),
        tenantId,
        callId,
        version: sql`(SELECT coalesce(max(version), 0) + 1 FROM analyses WHERE tenant_id = ${tenantId} AND call_id = ${callId})`,
        extractor: meta.extractor,
        extractorVersion: meta.extractorVersion,
        model: meta.model,
        latencyMs: meta.latencyMs,
        inputHash: meta.inputHash,
        result: analysis as unknown as Record<string, unknown>,
        createdAt: now,
      }),
      this.db
        .update(calls)
        .set({
          status: 'analyzed',
          leadScore: analysis.leadScore,
          band: analysis.band,
          intent: analysis.intent,
          disposition: analysis.disposition,
          analyzedAt: now,
          updatedAt: now,
        })
        .where(and(eq(calls.tenantId, tenantId), eq(calls.id, callId))),
    ]);
  }
}
