import type { Clock } from './clock';
import type { Db } from './db/client';
import type { Logger } from './log';
import type { SecretBox } from './auth/secret-box';
import type { KeyOwner } from './db/repos/api-keys';
import { ApiKeyRepo } from './db/repos/api-keys';
import { CallRepo } from './db/repos/calls';
import { AnalysisRepo } from './db/repos/analyses';
import { IntegrationRepo } from './db/repos/integrations';
import { TenantRepo } from './db/repos/tenants';
import { JobQueue } from './jobs/queue';
import type { FetchLike } from './crm/connection';
import type { RateLimits } from './sync/rate-limits';

/** What `createApp`'s caller injects: the Worker and Node entries build these differently. */
export interface AppDeps {
  db: Db;
  secrets: SecretBox;
  clock: Clock;
  log: Logger;
  /**
   * Called after a request enqueued jobs. Node kicks its always-on runner; Workers drain the
   * queue in `waitUntil` (passed when the platform has one).
   */
  onEnqueued?: (waitUntil: ((work: Promise<unknown>) => void) | null) => void;
  /** Largest webhook body accepted, in bytes (default 1 MB). */
  bodyLimitBytes?: number;
  /** How CRM adapters reach their APIs from requests (connection tests); global fetch otherwise. */
  crmFetch?: FetchLike;
  /**
   * The sync engine's rate-limit windows: connection tests and property setup count against the
   * same CRM limits as the syncs running beside them (each builds its own otherwise).
   */
  crmRateLimits?: RateLimits;
}

/** Repositories and services built once per app from its deps. */
export interface Services extends AppDeps {
  tenants: TenantRepo;
  keys: ApiKeyRepo;
  integrations: IntegrationRepo;
  calls: CallRepo;
  analyses: AnalysisRepo;
  queue: JobQueue;
}

export function buildServices(deps: AppDeps): Services {
  return {
    ...deps,
    tenants: new TenantRepo(deps.db),
    keys: new ApiKeyRepo(deps.db),
    integrations: new IntegrationRepo(deps.db, deps.secrets),
    calls: new CallRepo(deps.db),
    analyses: new AnalysisRepo(deps.db),
    queue: new JobQueue(deps.db),
  };
}

export type AppEnv = { Variables: { services: Services; auth: KeyOwner } };
