import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../src/app';
import { SecretBox } from '../../src/auth/secret-box';
import { ManualClock } from '../../src/clock';
import { openLibsqlDb } from '../../src/db/libsql';
import { migrate } from '../../src/db/migrate';
import { ApiKeyRepo } from '../../src/db/repos/api-keys';
import { IntegrationRepo } from '../../src/db/repos/integrations';
import { TenantRepo, type Tenant } from '../../src/db/repos/tenants';
import { JobQueue } from '../../src/jobs/queue';
import { JobRunner } from '../../src/jobs/runner';
import { pipelineHandlers } from '../../src/pipeline/handlers';
import { silentLogger } from '../../src/log';

/** CallRail's own published signed sample (../shared/fixtures/callrail), byte for byte. */
export const callrailFixture = {
  body: readFileSync(
    fileURLToPath(new URL('../../../../shared/fixtures/callrail/post-call-voicemail.json', import.meta.url)),
    'utf8',
  ),
  token: '072e77e426f92738a72fe23c4d1953b4',
  signature: 'UZAHbUdfm3GqL7qzilGozGzWV64=',
};

export const secrets = {
  retell: 'key_retell_test_0123456789',
  ringostat: 'ringostat-password-123',
};

export interface TenantFixture {
  tenant: Tenant;
  admin: string;
  manager: string;
  rep: string;
}

/** A fresh in-memory database with two tenants wired to every source, and the app over it. */
export async function testApp() {
  const { db, close } = await openLibsqlDb(':memory:');
  await migrate(db);
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 12));
  const box = await SecretBox.fromBase64Key(SecretBox.generateKey());
  let enqueued = 0;
  const app = createApp({ db, secrets: box, clock, log: silentLogger, onEnqueued: () => void enqueued++ });
  const queue = new JobQueue(db);
  const runner = new JobRunner(
    queue,
    pipelineHandlers({ db, clock, log: silentLogger, secrets: box }),
    clock,
    silentLogger,
  );

  const makeTenant = async (name: string): Promise<TenantFixture> => {
    const tenant = await new TenantRepo(db).create({ name }, clock.now());
    const keys = new ApiKeyRepo(db);
    const integrations = new IntegrationRepo(db, box);
    await integrations.set(tenant.id, 'callrail', callrailFixture.token, {}, clock.now());
    await integrations.set(tenant.id, 'retell', secrets.retell, {}, clock.now());
    await integrations.set(tenant.id, 'ringostat', secrets.ringostat, { defaultCountry: 'UA' }, clock.now());
    return {
      tenant,
      admin: (await keys.issue(tenant.id, 'admin', 'admin', clock.now())).key,
      manager: (await keys.issue(tenant.id, 'manager', 'manager', clock.now())).key,
      rep: (await keys.issue(tenant.id, 'rep', 'rep', clock.now())).key,
    };
  };
  const a = await makeTenant('Acme Roofing');
  const b = await makeTenant('Bolt Plumbing');

  const get = (path: string, key: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
  return { app, db, clock, box, queue, runner, a, b, get, close, enqueued: () => enqueued };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
