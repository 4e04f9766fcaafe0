import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { schema, type Db } from './client';

export interface LibsqlDbHandle {
  db: Db;
  close(): void;
}

const PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA busy_timeout = 5000', 'PRAGMA synchronous = NORMAL'];

function isBusy(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${String((e as { code?: unknown }).code ?? '')}` : String(e);
  return /SQLITE_BUSY|database is locked/i.test(text);
}

/**
 * After one SQLITE_BUSY, @libsql/client 0.18 leaves the connection unable to commit ("cannot
 * commit transaction - SQL statements in progress") until it is reopened
 * (tursodatabase/libsql-client-ts#352). The error still reaches the caller (the job retries, the
 * webhook gets its answer); the connection is reopened, with its PRAGMAs, for the next one.
 */
export function reopenAfterBusy(client: Client, reapply: () => Promise<void>): Client {
  const guarded = new Set<PropertyKey>(['execute', 'batch', 'executeMultiple', 'migrate']);
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (!guarded.has(prop)) return value.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (e) {
          if (isBusy(e)) {
            await target.reconnect();
            await reapply();
          }
          throw e;
        }
      };
    },
  });
}

/**
 * Opens libSQL on Node: a `file:` database (the embedded default) or a Turso / sqld URL.
 * Local files use WAL so the CLI and the server can share one database while it runs.
 */
export async function openLibsqlDb(url: string, authToken?: string): Promise<LibsqlDbHandle> {
  const file = url.startsWith('file:');
  // One connection for a local file: the client would otherwise open a pool, and the PRAGMAs
  // (busy_timeout above all) reach only the connection they run on. SQLite calls are
  // synchronous here anyway; we use batches, never interactive transactions.
  const raw = createClient({ url, ...(authToken ? { authToken } : {}), ...(file ? { concurrency: 1 } : {}) });
  const apply = async () => {
    for (const pragma of file ? PRAGMAS : []) await raw.execute(pragma);
    await raw.execute('PRAGMA foreign_keys = ON');
  };
  await apply();
  const client = file ? reopenAfterBusy(raw, apply) : raw;
  return { db: drizzle(client, { schema }), close: () => raw.close() };
}
