// Direct reads of a server's libSQL file from the test process: what is committed, whatever the
// server answered.
import { createClient, type Client } from '@libsql/client';

/**
 * A client on a file database with the PRAGMAs the product sets (edge/src/db/libsql.ts).
 *
 * `concurrency: 1` by default: @libsql/client 0.18 keeps a pool of up to 20 connections per
 * client and opens a new one whenever two calls overlap, and a PRAGMA run through `execute`
 * reaches only the connection it ran on. One connection keeps every PRAGMA in force. Pass
 * `{ concurrency: undefined }` to get the product's own (pooled) setup.
 */
export async function openFileClient(
  dbPath: string,
  options: { concurrency?: number } = { concurrency: 1 },
): Promise<Client> {
  const client = createClient({
    url: `file:${dbPath}`,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute('PRAGMA busy_timeout = 5000');
  await client.execute('PRAGMA synchronous = NORMAL');
  await client.execute('PRAGMA foreign_keys = ON');
  return client;
}

export type JobCounts = Record<'queued' | 'running' | 'done' | 'dead', number>;

export async function jobCounts(client: Client, kind?: string): Promise<JobCounts> {
  const rs = await client.execute({
    sql: `SELECT status, count(*) AS n FROM jobs ${kind ? 'WHERE kind = ?' : ''} GROUP BY status`,
    args: kind ? [kind] : [],
  });
  const out: JobCounts = { queued: 0, running: 0, done: 0, dead: 0 };
  for (const row of rs.rows) out[String(row.status) as keyof JobCounts] = Number(row.n);
  return out;
}

export async function scalar(client: Client, sql: string, args: (string | number)[] = []): Promise<number> {
  const rs = await client.execute({ sql, args });
  return Number(rs.rows[0]?.[0] ?? 0);
}
