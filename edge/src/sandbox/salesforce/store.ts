import type { Client, InValue } from '@libsql/client';
import type { Clock } from '../../clock';
import { recordId } from './ids';
import type { FieldValue, SObjectType } from './objects';
import { SerialQueue } from '../serial';

// The sandbox org's state in its own libSQL database: records as JSON documents (a real org's
// schema is metadata, not tables), sessions, and API usage per minute for the rolling 24 h
// allocation. Writes go through `exclusive` so check-then-insert (unique external ids) cannot race.

const DDL = `
CREATE TABLE IF NOT EXISTS sf_records (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  indexed_phones TEXT NOT NULL DEFAULT '[]',
  pending_phones TEXT,
  index_due_at INTEGER
);
CREATE INDEX IF NOT EXISTS sf_records_by_type ON sf_records (type, modified_at);
CREATE TABLE IF NOT EXISTS sf_sequences (key_prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sf_sessions (
  token TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sf_api_usage (minute INTEGER PRIMARY KEY, requests INTEGER NOT NULL);
`;

const DAY_MINUTES = 24 * 60;

export interface StoredRecord {
  id: string;
  type: SObjectType;
  fields: Record<string, FieldValue>;
  createdAt: number;
  modifiedAt: number;
  /** Phone values SOSL can see right now: the search index lags behind writes. */
  searchablePhones: string[];
}

export interface Session {
  token: string;
  clientId: string;
  userId: string;
  expiresAt: number;
}

export class SalesforceStore {
  private readonly serial = new SerialQueue();

  constructor(
    private readonly db: Client,
    private readonly clock: Clock,
    private readonly searchLagMs: number,
  ) {}

  async init(): Promise<void> {
    await this.db.executeMultiple(DDL);
  }

  /** Runs `work` alone: the sandbox's stand-in for a database transaction around a DML call. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.serial.run(work);
  }

  async insert(type: SObjectType, keyPrefix: string, fields: Record<string, FieldValue>, phones: string[]) {
    const seq = await this.db.execute({
      sql: `INSERT INTO sf_sequences (key_prefix, last) VALUES (?, 1)
            ON CONFLICT (key_prefix) DO UPDATE SET last = last + 1 RETURNING last`,
      args: [keyPrefix],
    });
    const id = recordId(keyPrefix, Number(seq.rows[0]?.last ?? 1));
    const now = this.clock.now();
    await this.db.execute({
      sql: `INSERT INTO sf_records (id, type, fields, created_at, modified_at, indexed_phones, pending_phones, index_due_at)
            VALUES (?, ?, ?, ?, ?, '[]', ?, ?)`,
      args: [id, type, JSON.stringify(fields), now, now, JSON.stringify(phones), now + this.searchLagMs],
    });
    return id;
  }

  /** Replaces a record's fields; a phone change reaches the search index only after the lag. */
  async update(record: StoredRecord, fields: Record<string, FieldValue>, phones: string[]): Promise<void> {
    const now = this.clock.now();
    await this.db.execute({
      sql: `UPDATE sf_records SET fields = ?, modified_at = ?, indexed_phones = ?, pending_phones = ?, index_due_at = ?
            WHERE id = ?`,
      args: [
        JSON.stringify(fields),
        now,
        JSON.stringify(record.searchablePhones),
        JSON.stringify(phones),
        now + this.searchLagMs,
        record.id,
      ],
    });
  }

  async get(id: string): Promise<StoredRecord | null> {
    const rows = await this.select('WHERE id = ?', [id]);
    return rows[0] ?? null;
  }

  async list(type: SObjectType): Promise<StoredRecord[]> {
    return this.select('WHERE type = ? ORDER BY modified_at DESC, id DESC', [type]);
  }

  async createSession(session: Session & { issuedAt: number }): Promise<void> {
    await this.db.execute({
      sql: 'INSERT INTO sf_sessions (token, client_id, user_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      args: [session.token, session.clientId, session.userId, session.issuedAt, session.expiresAt],
    });
  }

  async findSession(token: string): Promise<Session | null> {
    const { rows } = await this.db.execute({
      sql: 'SELECT token, client_id, user_id, expires_at FROM sf_sessions WHERE token = ? AND expires_at > ?',
      args: [token, this.clock.now()],
    });
    const row = rows[0];
    return row
      ? {
          token: String(row.token),
          clientId: String(row.client_id),
          userId: String(row.user_id),
          expiresAt: Number(row.expires_at),
        }
      : null;
  }

  async expireSessions(): Promise<void> {
    await this.db.execute('DELETE FROM sf_sessions');
  }

  /** API requests in the rolling 24 hours that end now. */
  async apiUsage(): Promise<number> {
    const { rows } = await this.db.execute({
      sql: 'SELECT COALESCE(SUM(requests), 0) AS used FROM sf_api_usage WHERE minute > ?',
      args: [this.minute() - DAY_MINUTES],
    });
    return Number(rows[0]?.used ?? 0);
  }

  async countApiRequest(): Promise<void> {
    const minute = this.minute();
    await this.db.batch(
      [
        { sql: 'DELETE FROM sf_api_usage WHERE minute <= ?', args: [minute - DAY_MINUTES] },
        {
          sql: `INSERT INTO sf_api_usage (minute, requests) VALUES (?, 1)
                ON CONFLICT (minute) DO UPDATE SET requests = requests + 1`,
          args: [minute],
        },
      ],
      'write',
    );
  }

  /** Sets the rolling usage to `requests`, all spent this minute (tests and demos of the 403). */
  async setApiUsage(requests: number): Promise<void> {
    await this.db.batch(
      [
        'DELETE FROM sf_api_usage',
        { sql: 'INSERT INTO sf_api_usage (minute, requests) VALUES (?, ?)', args: [this.minute(), requests] },
      ],
      'write',
    );
  }

  private minute(): number {
    return Math.floor(this.clock.now() / 60_000);
  }

  private async select(where: string, args: InValue[]): Promise<StoredRecord[]> {
    const { rows } = await this.db.execute({
      sql: `SELECT id, type, fields, created_at, modified_at, indexed_phones, pending_phones, index_due_at
            FROM sf_records ${where}`,
      args,
    });
    const now = this.clock.now();
    return rows.map((row) => {
      const indexed = row.index_due_at !== null && Number(row.index_due_at) <= now;
      return {
        id: String(row.id),
        type: String(row.type) as SObjectType,
        fields: JSON.parse(String(row.fields)) as Record<string, FieldValue>,
        createdAt: Number(row.created_at),
        modifiedAt: Number(row.modified_at),
        searchablePhones: JSON.parse(String(indexed ? row.pending_phones : row.indexed_phones)) as string[],
      };
    });
  }
}
