import type { Clock } from '../../clock';
import type { PipedriveStore } from './store';

/** A custom field as Pipedrive's *Fields endpoints describe it: a 40-character key, a type, options. */
export interface CustomFieldDef {
  key: string;
  name: string;
  field_type: 'varchar' | 'text' | 'double' | 'enum' | 'set' | 'date' | 'phone';
  options?: Array<{ id: number; label: string }>;
}

/** Everything the sandbox's routes share: one company per sandbox. */
export interface SandboxCompany {
  store: PipedriveStore;
  clock: Clock;
  apiToken: string;
  companyId: number;
  companyName: string;
  companyDomain: string;
  /** Requests per token per rolling 2 seconds, and the separate limit for search endpoints. */
  burstLimit: number;
  searchBurstLimit: number;
  /** Tokens the company may spend per UTC day. */
  dailyTokenBudget: number;
  personFields: CustomFieldDef[];
  /** Deal custom fields, which leads share. */
  dealFields: CustomFieldDef[];
  /** Whether the Campaigns add-on is on: only then do persons accept `marketing_status`. */
  campaigns: boolean;
  /** Filled once the database is ready: the user the API token belongs to. */
  ids: { tokenUserId: number };
}

export type PipedriveEnv = { Variables: { userId: number } };
