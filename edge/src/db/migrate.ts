import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { migrations } from './migrations.gen';

// The same bookkeeping table drizzle's migrator keeps, so `drizzle-kit migrate` and this agree.
const createTable = sql`CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
  id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`;

export interface MigrationStatus {
  applied: number;
  pending: string[];
}

async function lastAppliedAt(db: Db): Promise<number | null> {
  // db.all, not db.get: drizzle's libSQL get() throws on an empty result.
  const [row] = await db.all<{ created_at: number }>(
    sql`SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`,
  );
  return row ? Number(row.created_at) : null;
}

export async function migrationStatus(db: Db): Promise<MigrationStatus> {
  const [exists] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`,
  );
  const last = exists && Number(exists.n) > 0 ? await lastAppliedAt(db) : null;
  const pending = migrations.filter((m) => last === null || m.when > last).map((m) => m.tag);
  return { applied: migrations.length - pending.length, pending };
}

/** Applies every pending migration, each in one batch with its bookkeeping row. */
export async function migrate(db: Db): Promise<string[]> {
  await db.run(createTable);
  const last = await lastAppliedAt(db);
  const applied: string[] = [];
  for (const m of migrations) {
    if (last !== null && m.when <= last) continue;
    const [first, ...rest] = m.statements.map((s) => db.run(sql.raw(s)));
    // Inlined rather than bound: the values are ours (a hex digest and a number), and drizzle's
    // D1 driver cannot bind parameters of a raw statement inside a batch (drizzle-orm#2277).
    if (!/^[0-9a-f]{64}$/.test(m.hash) || !Number.isInteger(m.when)) throw new Error(`bad migration ${m.tag}`);
    const record = db.run(
      sql.raw(`INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES ('${m.hash}', ${m.when})`),
    );
    await db.batch(first ? [first, ...rest, record] : [record]);
    applied.push(m.tag);
  }
  return applied;
}
