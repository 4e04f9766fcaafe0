// The CRM search API's query language (reference crm-apis.md §1.3, OpenAPI `PublicObjectSearchRequest`):
// filter groups OR-ed together, filters inside a group AND-ed, one sort, up to 200 results per
// page, paging by offset, 10,000 results at most.
import { z } from 'zod';
import { validationError } from './errors';
import type { PropertyDefinition } from './property-catalog';
import type { StoredRecord } from './store';

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(OPERATORS),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});

export const searchRequestSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z
    .array(
      z.union([
        z.string(),
        z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
      ]),
    )
    .default([]),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(0).default(10),
  after: scalar.optional(),
  query: z.string().max(3000).optional(),
});

export type SearchRequest = z.infer<typeof searchRequestSchema>;
type Filter = z.infer<typeof filterSchema>;

// The current spec allows "up to 6" groups; older guides said 5 groups of 6 filters, 18 in all.
const MAX_GROUPS = 6;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;
const MAX_LIMIT = 200;
const MAX_RESULTS = 10_000;

export interface SearchPage {
  results: StoredRecord[];
  total: number;
  nextAfter: string | null;
}

export function runSearch(
  req: SearchRequest,
  records: StoredRecord[],
  defs: Map<string, PropertyDefinition>,
  textProperties: string[],
): SearchPage {
  const filterCount = req.filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (req.filterGroups.length > MAX_GROUPS || filterCount > MAX_FILTERS) {
    throw validationError(
      `Too many filters or filter groups: at most ${MAX_GROUPS} filterGroups with ${MAX_FILTERS} filters in total are allowed.`,
    );
  }
  if (req.filterGroups.some((g) => g.filters.length > MAX_FILTERS_PER_GROUP)) {
    throw validationError(`Too many filters in a filter group: at most ${MAX_FILTERS_PER_GROUP} are allowed.`);
  }
  if (req.limit > MAX_LIMIT) throw validationError(`limit must be less than or equal to ${MAX_LIMIT}`);
  if (req.sorts.length > 1) throw validationError('Only one sort is allowed');
  for (const f of req.filterGroups.flatMap((g) => g.filters)) {
    if (!defs.has(f.propertyName) && f.propertyName !== 'hs_object_id') {
      throw validationError(`There was a problem with the request: property "${f.propertyName}" does not exist`);
    }
    if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !f.values?.length) {
      throw validationError(`The ${f.operator} operator on ${f.propertyName} needs "values"`);
    }
  }
  const offset = req.after === undefined || req.after === '' ? 0 : Number(req.after);
  if (!Number.isInteger(offset) || offset < 0) throw validationError(`Invalid "after": ${req.after}`);
  if (offset + req.limit > MAX_RESULTS) {
    throw validationError(`Paging past ${MAX_RESULTS} results is not supported by search.`);
  }

  const withId = (r: StoredRecord): Record<string, string> => ({ ...r.properties, hs_object_id: r.id });
  let matched = records.filter((r) => {
    const props = withId(r);
    const byFilters =
      req.filterGroups.length === 0 ||
      req.filterGroups.some((g) => g.filters.every((f) => matches(f, props[f.propertyName], defs.get(f.propertyName))));
    return byFilters && (!req.query || matchesQuery(req.query, props, textProperties));
  });

  const sort = req.sorts[0];
  if (sort) {
    const [name, desc] =
      typeof sort === 'string'
        ? [sort.replace(/^-/, ''), sort.startsWith('-')]
        : [sort.propertyName, sort.direction === 'DESCENDING'];
    const def = defs.get(name);
    matched = matched.sort((a, b) => {
      const cmp = compare(def, withId(a)[name], withId(b)[name]);
      return desc ? -cmp : cmp;
    });
  } else {
    matched = matched.sort((a, b) => Number(a.id) - Number(b.id));
  }
  const results = matched.slice(offset, offset + req.limit);
  const next = offset + req.limit;
  return { results, total: matched.length, nextAfter: next < matched.length ? String(next) : null };
}

function matches(f: Filter, actual: string | undefined, def: PropertyDefinition | undefined): boolean {
  const has = actual !== undefined && actual !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && f.value !== undefined && compare(def, actual, f.value) === 0;
    case 'NEQ':
      return !has || f.value === undefined || compare(def, actual, f.value) !== 0;
    case 'LT':
      return has && f.value !== undefined && compare(def, actual, f.value) < 0;
    case 'LTE':
      return has && f.value !== undefined && compare(def, actual, f.value) <= 0;
    case 'GT':
      return has && f.value !== undefined && compare(def, actual, f.value) > 0;
    case 'GTE':
      return has && f.value !== undefined && compare(def, actual, f.value) >= 0;
    case 'BETWEEN':
      return (
        has &&
        f.value !== undefined &&
        f.highValue !== undefined &&
        compare(def, actual, f.value) >= 0 &&
        compare(def, actual, f.highValue) <= 0
      );
    case 'IN':
      return has && (f.values ?? []).some((v) => compare(def, actual, v) === 0);
    case 'NOT_IN':
      return !has || !(f.values ?? []).some((v) => compare(def, actual, v) === 0);
    case 'CONTAINS_TOKEN':
      return has && f.value !== undefined && containsToken(actual, f.value);
    case 'NOT_CONTAINS_TOKEN':
      return !has || f.value === undefined || !containsToken(actual, f.value);
  }
}

/** Numbers and dates compare as numbers, booleans and strings case-insensitively. */
function compare(def: PropertyDefinition | undefined, a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const type = def?.type ?? 'string';
  if (type === 'number' || type === 'datetime' || type === 'date') {
    const na = toNumber(type, a);
    const nb = toNumber(type, b);
    if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  }
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function toNumber(type: string, v: string): number {
  if (type === 'number') return Number(v);
  return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}

/** A token is a run of letters or digits; `*` in the searched value is a wildcard. */
function containsToken(actual: string, wanted: string): boolean {
  const tokens = actual
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const pattern = new RegExp(
    `^${wanted
      .toLowerCase()
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return tokens.some((t) => pattern.test(t)) || pattern.test(actual.toLowerCase());
}

function matchesQuery(query: string, props: Record<string, string>, textProperties: string[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = textProperties
    .map((p) => props[p] ?? '')
    .join(' ')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}
