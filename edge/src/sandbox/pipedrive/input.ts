import type { Context } from 'hono';
import type { CustomFieldDef, SandboxCompany } from './company';
import { badRequest } from './envelope';
import { UUID } from './format';
import type { ItemKind, StoredItem } from './store';

// Request-body checks shared by the routes, answering 400 with a message naming the field.

export type Body = Record<string, unknown>;

export async function jsonBody(c: Context): Promise<Body> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw badRequest('Invalid JSON in the request body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('The request body must be a JSON object');
  return body as Body;
}

export function optionalString(body: Body, key: string): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badRequest(`${key} must be a string`);
  return value;
}

export function requiredString(body: Body, key: string): string {
  const value = optionalString(body, key);
  if (!value?.trim()) throw badRequest(`${key} is required`);
  return value;
}

export function optionalInteger(body: Body, key: string): number | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw badRequest(`${key} must be a positive integer`);
  return value;
}

export function optionalBoolean(body: Body, key: string): boolean | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw badRequest(`${key} must be a boolean`);
  return value;
}

export function optionalPattern(body: Body, key: string, pattern: RegExp, shape: string): string | null {
  const value = optionalString(body, key);
  if (value !== null && !pattern.test(value)) throw badRequest(`${key} must be in the format ${shape}`);
  return value;
}

const LABELS: Record<ItemKind, string> = {
  person: 'Person',
  lead: 'Lead',
  deal: 'Deal',
  activity: 'Activity',
  note: 'Note',
  user: 'User',
  leadLabel: 'Lead label',
};

/** A referenced entity that must exist (`person_id`, `owner_id`…): 400 when it does not. */
export async function referenced(
  company: SandboxCompany,
  kind: ItemKind,
  id: number | string | null,
): Promise<StoredItem | null> {
  if (id === null) return null;
  if (kind === 'lead' && !UUID.test(String(id))) throw badRequest('lead_id must be a UUID');
  const item = await company.store.get(kind, String(id));
  if (!item) throw badRequest(`${LABELS[kind]} with id ${id} not found`);
  return item;
}

/** Checks custom-field values against the company's field definitions. */
export function customFieldValues(defs: CustomFieldDef[], input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw badRequest('custom_fields must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const def = defs.find((d) => d.key === key);
    if (!def) throw badRequest(`Unknown custom field key: ${key}`);
    out[key] = customFieldValue(def, value);
  }
  return out;
}

function customFieldValue(def: CustomFieldDef, value: unknown): unknown {
  if (value === null) return null;
  const options = new Set(def.options?.map((o) => o.id));
  switch (def.field_type) {
    case 'enum':
      if (typeof value !== 'number' || !options.has(value))
        throw badRequest(`Invalid option for the field "${def.name}": ${String(value)}`);
      return value;
    case 'set':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !options.has(v))) {
        throw badRequest(`Invalid options for the field "${def.name}"`);
      }
      return value;
    case 'double': {
      const n = typeof value === 'string' && value.trim() ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw badRequest(`The field "${def.name}" must be a number`);
      return n;
    }
    default:
      if (typeof value !== 'string') throw badRequest(`The field "${def.name}" must be a string`);
      return value;
  }
}

/** `phones` / `emails` of a v2 person: `[{ value, primary, label }]`, the first primary by default. */
export function contactPoints(
  body: Body,
  key: 'phones' | 'emails',
): Array<{ value: string; primary: boolean; label: string }> | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw badRequest(`${key} must be an array of { value, primary, label }`);
  const points = value.map((p: unknown) => {
    if (typeof p !== 'object' || p === null || typeof (p as Body).value !== 'string') {
      throw badRequest(`${key} must be an array of { value, primary, label }`);
    }
    const point = p as Body;
    return {
      value: String(point.value),
      primary: point.primary === true,
      label: typeof point.label === 'string' ? point.label : 'work',
    };
  });
  if (points.length && !points.some((p) => p.primary) && points[0]) points[0].primary = true;
  return points;
}
