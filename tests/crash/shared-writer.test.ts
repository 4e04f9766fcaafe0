// The database file is shared: DESIGN.md and edge/src/db/libsql.ts say the CLI and the server use
// one libSQL file at once (WAL), and the job queue is built for two Node processes on one
// database. A write from another process holds SQLite's write lock for a moment; the server's
// own writes should wait for it (PRAGMA busy_timeout = 5000) instead of failing.
//
// @libsql/client 0.18 keeps a pool of connections per client and the PRAGMAs reach only one of
// them; edge/src/db/libsql.ts therefore opens file databases with a single connection. Before
// that, a webhook meeting another process's write lock failed at once with SQLITE_BUSY (a 500).
import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileClient } from '../support/db';
import { HttpClient } from '../support/http';
import { killAllServers, ServerProcess } from '../support/server-process';
import { callrailPath, signedCallrailWebhooks } from '../support/webhooks';

let server: ServerProcess | undefined;
let db: Client | undefined;

beforeAll(async () => {
  server = await ServerProcess.start();
  db = await openFileClient(server.dbPath);
});

afterAll(async () => {
  db?.close();
  await server?.cleanup();
  await killAllServers();
});

describe('a second writer on the database file', () => {
  it('makes concurrent webhooks wait for its write lock, not fail with 500', async () => {
    if (!server || !db) throw new Error('server did not start');
    const demo = server.requireDemo();
    const path = callrailPath(demo.slug);
    const hooks = await signedCallrailWebhooks(demo.secrets.callrail, 96, { firstId: 720_000_000 });
    const http = new HttpClient(server.url, { maxSockets: 32 });
    try {
      // Concurrent traffic first, as any busy server sees.
      const warm = await Promise.all(hooks.slice(0, 64).map((h) => http.post(path, h.body, h.headers)));
      expect(warm.map((r) => r.status).filter((s) => s !== 202)).toEqual([]);

      // Another process (here: this test, as the CLI would) writes for 250 ms.
      const tx = await db.transaction('write');
      const during = hooks.slice(64).map((h) => http.post(path, h.body, h.headers));
      await new Promise((resolve) => setTimeout(resolve, 250));
      await tx.rollback();
      tx.close();
      const statuses = (await Promise.all(during)).map((r) => r.status);
      const busy = server.problems().filter((p) => String(p.error).includes('SQLITE_BUSY')).length;
      expect({ statuses: statuses.filter((s) => s !== 202), busy }).toEqual({ statuses: [], busy: 0 });
    } finally {
      http.close();
    }
  });
});
