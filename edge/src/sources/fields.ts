// Lenient readers for webhook fields: vendors send the same field as a string in one place and a
// number in another (CallRail's `id`, `duration`), or as "" for "none".
import { normalisePhone, type NormalisedPhone } from '@callsight/shared';
import { PayloadError } from './types';

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, or null. Numbers become strings. */
export function str(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function requiredId(fields: Fields, field: string, ...aliases: string[]): string {
  for (const name of [field, ...aliases]) {
    const value = str(fields[name]);
    if (value !== null) return value;
  }
  const names = aliases.length ? `"${field}" (or ${aliases.map((a) => `"${a}"`).join(', ')})` : `"${field}"`;
  throw new PayloadError(field, `field ${names} is required and must be a non-empty string or number`);
}

/** A whole number of seconds from a number or a numeric string; null when absent or not numeric. */
export function seconds(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return null;
}

/** ISO-8601 (any offset) or epoch ms → ISO-8601 UTC; null when unreadable. */
export function isoTime(value: unknown): string | null {
  // JavaScript dates end at ±8.64e15 ms; beyond that toISOString() throws.
  if (typeof value === 'number') return Math.abs(value) <= 8.64e15 ? new Date(value).toISOString() : null;
  const text = str(value);
  if (text === null) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function phone(value: unknown, defaultCountry: string): NormalisedPhone | null {
  const text = str(value);
  return text === null ? null : normalisePhone(text, defaultCountry);
}

/** The first of several field names that holds a value. */
export function firstStr(fields: Fields, ...names: string[]): string | null {
  for (const name of names) {
    const value = str(fields[name]);
    if (value !== null) return value;
  }
  return null;
}

export function parseJsonObject(text: string): Fields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PayloadError('body', 'body is not valid JSON');
  }
  if (!isRecord(parsed)) throw new PayloadError('body', 'body must be a JSON object');
  return parsed;
}
