import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../context';
import { migrationStatus } from '../db/migrate';

export const health = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ ok: true }))
  /** Ready when the database answers and every migration is applied. */
  .get('/readyz', async (c) => {
    const { db } = c.get('services');
    try {
      await db.all(sql`SELECT 1`);
      const status = await migrationStatus(db);
      const ready = status.pending.length === 0;
      return c.json({ ready, database: 'ok', migrations: status }, ready ? 200 : 503);
    } catch (e) {
      return c.json({ ready: false, database: 'unreachable', error: e instanceof Error ? e.message : String(e) }, 503);
    }
  });
