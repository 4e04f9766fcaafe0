import { isCountryCode } from '@callsight/shared';
import type { LogLevel } from './log';

/** Every setting the Node entry and the CLI read, with the embedded defaults `npm start` uses. */
export interface NodeConfig {
  port: number;
  dbUrl: string;
  dbAuthToken: string | undefined;
  /** Base64 of 32 bytes; when unset locally, a key is generated once under `dataDir`. */
  encryptionKey: string | undefined;
  dataDir: string;
  logLevel: LogLevel;
  jobLeaseMs: number;
  jobConcurrency: number;
  /** Create a demo tenant wired to sample secrets when the database has no tenant. */
  demo: boolean;
  publicUrl: string;
  defaultCountry: string;
  /** Serve the HubSpot, Salesforce and Pipedrive sandboxes beside the product (local only). */
  sandboxes: boolean;
  /** An OpenAI-compatible endpoint for the LLM extractor; the rules extractor when unset. */
  llm: { baseURL: string; model: string; apiKey?: string; timeoutMs: number } | null;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const port = int(env, 'PORT', 8787, 0, 65535);
  const logLevel = (env.CALLSIGHT_LOG_LEVEL ?? 'info') as LogLevel;
  if (!['info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new Error(`CALLSIGHT_LOG_LEVEL must be info, warn, error or silent, got "${logLevel}"`);
  }
  const defaultCountry = env.CALLSIGHT_DEFAULT_COUNTRY ?? 'US';
  if (!isCountryCode(defaultCountry))
    throw new Error(`CALLSIGHT_DEFAULT_COUNTRY must be an ISO country code, got "${defaultCountry}"`);
  return {
    port,
    dbUrl: env.CALLSIGHT_DB_URL ?? 'file:.data/callsight.db',
    dbAuthToken: env.CALLSIGHT_DB_AUTH_TOKEN || undefined,
    encryptionKey: env.CALLSIGHT_ENCRYPTION_KEY || undefined,
    dataDir: env.CALLSIGHT_DATA_DIR ?? '.data',
    logLevel,
    jobLeaseMs: int(env, 'CALLSIGHT_JOB_LEASE_MS', 60_000, 100, 3_600_000),
    jobConcurrency: int(env, 'CALLSIGHT_JOB_CONCURRENCY', 2, 1, 32),
    demo: (env.CALLSIGHT_DEMO ?? '1') !== '0',
    sandboxes: (env.CALLSIGHT_SANDBOXES ?? '1') !== '0',
    publicUrl: env.CALLSIGHT_PUBLIC_URL ?? `http://localhost:${port}`,
    defaultCountry,
    llm: env.CALLSIGHT_LLM_BASE_URL
      ? {
          baseURL: env.CALLSIGHT_LLM_BASE_URL,
          model: env.CALLSIGHT_LLM_MODEL ?? 'llama-3.3-70b-instruct',
          ...(env.CALLSIGHT_LLM_API_KEY ? { apiKey: env.CALLSIGHT_LLM_API_KEY } : {}),
          timeoutMs: int(env, 'CALLSIGHT_LLM_TIMEOUT_MS', 20_000, 1_000, 120_000),
        }
      : null,
  };
}
