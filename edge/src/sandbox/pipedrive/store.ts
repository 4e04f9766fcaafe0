import { randomUUID } from 'node:crypto';
import type { Client } from '@libsql/client';
import type { Clock } from '../../clock';
import { SerialQueue } from '../serial';

// The sandbox company's state in its own libSQL database: every entity as a JSON document keyed by
// kind and id (numbers for persons, deals, activities, notes, users; UUIDs for leads and lead
// labels, as in Pipedrive), and the tokens spent per UTC day. Person search reads an index
// snapshot that catches up with writes only after the configured lag.

const DDL = `
CREATE TABLE IF NOT EXISTS pd_items (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL,
  add_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  indexed TEXT,
  pending TEXT,
  index_due_at INTEGER,
  PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS pd_sequences (kind TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pd_token_budget (day TEXT PRIMARY KEY, used INTEGER NOT NULL);
`;

export type ItemKind = 'person' | 'lead' | 'deal' | 'activity' | 'note' | 'user' | 'leadLabel';
export type ItemData = Record<string, unknown>;

export interface StoredItem {
  kind: ItemKind;
  id: string;
  data: ItemData;
  addTime: number;
  updateTime: number;
  /** What person search sees now (name, phones, emails), behind the data by the index lag. */
  searchable: ItemData | null;
}

const UUID_KINDS = new Set<ItemKind>(['lead', 'leadLabel']);

export class PipedriveStore {
  private readonly serial = new SerialQueue();

  constructor(
    private readonly db: Client,
    private readonly clock: Clock,
    private readonly searchLagMs: number,
  ) {}

  async init(): Promise<void> {
    await this.db.executeMultiple(DDL);
  }

  /** Runs `work` alone, so validation and the write it guards cannot interleave with another. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.serial.run(work);
  }

  async insert(kind: ItemKind, data: ItemData, searchable: ItemData | null = null): Promise<StoredItem> {
    let id: string;
    if (UUID_KINDS.has(kind)) id = randomUUID();
    else {
      const seq = await this.db.execute({
        sql: `INSERT INTO pd_sequences (kind, last) VALUES (?, 1)
              ON CONFLICT (kind) DO UPDATE SET last = last + 1 RETURNING last`,
        args: [kind],
      });
      id = String(seq.rows[0]?.last ?? 1);
    }
    const now = this.clock.now();
    await this.db.execute({
      sql: `INSERT INTO pd_items (kind, id, data, add_time, update_time, indexed, pending, index_due_at)
            VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
      args: [
        kind,
        id,
        JSON.stringify(data),
        now,
        now,
        searchable && JSON.stringify(searchable),
        now + this.searchLagMs,
      ],
    });
    return { kind, id, data, addTime: now, updateTime: now, searchable: this.searchLagMs > 0 ? null : searchable };
  }

  async update(item: StoredItem, data: ItemData, searchable: ItemData | null = null): Promise<StoredItem> {
    const now = this.clock.now();
    await this.db.execute({
      sql: `UPDATE pd_items SET data = ?, update_time = ?, indexed = ?, pending = ?, index_due_at = ?
            WHERE kind = ? AND id = ?`,
      args: [
        JSON.stringify(data),
        now,
        item.searchable && JSON.stringify(item.searchable),
        searchable && JSON.stringify(searchable),
        now + this.searchLagMs,
        item.kind,
        item.id,
      ],
    });
    return { ...item, data, updateTime: now };
  }

  async get(kind: ItemKind, id: string): Promise<StoredItem | null> {
    const { rows } = await this.db.execute({
      sql: 'SELECT * FROM pd_items WHERE kind = ? AND id = ?',
      args: [kind, id],
    });
    return rows[0] ? this.item(rows[0]) : null;
  }

  /** Every item of a kind in the order it was added (Pipedrive's default order by id). */
  async list(kind: ItemKind): Promise<StoredItem[]> {
    const { rows } = await this.db.execute({
      sql: 'SELECT * FROM pd_items WHERE kind = ? ORDER BY add_time, rowid',
      args: [kind],
    });
    return rows.map((row) => this.item(row));
  }

  /** Spends `tokens` from today's (UTC) budget; false, spending nothing, when it would run over. */
  async spendTokens(tokens: number, budget: number): Promise<{ ok: boolean; used: number }> {
    const day = this.today();
    const { rows } = await this.db.execute({ sql: 'SELECT used FROM pd_token_budget WHERE day = ?', args: [day] });
    const used = Number(rows[0]?.used ?? 0);
    if (used + tokens > budget) return { ok: false, used };
    await this.db.execute({
      sql: `INSERT INTO pd_token_budget (day, used) VALUES (?, ?)
            ON CONFLICT (day) DO UPDATE SET used = used + excluded.used`,
      args: [day, tokens],
    });
    return { ok: true, used: used + tokens };
  }

  async tokensUsed(): Promise<number> {
    const { rows } = await this.db.execute({
      sql: 'SELECT used FROM pd_token_budget WHERE day = ?',
      args: [this.today()],
    });
    return Number(rows[0]?.used ?? 0);
  }

  async setTokensUsed(used: number): Promise<void> {
    await this.db.execute({
      sql: `INSERT INTO pd_token_budget (day, used) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET used = excluded.used`,
      args: [this.today(), used],
    });
  }

  private today(): string {
    return new Date(this.clock.now()).toISOString().slice(0, 10);
  }

  private item(row: Record<string, unknown>): StoredItem {
    const caughtUp = row.index_due_at !== null && Number(row.index_due_at) <= this.clock.now();
    const snapshot = caughtUp ? row.pending : row.indexed;
    return {
      kind: String(row.kind) as ItemKind,
      id: String(row.id),
      data: JSON.parse(String(row.data)) as ItemData,
      addTime: Number(row.add_time),
      updateTime: Number(row.update_time),
      searchable: typeof snapshot === 'string' ? (JSON.parse(snapshot) as ItemData) : null,
    };
  }
}
