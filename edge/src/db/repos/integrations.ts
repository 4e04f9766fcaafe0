import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { integrations, webhookRejections } from '../schema';
import { newId } from '../../auth/digest';
import type { SecretBox } from '../../auth/secret-box';

export interface Integration {
  kind: string;
  secret: string;
  options: Record<string, unknown>;
  updatedAt: number;
}

export interface IntegrationSummary {
  kind: string;
  options: Record<string, unknown>;
  updatedAt: number;
  rejections: { reason: string; count: number; lastAt: number }[];
}

const context = (tenantId: string, kind: string) => `integration:${tenantId}:${kind}`;

export class IntegrationRepo {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  async set(tenantId: string, kind: string, secret: string, options: Record<string, unknown>, now: number) {
    const sealed = await this.secrets.seal(secret, context(tenantId, kind));
    await this.db
      .insert(integrations)
      .values({
        id: newId('int'),
        tenantId,
        kind,
        secretCiphertext: sealed,
        options,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [integrations.tenantId, integrations.kind],
        set: { secretCiphertext: sealed, options, updatedAt: now },
      });
  }

  async get(tenantId: string, kind: string): Promise<Integration | undefined> {
    const row = await this.db
      .select()
      .from(integrations)
      .where(and(eq(integrations.tenantId, tenantId), eq(integrations.kind, kind)))
      .get();
    if (!row) return undefined;
    return {
      kind: row.kind,
      secret: await this.secrets.open(row.secretCiphertext, context(tenantId, kind)),
      options: row.options,
      updatedAt: row.updatedAt,
    };
  }

  /** What an admin may see: never the secret. */
  async list(tenantId: string): Promise<IntegrationSummary[]> {
    const [rows, rejections] = await Promise.all([
      this.db.select().from(integrations).where(eq(integrations.tenantId, tenantId)).orderBy(integrations.kind),
      this.db.select().from(webhookRejections).where(eq(webhookRejections.tenantId, tenantId)),
    ]);
    return rows.map((r) => ({
      kind: r.kind,
      options: r.options,
      updatedAt: r.updatedAt,
      rejections: rejections
        .filter((x) => x.source === r.kind)
        .map((x) => ({ reason: x.reason, count: x.count, lastAt: x.lastAt })),
    }));
  }
}
