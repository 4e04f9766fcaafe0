// What every sandbox route shares: the store, the clock and the portal's settings.
import type { Context } from 'hono';
import type { Clock } from '../../clock';
import { HubspotApiError, missingScopes, validationError } from './errors';
import { resolveObjectType, type ObjectTypeInfo } from './object-types';
import type { Pipeline } from './pipelines';
import type { HubspotStore, StoredRecord } from './store';

export interface SandboxCore {
  store: HubspotStore;
  clock: Clock;
  portalId: number;
  /** The account's time zone (account-info, daily limit reset). */
  timeZone: string;
  /** Country assumed for numbers typed without a country code. */
  defaultCountry: string;
  /** How long a write takes to reach search. */
  searchLagMs: number;
  pipelines: Pipeline[];
}

export interface SandboxEnv {
  Variables: {
    /** The private-app token the request authenticated with. */
    token: string;
    /** The token's granted scopes; null = every scope. */
    scopes: Set<string> | null;
  };
}

export function objectTypeParam(segment: string): ObjectTypeInfo {
  const info = resolveObjectType(segment);
  if (!info) throw new HubspotApiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${segment}`);
  return info;
}

export function requireScope(c: Context<SandboxEnv>, scope: string): void {
  const granted = c.get('scopes');
  if (granted && !granted.has(scope)) throw missingScopes(scope);
}

export function objectScope(info: ObjectTypeInfo, access: 'read' | 'write'): string {
  return `crm.objects.${info.scope}.${access}`;
}

/** Reads a JSON body, answering bad JSON the way HubSpot does (400, VALIDATION_ERROR). */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw validationError(`Invalid input JSON on line 1, column 1: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A comma-separated or repeated query parameter (`properties=a,b` or `properties=a&properties=b`). */
export function listParam(c: Context, name: string): string[] | null {
  const all = c.req.queries(name);
  if (!all) return null;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A record as the v3 object APIs return it (OpenAPI `SimplePublicObject`). `select` null returns
 * every stored property (create and update answers); otherwise the named ones plus the identity
 * properties, or the type's defaults when none are named. Properties without a value are left
 * out: the schema types every value as a string.
 */
export function publicObject(record: StoredRecord, info: ObjectTypeInfo, select: string[] | null) {
  const all: Record<string, string> = { ...record.properties, hs_object_id: record.id };
  const names =
    select === null
      ? Object.keys(all)
      : select.length > 0
        ? [...select, 'hs_object_id', info.createdProperty, info.modifiedProperty]
        : info.defaultProperties;
  const properties: Record<string, string> = {};
  for (const name of names) {
    const value = all[name];
    if (value !== undefined && value !== '') properties[name] = value;
  }
  return {
    id: record.id,
    properties,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: false,
  };
}
