import { describe, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { reopenAfterBusy } from '../src/db/libsql';

describe('reopenAfterBusy', () => {
  it('reopens the connection (and its PRAGMAs) after SQLITE_BUSY, still failing the call', async () => {
    const calls: string[] = [];
    let busy = true;
    const fake = {
      async execute(sql: string) {
        calls.push(sql);
        if (busy) {
          busy = false;
          throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
        }
        return { rows: [] };
      },
      async reconnect() {
        calls.push('reconnect');
      },
      closed: false,
    } as unknown as Client;
    const client = reopenAfterBusy(fake, async () => void calls.push('pragmas'));
    await expect(client.execute('INSERT 1')).rejects.toThrow(/SQLITE_BUSY/);
    await client.execute('INSERT 2');
    expect(calls).toEqual(['INSERT 1', 'reconnect', 'pragmas', 'INSERT 2']);
    expect(client.closed).toBe(false);
  });

  it('leaves other errors alone', async () => {
    let reconnects = 0;
    const fake = {
      execute: async () => {
        throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed');
      },
      reconnect: async () => void reconnects++,
    } as unknown as Client;
    await expect(reopenAfterBusy(fake, async () => undefined).execute('x')).rejects.toThrow(/CONSTRAINT/);
    expect(reconnects).toBe(0);
  });
});
