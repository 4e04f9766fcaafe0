import { normalisePhone } from '@callsight/shared';

// Phone lookup through SOSL. Salesforce stores phones as typed and its own sample searches
// digits only (`FIND {4155551212} IN PHONE FIELDS`), so we search the number's digits with and
// without the country code, and leave the exact E.164 comparison to the caller.

/** Digits with the country code, and the national number on its own (found by re-parsing). */
export function phoneSearchTerms(e164: string): string[] {
  const all = e164.replace(/\D/g, '');
  const terms = new Set([all]);
  const { country } = normalisePhone(e164);
  if (country) {
    // The national number is what is left once the 1-3 digit country code is gone; the one that
    // parses back to the same E.164 in the number's own country is it.
    for (let cc = 1; cc <= 3; cc++) {
      const national = all.slice(cc);
      if (normalisePhone(national, country).e164 === e164) {
        terms.add(national);
        break;
      }
    }
  }
  return [...terms].filter((t) => t.length >= 2);
}

export const CONTACT_SEARCH_FIELDS = [
  'Id',
  'Name',
  'Phone',
  'MobilePhone',
  'HomePhone',
  'OtherPhone',
  'OwnerId',
  'LastModifiedDate',
];
export const LEAD_SEARCH_FIELDS = ['Id', 'Name', 'Phone', 'MobilePhone', 'OwnerId', 'LastModifiedDate'];

/** The SOSL for one number: Contacts, and Leads not yet converted (a converted Lead lives on as a Contact). */
export function phoneSearchSosl(e164: string, limit = 50): string {
  const terms = phoneSearchTerms(e164)
    .map((t) => `"${t}"`)
    .join(' OR ');
  return (
    `FIND {${terms}} IN PHONE FIELDS RETURNING ` +
    `Contact(${CONTACT_SEARCH_FIELDS.join(', ')}), ` +
    `Lead(${LEAD_SEARCH_FIELDS.join(', ')} WHERE IsConverted = false) LIMIT ${limit}`
  );
}

/** A SOQL string literal: backslashes and quotes escaped. */
export const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
