import { eq, or } from 'drizzle-orm';
import type { Db } from '../client';
import { tenants } from '../schema';
import { newId, randomBytes, toHex } from '../../auth/digest';

export type Tenant = typeof tenants.$inferSelect;

/** `acme-roofing-3f9a0c1d7b2e`: readable, and unguessable enough to sit in webhook URLs. */
export function makeSlug(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return `${base || 'tenant'}-${toHex(randomBytes(6))}`;
}

// Tenants are the one table looked up without a tenant id: they are how a request finds it.
export class TenantRepo {
  /** Tenants found by slug, for webhook intake (a tenant's id and slug never change). */
  private readonly recent = new Map<string, { at: number; tenant: Tenant }>();

  constructor(private readonly db: Db) {}

  /** By slug, from a lookup at most `maxAgeMs` old; unknown slugs are always looked up. */
  async bySlugCached(slug: string, maxAgeMs: number, now = Date.now()): Promise<Tenant | undefined> {
    const hit = this.recent.get(slug);
    if (hit && now - hit.at <= maxAgeMs) return hit.tenant;
    const tenant = await this.bySlug(slug);
    if (this.recent.size > 10_000) this.recent.clear();
    if (tenant) this.recent.set(slug, { at: now, tenant });
    return tenant;
  }

  async create(input: { name: string; slug?: string; defaultCountry?: string }, now: number): Promise<Tenant> {
    const row: Tenant = {
      id: newId('ten'),
      slug: input.slug ?? makeSlug(input.name),
      name: input.name,
      defaultCountry: input.defaultCountry ?? 'US',
      createdAt: now,
    };
    await this.db.insert(tenants).values(row);
    return row;
  }

  async bySlug(slug: string): Promise<Tenant | undefined> {
    return this.db.select().from(tenants).where(eq(tenants.slug, slug)).get();
  }

  /** CallRail's configured URL names the tenant in `x-tenant-id`: id or slug both work. */
  async byIdOrSlug(value: string): Promise<Tenant | undefined> {
    return this.db
      .select()
      .from(tenants)
      .where(or(eq(tenants.id, value), eq(tenants.slug, value)))
      .get();
  }

  async byId(id: string): Promise<Tenant | undefined> {
    return this.db.select().from(tenants).where(eq(tenants.id, id)).get();
  }

  async list(): Promise<Tenant[]> {
    return this.db.select().from(tenants).orderBy(tenants.createdAt);
  }
}
