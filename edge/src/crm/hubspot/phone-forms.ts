// The shapes one phone number takes in a HubSpot portal. People type numbers in any format and
// HubSpot keeps `phone` / `mobilephone` as free text, but it also derives
// `hs_searchable_calculated_phone_number`: the national number without the country code
// (reference crm-apis.md §1.3, [S]). Search therefore needs the E.164 form, the bare digits and
// the national significant number.
import { normalisePhone } from '@callsight/shared';

export interface PhoneForms {
  e164: string;
  /** E.164 without the `+`: how Ringostat-style integrations store numbers. */
  digits: string;
  /** The national significant number (no country code, no trunk prefix), when it can be told apart. */
  national: string | null;
  /** The country calling code's digits (`1`, `44`, `380`), when known. */
  callingCode: string | null;
}

/**
 * Splits an E.164 number into country code and national number with the shared normaliser only:
 * the national part is the one that, read as a national number of the number's country, gives the
 * same E.164 back. Country codes are 1 to 3 digits, tried longest first: a too-short split can
 * also round-trip when the left-over digit is the trunk prefix (+380 50… read as `0 50…` in UA).
 */
export function phoneForms(e164: string): PhoneForms {
  const digits = e164.replace(/\D/g, '');
  const parsed = normalisePhone(`+${digits}`);
  const country = parsed.country;
  if (parsed.e164 && country) {
    for (let k = Math.min(3, digits.length - 1); k >= 1; k--) {
      const national = digits.slice(k);
      if (normalisePhone(national, country).e164 === parsed.e164) {
        return { e164: parsed.e164, digits, national, callingCode: digits.slice(0, k) };
      }
    }
  }
  return { e164: `+${digits}`, digits, national: null, callingCode: null };
}
