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
  /** Opened integrations by tenant and kind, for hot paths that may read a few seconds late. */
  private readonly recent = new Map<string, { at: number; value: Integration | undefined }>();

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** Disconnects: the sealed secret goes with the row. Returns whether there was one. */
  async remove(tenantId: string, kind: string): Promise<boolean> {
    this.recent.delete(`${tenantId}\u0000${kind}`);
    const rows = await this.db
      .delete(integrations)
      .where(and(eq(integrations.tenantId, tenantId), eq(integrations.kind, kind)))
      .returning({ id: integrations.id });
    return rows.length > 0;
  }

  async set(tenantId: string, kind: string, secret: string, options: Record<string, unknown>, now: number) {
    this.recent.delete(`${tenantId}\u0000${kind}`);
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

  /**
   * The integration, read at most `maxAgeMs` ago by this repository (0: from the database now).
   * Webhook intake reads through this so a delivery costs no query and no decryption; a change
   * made here is seen at once, one made by another process within `maxAgeMs`.
   */
  async get(tenantId: string, kind: string, maxAgeMs = 0, now = Date.now()): Promise<Integration | undefined> {
    const key = `${tenantId}\u0000${kind}`;
    const hit = this.recent.get(key);
    if (maxAgeMs > 0 && hit && now - hit.at <= maxAgeMs) return hit.value;
    const value = await this.read(tenantId, kind);
    if (this.recent.size > 10_000) this.recent.clear();
    this.recent.set(key, { at: now, value });
    return value;
  }

  private async read(tenantId: string, kind: string): Promise<Integration | undefined> {
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
