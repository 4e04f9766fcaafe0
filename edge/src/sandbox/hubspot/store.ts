// The sandbox's state on its own libSQL tables: records, the lagging search index, associations,
// owners and property definitions.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import {
  defaultGroups,
  defaultProperties,
  type PropertyDefinition,
  type PropertyGroupDefinition,
} from './property-catalog';
import {
  FIRST_OBJECT_ID,
  HUBSPOT_SANDBOX_DDL,
  hubspotAssociations,
  hubspotObjects,
  hubspotOwners,
  hubspotProperties,
  hubspotPropertyGroups,
  hubspotSearchIndex,
} from './tables';

/**
 * Where the sandbox keeps its state: a libSQL URL (`:memory:`, `file:…`), a libSQL client, or a
 * drizzle database over one (the product's own, for instance: the tables do not collide).
 */
// The schema type parameter varies by caller; the store only uses its own tables.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any drizzle schema is fine here
export type SandboxDatabase = string | Client | LibSQLDatabase<any>;

export interface StoredRecord {
  id: string;
  type: ObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface StoredAssociation {
  toType: ObjectType;
  toId: string;
  category: string;
  typeId: number;
}

export interface NewAssociation {
  fromType: ObjectType;
  toType: ObjectType;
  toId: string;
  typeId: number;
  inverseTypeId: number;
  category: string;
}

export interface StoredOwner {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  userId: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

type Row = typeof hubspotObjects.$inferSelect;
const toRecord = (r: Row): StoredRecord => ({
  id: String(r.id),
  type: r.objectType as ObjectType,
  properties: r.properties,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  archived: r.archived,
});

export class HubspotStore {
  private constructor(
    private readonly db: LibSQLDatabase,
    private readonly closeClient: (() => void) | null,
  ) {}

  static async open(database: SandboxDatabase): Promise<HubspotStore> {
    let db: LibSQLDatabase;
    let close: (() => void) | null = null;
    if (typeof database === 'string') {
      if (database.startsWith('file:')) {
        const path = database.slice('file:'.length);
        if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      }
      const client = createClient({ url: database });
      if (database.startsWith('file:')) {
        await client.execute('PRAGMA journal_mode = WAL');
        await client.execute('PRAGMA busy_timeout = 5000');
      }
      db = drizzle(client);
      close = () => client.close();
    } else if ('select' in database) {
      db = database as LibSQLDatabase;
    } else {
      db = drizzle(database);
    }
    for (const ddl of HUBSPOT_SANDBOX_DDL) await db.run(sql.raw(ddl));
    await db.run(
      sql`INSERT INTO sqlite_sequence (name, seq) SELECT 'hubspot_objects', ${FIRST_OBJECT_ID - 1}
          WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'hubspot_objects')`,
    );
    const store = new HubspotStore(db, close);
    await store.seedCatalog();
    return store;
  }

  close(): void {
    this.closeClient?.();
  }

  /** HubSpot-defined properties are rewritten at each start, so a kept file follows the code. */
  private async seedCatalog(): Promise<void> {
    for (const type of Object.keys(OBJECT_TYPES) as ObjectType[]) {
      for (const group of defaultGroups(type)) {
        await this.db
          .insert(hubspotPropertyGroups)
          .values({ objectType: type, name: group.name, definition: group })
          .onConflictDoNothing();
      }
      for (const def of defaultProperties(type)) {
        await this.db
          .insert(hubspotProperties)
          .values({ objectType: type, name: def.name, definition: def })
          .onConflictDoUpdate({
            target: [hubspotProperties.objectType, hubspotProperties.name],
            set: { definition: def },
          });
      }
    }
  }

  // --- records -------------------------------------------------------------------------------

  async createObject(
    type: ObjectType,
    properties: Record<string, string>,
    now: number,
    visibleAt: number,
    associations: NewAssociation[],
  ): Promise<StoredRecord> {
    const [row] = await this.db
      .insert(hubspotObjects)
      .values({ objectType: type, properties, createdAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error('insert returned no row');
    const id = row.id;
    await this.db.batch([
      this.db
        .insert(hubspotSearchIndex)
        .values({ objectId: id, objectType: type, properties, createdAt: now, updatedAt: now, visibleAt }),
      ...associations.flatMap((a) => [
        this.db
          .insert(hubspotAssociations)
          .values({
            fromType: type,
            fromId: id,
            toType: a.toType,
            toId: Number(a.toId),
            category: a.category,
            typeId: a.typeId,
          })
          .onConflictDoNothing(),
        this.db
          .insert(hubspotAssociations)
          .values({
            fromType: a.toType,
            fromId: Number(a.toId),
            toType: type,
            toId: id,
            category: a.category,
            typeId: a.inverseTypeId,
          })
          .onConflictDoNothing(),
      ]),
    ]);
    return toRecord(row);
  }

  async updateObject(
    record: StoredRecord,
    properties: Record<string, string>,
    now: number,
    visibleAt: number,
  ): Promise<StoredRecord> {
    const id = Number(record.id);
    await this.db.batch([
      this.db.update(hubspotObjects).set({ properties, updatedAt: now }).where(eq(hubspotObjects.id, id)),
      this.db.insert(hubspotSearchIndex).values({
        objectId: id,
        objectType: record.type,
        properties,
        createdAt: record.createdAt,
        updatedAt: now,
        visibleAt,
      }),
    ]);
    return { ...record, properties, updatedAt: now };
  }

  async getObject(type: ObjectType, id: string): Promise<StoredRecord | null> {
    if (!/^\d+$/.test(id)) return null;
    const [row] = await this.db
      .select()
      .from(hubspotObjects)
      .where(
        and(eq(hubspotObjects.objectType, type), eq(hubspotObjects.id, Number(id)), eq(hubspotObjects.archived, false)),
      );
    return row ? toRecord(row) : null;
  }

  async getObjects(type: ObjectType, ids: string[]): Promise<StoredRecord[]> {
    const numeric = ids.filter((id) => /^\d+$/.test(id)).map(Number);
    if (numeric.length === 0) return [];
    const rows = await this.db
      .select()
      .from(hubspotObjects)
      .where(
        and(
          eq(hubspotObjects.objectType, type),
          inArray(hubspotObjects.id, numeric),
          eq(hubspotObjects.archived, false),
        ),
      );
    return rows.map(toRecord);
  }

  async listObjects(type: ObjectType, afterId: number, limit: number): Promise<StoredRecord[]> {
    const rows = await this.db
      .select()
      .from(hubspotObjects)
      .where(
        and(eq(hubspotObjects.objectType, type), gt(hubspotObjects.id, afterId), eq(hubspotObjects.archived, false)),
      )
      .orderBy(asc(hubspotObjects.id))
      .limit(limit);
    return rows.map(toRecord);
  }

  /** Records whose property equals a value, case-insensitively (unique checks such as email). */
  async findByProperty(type: ObjectType, name: string, value: string): Promise<StoredRecord | null> {
    const [row] = await this.db
      .select()
      .from(hubspotObjects)
      .where(
        and(
          eq(hubspotObjects.objectType, type),
          eq(hubspotObjects.archived, false),
          sql`lower(json_extract(${hubspotObjects.properties}, ${`$.${name}`})) = ${value.toLowerCase()}`,
        ),
      )
      .limit(1);
    return row ? toRecord(row) : null;
  }

  /** What search sees at `now`: per record, the newest indexed version already visible. */
  async searchable(type: ObjectType, now: number): Promise<StoredRecord[]> {
    const rows = await this.db
      .select()
      .from(hubspotSearchIndex)
      .where(and(eq(hubspotSearchIndex.objectType, type), lte(hubspotSearchIndex.visibleAt, now)))
      .orderBy(asc(hubspotSearchIndex.visibleAt), asc(hubspotSearchIndex.seq));
    const latest = new Map<number, StoredRecord>();
    for (const r of rows) {
      latest.set(r.objectId, {
        id: String(r.objectId),
        type,
        properties: r.properties,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        archived: false,
      });
    }
    return [...latest.values()];
  }

  /** Makes every write searchable now: the admin "flush" for demos and tests. */
  async flushSearchIndex(now: number): Promise<void> {
    await this.db.update(hubspotSearchIndex).set({ visibleAt: now }).where(gt(hubspotSearchIndex.visibleAt, now));
  }

  // --- associations --------------------------------------------------------------------------

  async associations(fromType: ObjectType, fromId: string, toType?: ObjectType): Promise<StoredAssociation[]> {
    const rows = await this.db
      .select()
      .from(hubspotAssociations)
      .where(
        and(
          eq(hubspotAssociations.fromType, fromType),
          eq(hubspotAssociations.fromId, Number(fromId)),
          toType ? eq(hubspotAssociations.toType, toType) : undefined,
        ),
      )
      .orderBy(asc(hubspotAssociations.toId), asc(hubspotAssociations.typeId));
    return rows.map((r) => ({
      toType: r.toType as ObjectType,
      toId: String(r.toId),
      category: r.category,
      typeId: r.typeId,
    }));
  }

  // --- owners --------------------------------------------------------------------------------

  async upsertOwner(owner: StoredOwner): Promise<void> {
    await this.db
      .insert(hubspotOwners)
      .values(owner)
      .onConflictDoUpdate({
        target: hubspotOwners.id,
        set: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName, updatedAt: owner.updatedAt },
      });
  }

  async owners(filter: { email?: string; archived: boolean }): Promise<StoredOwner[]> {
    return this.db
      .select()
      .from(hubspotOwners)
      .where(
        and(
          eq(hubspotOwners.archived, filter.archived),
          filter.email ? sql`lower(${hubspotOwners.email}) = ${filter.email.toLowerCase()}` : undefined,
        ),
      )
      .orderBy(asc(hubspotOwners.id));
  }

  async owner(id: string): Promise<StoredOwner | null> {
    const [row] = await this.db.select().from(hubspotOwners).where(eq(hubspotOwners.id, id));
    return row ?? null;
  }

  // --- properties ----------------------------------------------------------------------------

  async properties(type: ObjectType): Promise<Map<string, PropertyDefinition>> {
    const rows = await this.db.select().from(hubspotProperties).where(eq(hubspotProperties.objectType, type));
    return new Map(rows.map((r) => [r.name, r.definition]));
  }

  async addProperty(type: ObjectType, def: PropertyDefinition): Promise<boolean> {
    const res = await this.db
      .insert(hubspotProperties)
      .values({ objectType: type, name: def.name, definition: def })
      .onConflictDoNothing()
      .returning({ name: hubspotProperties.name });
    return res.length > 0;
  }

  async groups(type: ObjectType): Promise<PropertyGroupDefinition[]> {
    const rows = await this.db.select().from(hubspotPropertyGroups).where(eq(hubspotPropertyGroups.objectType, type));
    return rows.map((r) => r.definition);
  }

  async addGroup(type: ObjectType, group: PropertyGroupDefinition): Promise<boolean> {
    const res = await this.db
      .insert(hubspotPropertyGroups)
      .values({ objectType: type, name: group.name, definition: group })
      .onConflictDoNothing()
      .returning({ name: hubspotPropertyGroups.name });
    return res.length > 0;
  }
}
