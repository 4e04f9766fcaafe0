import { parsePhoneNumberFromString, isSupportedCountry } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/**
 * A phone number as Callsight keeps it: the E.164 form when the number is valid, and always the
 * text the source sent, so that an odd number is flagged rather than dropped.
 */
export interface NormalisedPhone {
  /** E.164 (`+13036231131`) when the number is valid, otherwise null. */
  e164: string | null;
  /** Exactly what the source sent. */
  raw: string;
  /** ISO country of the number when known. */
  country: string | null;
  valid: boolean;
}

export function isCountryCode(value: string): value is CountryCode {
  return isSupportedCountry(value);
}

/**
 * Normalises a phone number with the tenant's default country. Ringostat sends digits without a
 * `+` (`380501234567`), so a digit string that does not parse nationally is retried as
 * international before it is given up on.
 */
export function normalisePhone(raw: string, defaultCountry = 'US'): NormalisedPhone {
  const text = raw.trim();
  const country = isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const candidates = [text];
  if (/^\d{8,15}$/.test(text)) candidates.push(`+${text}`);
  if (/^00\d{8,15}$/.test(text)) candidates.push(`+${text.slice(2)}`);
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, { defaultCountry: country, extract: false });
    if (parsed?.isValid()) {
      return { e164: parsed.number, raw, country: parsed.country ?? null, valid: true };
    }
  }
  return { e164: null, raw, country: null, valid: false };
}

/**
 * How people commonly type this number into a CRM's free-text phone field: the national and
 * international formats, and the national groups joined by dashes, dots or spaces
 * (`(303) 623-1131`, `+1 303 623 1131`, `303-623-1131`, `303.623.1131`, `+1-303-623-1131`).
 * A CRM search that only matches exact text needs these as candidates.
 */
export function phoneSpellings(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return [];
  const national = parsed.formatNational();
  const international = parsed.formatInternational();
  const groups = national
    .replace(/[()]/g, '')
    .split(/[\s.-]+/)
    .filter(Boolean);
  const intlGroups = international.split(/\s+/).slice(1);
  const cc = `+${parsed.countryCallingCode}`;
  const out = [
    national,
    international,
    groups.join('-'),
    groups.join('.'),
    groups.join(' '),
    `${cc}-${intlGroups.join('-')}`,
    `${cc} (${intlGroups[0] ?? ''}) ${intlGroups.slice(1).join('-')}`,
  ];
  return [...new Set(out.filter((v) => v.replace(/\D/g, '').length > 0))];
}

/** A phone number safe for logs: the country code and the last two digits only. */
export function maskPhone(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '***';
  return `${value.startsWith('+') ? '+' : ''}${digits.slice(0, 1)}***${digits.slice(-2)}`;
}
