import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import { openLibsqlDb } from '../src/db/libsql';
import { integrations } from '../src/db/schema';

let dir: string;
const saved = { ...process.env };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callsight-cli-'));
  process.env.CALLSIGHT_DB_URL = `file:${join(dir, 'cli.db')}`;
  process.env.CALLSIGHT_DATA_DIR = dir;
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('callsight CLI', () => {
  it('creates a tenant, a key that works, and an integration whose secret is sealed', async () => {
    expect((await cli('migrate')).code).toBe(0);
    const created = await cli('tenant', 'create', '--name', 'Acme Roofing', '--country', 'US');
    expect(created.code).toBe(0);
    const slug = /slug (\S+)/.exec(created.out)?.[1] ?? '';
    expect(slug).toMatch(/^acme-roofing-[0-9a-f]{12}$/);
    expect((await cli('tenant', 'list')).out).toContain(slug);

    const key = await cli('key', 'create', '--tenant', slug, '--role', 'manager');
    expect(key.out).toMatch(/csk_[A-Za-z0-9_-]{43}/);

    const set = await cli(
      'integration',
      'set',
      'ringostat',
      '--tenant',
      slug,
      '--secret',
      'basic-pass-123',
      '--option',
      'username=acme',
      '--option',
      'utcOffsetMinutes=120',
    );
    expect(set.code).toBe(0);
    const { db, close } = await openLibsqlDb(process.env.CALLSIGHT_DB_URL!);
    const rows = await db.select().from(integrations);
    close();
    expect(rows).toMatchObject([{ kind: 'ringostat', options: { username: 'acme', utcOffsetMinutes: 120 } }]);
    expect(JSON.stringify(rows)).not.toContain('basic-pass-123');
  });

  it('says what is wrong with bad arguments', async () => {
    await expect(cli('key', 'create', '--tenant', 'nope', '--role', 'admin')).rejects.toThrow(/no tenant "nope"/);
    await expect(cli('tenant', 'create')).rejects.toThrow(/--name is required/);
    const slug = /slug (\S+)/.exec((await cli('tenant', 'create', '--name', 'B')).out)?.[1] ?? '';
    await expect(cli('key', 'create', '--tenant', slug, '--role', 'owner')).rejects.toThrow(/admin, manager or rep/);
    await expect(
      cli('integration', 'set', 'callrail', '--tenant', slug, '--secret', 'abcdefgh1', '--option', 'defaultCountry=XX'),
    ).rejects.toThrow(/options.defaultCountry/);
    await expect(cli('frobnicate')).rejects.toThrow(/unknown command/);
  });
});
