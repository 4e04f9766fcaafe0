// Checks property values against their definitions the way HubSpot rejects them: unknown
// property, read-only property, a value of the wrong type or not among the options. Values come
// back normalised (datetimes as ISO 8601 in UTC), as HubSpot stores them.
import type { PropertyValueError } from './errors';
import type { PropertyDefinition } from './property-catalog';

export interface ValueContext {
  /** Ids of the portal's active owners: `hubspot_owner_id` must be one of them. */
  ownerIds: Set<string>;
}

export interface CheckedValues {
  values: Record<string, string>;
  errors: PropertyValueError[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export function checkPropertyValues(
  input: Record<string, unknown>,
  defs: Map<string, PropertyDefinition>,
  ctx: ValueContext,
): CheckedValues {
  const values: Record<string, string> = {};
  const errors: PropertyValueError[] = [];
  for (const [name, raw] of Object.entries(input)) {
    const def = defs.get(name);
    if (!def) {
      errors.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.modificationMetadata.readOnlyValue) {
      errors.push({
        name,
        error: 'READ_ONLY_VALUE',
        message: `${name} is a read only property; its value cannot be set.`,
      });
      continue;
    }
    if (raw !== null && typeof raw === 'object') {
      errors.push({ name, error: 'INVALID_VALUE', message: `${JSON.stringify(raw)} is not a valid value for ${name}` });
      continue;
    }
    // HubSpot takes JSON numbers and booleans for string-typed values; null clears like "".
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (value === '') {
      values[name] = '';
      continue;
    }
    const checked = checkOne(def, value, ctx);
    if (typeof checked === 'string') values[name] = checked;
    else errors.push(checked);
  }
  return { values, errors };
}

function checkOne(def: PropertyDefinition, value: string, ctx: ValueContext): string | PropertyValueError {
  const fail = (error: string, message: string): PropertyValueError => ({ name: def.name, error, message });
  if (def.name === 'hubspot_owner_id') {
    return ctx.ownerIds.has(value) ? value : fail('INVALID_OPTION', `${value} was not one of the allowed options`);
  }
  if (def.name === 'email' && !EMAIL.test(value)) return fail('INVALID_EMAIL', `Email address ${value} is invalid`);
  switch (def.type) {
    case 'number':
      return NUMBER.test(value.trim()) ? value.trim() : fail('INVALID_NUMBER', `${value} was not a valid number.`);
    case 'bool': {
      const v = value.toLowerCase();
      return v === 'true' || v === 'false' ? v : fail('INVALID_BOOLEAN', `${value} was not a valid boolean.`);
    }
    case 'date':
    case 'datetime': {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      return Number.isFinite(ms) ? new Date(ms).toISOString() : fail('INVALID_DATE', `${value} was not a valid date.`);
    }
    case 'enumeration': {
      if (def.externalOptions) return value;
      const allowed = def.options.map((o) => o.value);
      const chosen = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = chosen.find((v) => !allowed.includes(v));
      return bad === undefined
        ? value
        : fail('INVALID_OPTION', `${bad} was not one of the allowed options: [${allowed.join(', ')}]`);
    }
    default:
      return value;
  }
}
