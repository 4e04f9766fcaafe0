// Salesforce record ids: a 3-character key prefix naming the object (00Q Lead, 003 Contact…),
// 12 more characters, and a 3-character suffix that makes the id safe for case-insensitive
// systems. The API accepts the 15- and the 18-character form; it always answers with 18.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 18-character form of a 15-character id: one suffix letter per 5 characters, a bit per capital. */
export function caseSafeId(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/** A new id for the n-th record with this key prefix. */
export function recordId(keyPrefix: string, n: number): string {
  let body = '';
  let rest = n;
  do {
    body = BASE62.charAt(rest % 62) + body;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return caseSafeId(`${keyPrefix}5g${body.padStart(10, '0')}`);
}

/** The 18-character id for a 15- or 18-character one, or null when it is not an id at all. */
export function normaliseId(id: string): string | null {
  return ID_PATTERN.test(id) ? caseSafeId(id.slice(0, 15)) : null;
}
