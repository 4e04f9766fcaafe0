// The floor under the ingest figures: how fast libSQL alone commits the rows one webhook makes
// (delivery, call, job) as one write transaction each, with nothing else in the process. The
// statements are built by the product's own query builders, so the SQL is the SQL ingest runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client, type InStatement, type InValue } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { derivedId, sha256Hex, utf8 } from '../../edge/src/auth/digest';
import { schema } from '../../edge/src/db/client';
import { migrate } from '../../edge/src/db/migrate';
import { CallRepo, callRowFromEvent } from '../../edge/src/db/repos/calls';
import { webhookDeliveries } from '../../edge/src/db/schema';
import { callIdFor, PROCESS_CALL_JOB } from '../../edge/src/ingest/ingest-webhook';
import { JobQueue } from '../../edge/src/jobs/queue';
import { sources, type WebhookRequest } from '../../edge/src/sources';
import { summarize, type LatencySummary } from './harness';

export interface RawInsertResult extends LatencySummary {
  ratePerSec: number;
  elapsedMs: number;
}

export interface RawDb {
  client: Client;
  tenantId: string;
  dir: string;
  close(): void;
}

/**
 * A fresh file database set up as edge/src/db/libsql.ts sets one up (WAL, busy_timeout 5000,
 * synchronous NORMAL unless told otherwise, foreign keys), migrated by edge/src/db/migrate.ts,
 * with one tenant for the rows to belong to.
 */
export async function openRawDb(options: { synchronous?: 'NORMAL' | 'FULL' } = {}): Promise<RawDb> {
  const dir = mkdtempSync(join(tmpdir(), 'callsight-raw-'));
  const client = createClient({ url: `file:${join(dir, 'raw.db')}` });
  await client.execute('PRAGMA journal_mode = WAL');
  await client.execute('PRAGMA busy_timeout = 5000');
  await client.execute(`PRAGMA synchronous = ${options.synchronous ?? 'NORMAL'}`);
  await client.execute('PRAGMA foreign_keys = ON');
  const db = drizzle(client, { schema });
  await migrate(db);
  const tenantId = 'ten_bench000000000000000000';
  await db.run(
    sql`INSERT INTO tenants (id, slug, name, default_country, created_at) VALUES (${tenantId}, 'bench', 'Bench', 'US', ${Date.now()})`,
  );
  return {
    client,
    tenantId,
    dir,
    close() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The three statements ingest batches for one signed CallRail delivery, as libSQL statements. */
export async function ingestStatements(
  raw: RawDb,
  body: string,
  headers: Record<string, string>,
  now: number,
): Promise<InStatement[]> {
  const db = drizzle(raw.client, { schema });
  const adapter = sources.callrail;
  const bytes = utf8(body);
  const req: WebhookRequest = {
    method: 'POST',
    body: bytes,
    text: body,
    headers: new Headers(headers),
    query: new URLSearchParams(),
  };
  const parsed = adapter.parse(req, { defaultCountry: 'US', options: {} });
  if (!parsed.ok) throw new Error(`sample did not parse: ${parsed.message}`);
  const event = parsed.event;
  const tenantId = raw.tenantId;
  const bodySha256 = await sha256Hex(bytes);
  const deliveryId = await derivedId('dlv', tenantId, 'callrail', bodySha256);
  const callId = await callIdFor(tenantId, 'callrail', event.sourceCallId);
  const contentHash = await sha256Hex(JSON.stringify(event));
  const kept: Record<string, string> = {};
  for (const name of adapter.keptHeaders) {
    const value = req.headers.get(name);
    if (value !== null) kept[name] = value.slice(0, 500);
  }
  const queries = [
    db
      .insert(webhookDeliveries)
      .values({
        id: deliveryId,
        tenantId,
        source: 'callrail',
        bodySha256,
        rawBody: body,
        contentType: req.headers.get('content-type'),
        headers: kept,
        receivedAt: now,
        lastSeenAt: now,
        eventType: event.eventType,
        callId,
        verdict: 'accepted',
      })
      .onConflictDoUpdate({
        target: webhookDeliveries.id,
        set: { duplicateCount: sql`${webhookDeliveries.duplicateCount} + 1`, lastSeenAt: now },
      })
      .returning({ duplicates: webhookDeliveries.duplicateCount }),
    new CallRepo(db).upsertStatement(callRowFromEvent(callId, tenantId, event, contentHash, now)),
    new JobQueue(db).enqueueStatement(
      { tenantId, kind: PROCESS_CALL_JOB, payload: { callId }, dedupeKey: `${PROCESS_CALL_JOB}:${deliveryId}` },
      now,
    ),
  ];
  return queries.map((q) => {
    const { sql: text, params } = q.toSQL();
    return { sql: text, args: params as InValue[] };
  });
}

/** Commits each statement group as one `batch(..., 'write')`, one after the other. */
export async function rawInsertRun(raw: RawDb, groups: readonly InStatement[][]): Promise<RawInsertResult> {
  const latencies: number[] = [];
  const started = performance.now();
  for (const group of groups) {
    const t = performance.now();
    await raw.client.batch([...group], 'write');
    latencies.push(performance.now() - t);
  }
  const elapsedMs = performance.now() - started;
  return {
    ratePerSec: Math.round((groups.length / elapsedMs) * 1000),
    elapsedMs: Math.round(elapsedMs),
    ...summarize(latencies),
  };
}
