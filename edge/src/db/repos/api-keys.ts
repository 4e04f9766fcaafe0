import { and, eq, isNull } from 'drizzle-orm';
import type { Role } from '@callsight/shared';
import type { Db } from '../client';
import { apiKeys, tenants } from '../schema';
import { newId, randomBytes, sha256Hex, toBase64Url } from '../../auth/digest';
import type { Tenant } from './tenants';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface IssuedKey {
  id: string;
  /** The whole key: shown once, never stored. */
  key: string;
  role: Role;
}

export interface KeyOwner {
  keyId: string;
  role: Role;
  tenant: Tenant;
}

export class ApiKeyRepo {
  constructor(private readonly db: Db) {}

  async issue(tenantId: string, role: Role, name: string, now: number): Promise<IssuedKey> {
    const key = `csk_${toBase64Url(randomBytes(32))}`;
    const id = newId('key');
    await this.db.insert(apiKeys).values({
      id,
      tenantId,
      name,
      role,
      keyHash: await sha256Hex(key),
      prefix: key.slice(0, 10),
      createdAt: now,
    });
    return { id, key, role };
  }

  /**
   * Finds who holds a presented key. The hash is the lookup: this is the only key query without
   * a tenant id, because the key is how the tenant is known.
   */
  async authenticate(presented: string): Promise<KeyOwner | undefined> {
    if (!presented.startsWith('csk_')) return undefined;
    const row = await this.db
      .select({ key: apiKeys, tenant: tenants })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .where(and(eq(apiKeys.keyHash, await sha256Hex(presented)), isNull(apiKeys.revokedAt)))
      .get();
    return row ? { keyId: row.key.id, role: row.key.role, tenant: row.tenant } : undefined;
  }

  /** Written at most once a minute per key, so reads do not turn into writes. */
  async touch(tenantId: string, keyId: string, now: number, lastUsedAt: number | null): Promise<void> {
    if (lastUsedAt !== null && now - lastUsedAt < 60_000) return;
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
  }

  async revoke(tenantId: string, keyId: string, now: number): Promise<boolean> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }
}
