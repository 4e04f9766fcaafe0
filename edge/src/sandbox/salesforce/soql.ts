import { malformedQuery, sfError } from './errors';
import { normaliseId } from './ids';
import type { FieldValue, SObjectDef } from './objects';
import { recordView } from './records';
import type { StoredRecord } from './store';

// A deliberately tiny SOQL: exactly the shapes the adapter sends, and nothing that would let a
// test pass against the sandbox while failing against a real org.
//
//   SELECT f1, f2 FROM Object [WHERE f = literal [AND f != literal]…] [ORDER BY f [ASC|DESC]] [LIMIT n]
//
// Literals: 'quoted strings' (with \' escapes), numbers, true, false, null. Anything else (OR,
// LIKE, IN, sub-queries, relationship fields) answers MALFORMED_QUERY so the gap is obvious.
// SOSL's RETURNING Object(...) clauses reuse the same field list and clauses.

export interface Condition {
  field: string;
  op: '=' | '!=';
  value: FieldValue;
}

export interface SelectClauses {
  fields: string[];
  where: Condition[];
  orderBy: { field: string; descending: boolean } | null;
  limit: number | null;
}

export interface SoqlQuery extends SelectClauses {
  object: string;
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'symbol';
  text: string;
}

const TOKEN = /\s*(?:'((?:\\.|[^'\\])*)'|(\d+(?:\.\d+)?)\b|([A-Za-z_][A-Za-z0-9_.]*)|(!=|<>|[=,()<>]))/y;
const KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'order',
  'by',
  'limit',
  'asc',
  'desc',
  'like',
  'in',
]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (!text.slice(start).trim()) break;
      throw malformedQuery(`unexpected token: '${text.slice(start).trim().split(/\s+/)[0]}'`);
    }
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'word', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'symbol', text: m[4] });
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private take(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw malformedQuery('unexpected end of query');
    return t;
  }

  isKeyword(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  keyword(word: string): void {
    const t = this.take();
    if (t.kind !== 'word' || t.text.toLowerCase() !== word) {
      throw malformedQuery(`unexpected token: '${t.text}', expected ${word.toUpperCase()}`);
    }
  }

  identifier(): string {
    const t = this.take();
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase())) throw malformedQuery(`unexpected token: '${t.text}'`);
    return t.text;
  }

  symbol(text: string): boolean {
    const t = this.peek();
    if (t?.kind === 'symbol' && t.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  end(): void {
    const t = this.peek();
    if (t) throw malformedQuery(`unexpected token: '${t.text}'`);
  }

  fieldList(): string[] {
    const fields = [this.identifier()];
    while (this.symbol(',')) fields.push(this.identifier());
    return fields;
  }

  clauses(): Omit<SelectClauses, 'fields'> {
    const where: Condition[] = [];
    if (this.isKeyword('where')) {
      this.keyword('where');
      where.push(this.condition());
      while (this.isKeyword('and')) {
        this.keyword('and');
        where.push(this.condition());
      }
      if (this.isKeyword('or')) throw malformedQuery('the sandbox understands WHERE … AND … only, not OR');
    }
    let orderBy: SelectClauses['orderBy'] = null;
    if (this.isKeyword('order')) {
      this.keyword('order');
      this.keyword('by');
      const field = this.identifier();
      let descending = false;
      if (this.isKeyword('desc') || this.isKeyword('asc')) descending = this.take().text.toLowerCase() === 'desc';
      orderBy = { field, descending };
    }
    let limit: number | null = null;
    if (this.isKeyword('limit')) {
      this.keyword('limit');
      const t = this.take();
      if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw malformedQuery(`unexpected token: '${t.text}'`);
      limit = Number(t.text);
    }
    return { where, orderBy, limit };
  }

  private condition(): Condition {
    const field = this.identifier();
    const op = this.take();
    if (op.kind !== 'symbol' || (op.text !== '=' && op.text !== '!=')) {
      throw malformedQuery(`unexpected token: '${op.text}': the sandbox understands = and != only`);
    }
    const t = this.take();
    let value: FieldValue;
    if (t.kind === 'string') value = t.text;
    else if (t.kind === 'number') value = Number(t.text);
    else if (t.kind === 'word' && ['true', 'false', 'null'].includes(t.text.toLowerCase())) {
      value = t.text.toLowerCase() === 'null' ? null : t.text.toLowerCase() === 'true';
    } else throw malformedQuery(`unexpected token: '${t.text}'`);
    return { field, op: op.text, value };
  }
}

export function parseSoql(text: string): SoqlQuery {
  const p = new Parser(tokenize(text));
  p.keyword('select');
  const fields = p.fieldList();
  p.keyword('from');
  const object = p.identifier();
  const clauses = p.clauses();
  p.end();
  return { fields, object, ...clauses };
}

/** The inside of a SOSL `RETURNING Object(…)`: a field list and the same optional clauses. */
export function parseReturningFields(text: string): SelectClauses {
  const p = new Parser(tokenize(text));
  const fields = p.fieldList();
  const clauses = p.clauses();
  p.end();
  return { fields, ...clauses };
}

function canonicalField(object: SObjectDef, name: string): string {
  const found = Object.keys(object.fields).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!found) {
    throw sfError(
      400,
      'INVALID_FIELD',
      `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return found;
}

function equals(actual: unknown, expected: FieldValue, isId: boolean): boolean {
  if (expected === null || actual === null || actual === undefined) return (actual ?? null) === expected;
  if (isId && typeof expected === 'string') return actual === (normaliseId(expected) ?? expected);
  // SOQL compares text case-insensitively.
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Filters, sorts, limits and projects records the way SOQL (and a SOSL RETURNING clause) does. */
export function runSelect(object: SObjectDef, clauses: SelectClauses, records: StoredRecord[], version: string) {
  const fields = clauses.fields.map((f) => canonicalField(object, f));
  const where = clauses.where.map((c) => {
    const field = canonicalField(object, c.field);
    const def = object.fields[field];
    return { ...c, field, isId: field === 'Id' || def?.type === 'reference' };
  });
  const order = clauses.orderBy ? { ...clauses.orderBy, field: canonicalField(object, clauses.orderBy.field) } : null;

  let views = records
    .map((r) => recordView(object, r, version))
    .filter((v) => where.every((c) => equals(v[c.field], c.value, c.isId) === (c.op === '=')));
  if (order) {
    views = views.sort((a, b) => compare(a[order.field], b[order.field]) * (order.descending ? -1 : 1));
  }
  if (clauses.limit !== null) views = views.slice(0, clauses.limit);
  return views.map((v) => Object.fromEntries([['attributes', v.attributes], ...fields.map((f) => [f, v[f]])]));
}
