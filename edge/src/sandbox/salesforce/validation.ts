import { sfError, type SalesforceApiError } from './errors';
import { normaliseId } from './ids';
import { objectForId, type FieldDef, type FieldValue, type SObjectDef } from './objects';
import type { StoredRecord } from './store';

// What a Salesforce org checks on insert and update, in the order it reports it: unknown fields,
// fields that cannot be written, value types, lengths and picklists, references, then required
// fields. Each failure is Salesforce's error array with its own code and message.

export interface WriteContext {
  schema: Map<string, SObjectDef>;
  /** Loads a record for reference checks. */
  lookup(id: string): Promise<StoredRecord | null>;
  /** The session's user: the default owner, like a real org's running user. */
  userId: string;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parserError(type: string, value: unknown): SalesforceApiError {
  return sfError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from VALUE_STRING value ${String(value)} or request may be missing a required field at [line:1, column:1]`,
  );
}

/** Salesforce's datetime format: ISO with milliseconds and a +0000 offset. */
export const sfDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

async function coerce(name: string, def: FieldDef, value: unknown, ctx: WriteContext): Promise<FieldValue> {
  if (value === null || value === '') return null;
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parserError('boolean', value);
    case 'int':
    case 'double': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (!Number.isFinite(n) || (def.type === 'int' && !Number.isInteger(n))) throw parserError(def.type, value);
      return n;
    }
    case 'date':
      if (typeof value !== 'string' || !datePattern.test(value) || Number.isNaN(Date.parse(value))) {
        throw parserError('date', value);
      }
      return value;
    case 'datetime': {
      const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
      if (Number.isNaN(ms)) throw parserError('datetime', value);
      return sfDateTime(ms);
    }
    case 'reference':
      return checkReference(name, def, value, ctx);
    default: {
      if (typeof value !== 'string' && typeof value !== 'number') throw parserError('String', value);
      const s = String(value);
      if (def.length !== undefined && s.length > def.length) {
        throw sfError(
          400,
          'STRING_TOO_LONG',
          `${def.label}: data value too large: ${s.slice(0, 40)} (max length=${def.length})`,
          [name],
        );
      }
      if (def.type === 'email' && !emailPattern.test(s)) {
        throw sfError(400, 'INVALID_EMAIL_ADDRESS', `${def.label}: invalid email address: ${s}`, [name]);
      }
      if (def.type === 'picklist' && def.restricted && !def.values?.includes(s)) {
        throw sfError(
          400,
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${def.label}: bad value for restricted picklist field: ${s}`,
          [name],
        );
      }
      return s;
    }
  }
}

async function checkReference(name: string, def: FieldDef, value: unknown, ctx: WriteContext): Promise<string> {
  const id = typeof value === 'string' ? normaliseId(value) : null;
  if (!id) throw sfError(400, 'MALFORMED_ID', `${def.label}: id value of incorrect type: ${String(value)}`, [name]);
  const target = objectForId(ctx.schema, id);
  if (!target || !def.referenceTo?.includes(target.name)) {
    throw sfError(400, 'FIELD_INTEGRITY_EXCEPTION', `${def.label}: id value of incorrect type: ${id}`, [name]);
  }
  if (!(await ctx.lookup(id))) {
    throw sfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [name]);
  }
  return id;
}

/**
 * Checks a create or update body against the object's schema and returns the record's new fields
 * (`existing` merged with the body, defaults applied on create).
 */
export async function validateWrite(
  object: SObjectDef,
  body: unknown,
  existing: StoredRecord | null,
  ctx: WriteContext,
): Promise<Record<string, FieldValue>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw sfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object with the record fields.');
  }
  const input = body as Record<string, unknown>;
  const creating = existing === null;

  const unknown = Object.keys(input).filter((k) => k !== 'attributes' && !object.fields[k]);
  if (unknown.length) {
    throw sfError(400, 'INVALID_FIELD', `No such column '${unknown[0]}' on sobject of type ${object.name}`);
  }
  const readOnly = Object.keys(input).filter((k) => {
    const def = object.fields[k];
    return def && k !== 'attributes' && !(creating ? def.createable : def.updateable);
  });
  if (readOnly.length) {
    throw sfError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }

  const fields: Record<string, FieldValue> = { ...(existing?.fields ?? {}) };
  if (creating) {
    for (const [name, def] of Object.entries(object.fields)) {
      if (def.defaultValue !== undefined) fields[name] = def.defaultValue;
    }
    if (object.fields.OwnerId) fields.OwnerId = ctx.userId;
  }
  for (const [name, value] of Object.entries(input)) {
    const def = object.fields[name];
    if (!def || name === 'attributes') continue;
    fields[name] = await coerce(name, def, value, ctx);
  }

  const missing = Object.entries(object.fields)
    .filter(([name, def]) => def.required && (fields[name] === null || fields[name] === undefined))
    .map(([name]) => name);
  if (missing.length) {
    throw sfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }

  if (object.name === 'Task' && typeof fields.WhoId === 'string' && fields.WhoId.startsWith('00Q') && fields.WhatId) {
    throw sfError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      'Related To ID: You can’t associate a lead with an opportunity or any other record on an activity.',
      ['WhatId'],
    );
  }
  return fields;
}
