// Salesforce indexes phone fields by their digits, so `4155550100` finds "(415) 555-0100" and
// "+1 415 555 0100". The sandbox models that as: the digits are equal, or one is the other with
// at most four more leading digits (a country code, a trunk 0, an international 00) and the
// shorter has at least seven digits. SOSL and the phone duplicate rule both use it.

export const digits = (s: string) => s.replace(/\D/g, '');

export function phoneMatches(stored: string, term: string): boolean {
  const a = digits(stored);
  const b = digits(term);
  if (!a || !b) return false;
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 7 && long.length - short.length <= 4 && long.endsWith(short);
}
