import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

describe('callsight analyze', () => {
  const kitchen =
    "Hi, I'm interested in remodeling my kitchen. I'm looking to do this in the next 2-3 months. My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?";

  it('prints a readable analysis, or the stored JSON with --json', async () => {
    const file = join(dir, 'kitchen.txt');
    writeFileSync(file, kitchen);
    const human = await cli('analyze', file);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/Lead score\s+\d+\/100\s+HIGH/);
    expect(human.out).toContain('$30,000 – $40,000');
    expect(human.out).toContain('Why this score');
    const parsed = JSON.parse((await cli('analyze', '--json', '--duration', '120', file)).out);
    expect(parsed).toMatchObject({ intent: 'kitchen_remodel', band: 'high', budget: { min: 30000, max: 40000 } });
    for (const key of [
      'leadScore',
      'timeline',
      'urgency',
      'decisionMaker',
      'disposition',
      'spam',
      'sentiment',
      'summary',
      'keyInsights',
      'actionItems',
      'breakdown',
    ]) {
      expect(parsed).toHaveProperty(key);
    }
  });

  it('--jsonl answers one line per call, carrying each id, and flags bad lines', async () => {
    const file = join(dir, 'calls.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', transcript: kitchen, direction: 'inbound', answered: true, duration_s: 90 }),
        JSON.stringify({ id: 7, transcript: null, answered: false, duration_s: 0 }),
        '{"id": "broken", "direction": "sideways"}',
      ].join('\n'),
    );
    const { code, out } = await cli('analyze', '--jsonl', file);
    const lines = out.split('\n').map((l) => JSON.parse(l));
    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ id: 'a', band: 'high' });
    expect(lines[1]).toMatchObject({ id: 7, scoredFrom: 'metadata' });
    expect(lines[2]).toMatchObject({ line: 3, error: expect.stringContaining('direction') });
  });

  it('rejects bad flags', async () => {
    await expect(cli('analyze', '--direction', 'up', '-')).rejects.toThrow(/--direction/);
    await expect(cli('analyze')).rejects.toThrow(/transcript file/);
  });
});

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
