import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { startServer, type RunningServer } from '../src/node';

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callsight-node-'));
  server = await startServer(
    loadConfig({
      PORT: '0',
      CALLSIGHT_DATA_DIR: dir,
      CALLSIGHT_DB_URL: `file:${join(dir, 'cs.db')}`,
      CALLSIGHT_LOG_LEVEL: 'silent',
    }),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start (the Node entry)', () => {
  it('serves the API over HTTP, ready with migrations applied', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('creates a demo tenant connected to every source and to the three CRM sandboxes', async () => {
    const demo = server.demo!;
    expect(demo.adminKey).toMatch(/^csk_/);
    const res = await fetch(`${server.url}/v1/integrations`, { headers: { authorization: `Bearer ${demo.adminKey}` } });
    const kinds = ((await res.json()) as { data: { kind: string }[] }).data.map((i) => i.kind).sort();
    expect(kinds).toEqual(['callrail', 'hubspot', 'pipedrive', 'retell', 'ringostat', 'salesforce']);
  });

  it('serves the CRM sandboxes on their vendors’ paths, with their own auth', async () => {
    const { hubspot, pipedrive } = server.sandboxes!;
    const owners = await fetch(`${server.url}/sandbox/hubspot/crm/v3/owners`, {
      headers: { authorization: `Bearer ${hubspot.token}` },
    });
    expect(owners.status).toBe(200);
    expect(((await owners.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    const denied = await fetch(`${server.url}/sandbox/hubspot/crm/v3/owners`);
    expect(denied.status).toBe(401);
    const me = await fetch(`${server.url}/sandbox/pipedrive/api/v1/users/me`, {
      headers: { 'x-api-token': pipedrive.apiToken },
    });
    expect(me.status).toBe(200);
  });
});
