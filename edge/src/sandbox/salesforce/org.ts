import type { Clock } from '../../clock';
import type { SObjectDef } from './objects';
import type { SalesforceStore } from './store';

/** A connected app's credentials for the client-credentials flow. */
export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

/** Everything the sandbox's routes share: one org per sandbox. */
export interface SandboxOrg {
  store: SalesforceStore;
  schema: Map<string, SObjectDef>;
  clock: Clock;
  clients: SandboxClient[];
  /** Fixed `instance_url`; otherwise derived from the URL the token request came to. */
  instanceUrl: string | null;
  sessionTtlMs: number;
  dailyRequestLimit: number;
  duplicateRules: boolean;
  minApiVersion: number;
  maxApiVersion: number;
  /** Filled once the database is ready: the org's id and the run-as user of client credentials. */
  ids: { orgId: string; runAsUserId: string };
}

export type SalesforceEnv = { Variables: { userId: string; version: string } };
