import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { schema, type Db } from './client';

export interface LibsqlDbHandle {
  db: Db;
  close(): void;
}

/**
 * Opens libSQL on Node: a `file:` database (the embedded default) or a Turso / sqld URL.
 * Local files use WAL so the CLI and the server can share one database while it runs.
 */
export async function openLibsqlDb(url: string, authToken?: string): Promise<LibsqlDbHandle> {
  // One connection for a local file: the client would otherwise open a pool, and the PRAGMAs
  // below (busy_timeout above all) reach only the connection they run on. SQLite calls are
  // synchronous here anyway; we use batches, never interactive transactions.
  const client = createClient({
    url,
    ...(authToken ? { authToken } : {}),
    ...(url.startsWith('file:') ? { concurrency: 1 } : {}),
  });
  if (url.startsWith('file:')) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  return { db: drizzle(client, { schema }), close: () => client.close() };
}
