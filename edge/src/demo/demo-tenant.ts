import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client';
import type { SecretBox } from '../auth/secret-box';
import { randomBytes, toBase64Url } from '../auth/digest';
import { ApiKeyRepo } from '../db/repos/api-keys';
import { IntegrationRepo } from '../db/repos/integrations';
import { TenantRepo } from '../db/repos/tenants';
import type { SandboxCredentials } from '../sandbox/mount';
import { createHubspotAdapter } from '../crm/hubspot';

/**
 * What a newcomer needs to drive the demo tenant: kept in `.data/demo.json` because API keys and
 * integration secrets are stored only as hashes or sealed, and cannot be read back.
 */
export interface DemoTenant {
  tenantId: string;
  slug: string;
  name: string;
  adminKey: string;
  secrets: { callrail: string; retell: string; ringostat: { username: string; password: string } };
}

export async function ensureDemoTenant(
  db: Db,
  secrets: SecretBox,
  dataDir: string,
  now: number,
): Promise<DemoTenant | null> {
  const file = join(dataDir, 'demo.json');
  const tenants = new TenantRepo(db);
  if (existsSync(file)) {
    const demo = JSON.parse(readFileSync(file, 'utf8')) as DemoTenant;
    if (await tenants.byId(demo.tenantId)) return demo;
  }
  // A database someone already set up is theirs: no demo tenant is added to it.
  if ((await tenants.list()).length > 0) return null;

  const tenant = await tenants.create({ name: 'Demo Home Services' }, now);
  const key = await new ApiKeyRepo(db).issue(tenant.id, 'admin', 'demo admin', now);
  const secret = () => toBase64Url(randomBytes(24));
  const demo: DemoTenant = {
    tenantId: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    adminKey: key.key,
    secrets: {
      callrail: secret(),
      retell: `key_${secret()}`,
      ringostat: { username: 'ringostat', password: secret() },
    },
  };
  const integrations = new IntegrationRepo(db, secrets);
  await integrations.set(tenant.id, 'callrail', demo.secrets.callrail, {}, now);
  await integrations.set(tenant.id, 'retell', demo.secrets.retell, {}, now);
  await integrations.set(
    tenant.id,
    'ringostat',
    demo.secrets.ringostat.password,
    { username: demo.secrets.ringostat.username, defaultCountry: 'UA' },
    now,
  );
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}

export function readDemoTenant(dataDir: string): DemoTenant | null {
  const file = join(dataDir, 'demo.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoTenant) : null;
}

/**
 * Connects the demo tenant to the local CRM sandboxes, at this run's address (the port may
 * change between runs, so this runs on every start).
 */
export async function connectDemoCrms(
  db: Db,
  secrets: SecretBox,
  demo: DemoTenant,
  baseUrl: string,
  credentials: SandboxCredentials,
  now: number,
): Promise<void> {
  const integrations = new IntegrationRepo(db, secrets);
  const routing = { topManagerEmail: 'top.manager@callsight.test' };
  await integrations.set(
    demo.tenantId,
    'hubspot',
    credentials.hubspot.token,
    { baseUrl: `${baseUrl}/sandbox/hubspot`, portalId: credentials.hubspot.portalId, routing },
    now,
  );
  // What an admin does once after connecting HubSpot (POST /v1/integrations/hubspot/setup): the
  // custom properties Callsight writes must exist, or HubSpot rejects the call with a 400.
  await createHubspotAdapter({
    baseUrl: `${baseUrl}/sandbox/hubspot`,
    token: credentials.hubspot.token,
  }).setupProperties();
  await integrations.set(
    demo.tenantId,
    'salesforce',
    credentials.salesforce.clientSecret,
    {
      loginUrl: `${baseUrl}/sandbox/salesforce`,
      clientId: credentials.salesforce.clientId,
      apiVersion: 'v60.0',
      routing,
    },
    now,
  );
  await integrations.set(
    demo.tenantId,
    'pipedrive',
    credentials.pipedrive.apiToken,
    { baseUrl: `${baseUrl}/sandbox/pipedrive`, routing },
    now,
  );
}
