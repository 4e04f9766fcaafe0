import { sfError } from './errors';
import type { SObjectDef } from './objects';
import { phoneMatches } from './phone-match';
import { parseReturningFields, runSelect, type SelectClauses } from './soql';
import type { StoredRecord } from './store';

// SOSL as the adapter uses it:
//
//   FIND {"14155550100" OR "4155550100"} IN PHONE FIELDS
//     RETURNING Contact(Id, Phone, …), Lead(Id, … WHERE IsConverted = false) [LIMIT n]
//
// Phone fields match by digits (see phone-match.ts). Only the IN PHONE FIELDS scope is implemented.

export interface SoslSearch {
  terms: string[];
  returning: Array<{ object: string; clauses: SelectClauses | null }>;
  limit: number | null;
}

const malformedSearch = (message: string) => sfError(400, 'MALFORMED_SEARCH', message);
const SOSL = /^\s*FIND\s*\{((?:\\.|[^}\\])*)\}\s+IN\s+(\w+)\s+FIELDS\s+RETURNING\s+(.+?)(?:\s+LIMIT\s+(\d+))?\s*$/is;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

export function parseSosl(text: string): SoslSearch {
  const m = SOSL.exec(text);
  if (!m)
    throw malformedSearch(`unexpected token in search: the sandbox understands FIND {…} IN PHONE FIELDS RETURNING …`);
  const [, expression = '', scope = '', returning = '', limit] = m;
  if (scope.toUpperCase() !== 'PHONE') throw malformedSearch(`the sandbox searches IN PHONE FIELDS only, not ${scope}`);
  if (/\s(AND|NOT)\s/i.test(expression)) throw malformedSearch('the sandbox understands OR between search terms only');
  const terms = expression.split(/\s+OR\s+/i).map((t) =>
    t
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/\\(.)/g, '$1'),
  );
  for (const term of terms) {
    if (term.replace(/[*?]/g, '').length < 2) {
      throw sfError(400, 'INVALID_SEARCH', `search term must be longer than one character: ${term}`);
    }
  }
  return {
    terms,
    returning: splitTopLevel(returning).map((item) => {
      const im = /^(\w+)\s*(?:\((.*)\))?$/s.exec(item);
      if (!im) throw malformedSearch(`unexpected token in RETURNING: '${item}'`);
      return { object: im[1] ?? '', clauses: im[2] !== undefined ? parseReturningFields(im[2]) : null };
    }),
    limit: limit === undefined ? null : Number(limit),
  };
}

/** Runs a parsed search over each RETURNING object's records; at most 2,000 rows like the real one. */
export function runSosl(
  search: SoslSearch,
  objects: Array<{ object: SObjectDef; clauses: SelectClauses | null; records: StoredRecord[] }>,
  version: string,
) {
  const rows: Record<string, unknown>[] = [];
  for (const { object, clauses, records } of objects) {
    const hits = records.filter((r) => r.searchablePhones.some((p) => search.terms.some((t) => phoneMatches(p, t))));
    rows.push(
      ...runSelect(object, clauses ?? { fields: ['Id'], where: [], orderBy: null, limit: null }, hits, version),
    );
  }
  return rows.slice(0, Math.min(search.limit ?? 2000, 2000));
}
