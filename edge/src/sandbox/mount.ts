// The three CRM sandboxes as `npm start` serves them: beside the product on the local server, at
// /sandbox/hubspot, /sandbox/salesforce and /sandbox/pipedrive, each on its own libSQL file.
// Never part of the Worker.
import { join } from 'node:path';
import { Hono } from 'hono';
import type { Clock } from '../clock';
import { createHubspotSandbox } from './hubspot';
import { createPipedriveSandbox } from './pipedrive';
import { createSalesforceSandbox } from './salesforce';

export interface SandboxCredentials {
  hubspot: { token: string; portalId: number | string };
  salesforce: { clientId: string; clientSecret: string };
  pipedrive: { apiToken: string };
}

export interface MountedSandboxes {
  app: Hono;
  credentials: SandboxCredentials;
  close(): void;
}

export async function mountSandboxes(dataDir: string, clock: Clock): Promise<MountedSandboxes> {
  const hubspot = await createHubspotSandbox({ database: `file:${join(dataDir, 'sandbox-hubspot.db')}`, clock });
  const salesforce = createSalesforceSandbox({ db: `file:${join(dataDir, 'sandbox-salesforce.db')}`, clock });
  const pipedrive = createPipedriveSandbox({ db: `file:${join(dataDir, 'sandbox-pipedrive.db')}`, clock });
  await Promise.all([salesforce.ready, pipedrive.ready]);
  const app = new Hono();
  app.route('/sandbox/hubspot', hubspot.app);
  app.route('/sandbox/salesforce', salesforce.app);
  app.route('/sandbox/pipedrive', pipedrive.app);
  return {
    app,
    credentials: {
      hubspot: { token: hubspot.token, portalId: hubspot.portalId },
      salesforce: { clientId: salesforce.clientId, clientSecret: salesforce.clientSecret },
      pipedrive: { apiToken: pipedrive.apiToken },
    },
    close() {
      hubspot.close();
      salesforce.close();
      pipedrive.close();
    },
  };
}
