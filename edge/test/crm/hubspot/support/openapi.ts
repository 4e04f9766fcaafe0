// A small OpenAPI 3.0 checker for the contract tests: reads HubSpot's official documents from
// ../shared/contracts/hubspot (tests may read shared fixtures; the product never does), finds the
// operation a request hits, and validates JSON against its request or response schema with $refs
// resolved. It covers the JSON Schema subset those documents use.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: Json[];
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface MediaType {
  schema?: Schema;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses?: Record<string, ResponseObject> };
}

export interface OperationMatch {
  doc: OpenApiDocument;
  file: string;
  template: string;
  method: string;
  op: Operation;
}

const CONTRACTS = fileURLToPath(new URL('../../../../../../shared/contracts/hubspot/', import.meta.url));

export function loadHubspotContracts(): Map<string, OpenApiDocument> {
  const docs = new Map<string, OpenApiDocument>();
  for (const file of readdirSync(CONTRACTS).filter((f) => f.endsWith('.json'))) {
    docs.set(file, JSON.parse(readFileSync(`${CONTRACTS}${file}`, 'utf8')) as OpenApiDocument);
  }
  return docs;
}

// The deals document names its object by type id; HubSpot accepts either.
const PATH_ALIASES: [RegExp, string][] = [[/^\/crm\/v3\/objects\/deals(?=\/|$)/, '/crm/v3/objects/0-3']];

export function findOperation(docs: Map<string, OpenApiDocument>, method: string, path: string): OperationMatch | null {
  const candidates = [path, ...PATH_ALIASES.filter(([re]) => re.test(path)).map(([re, to]) => path.replace(re, to))];
  const matches: (OperationMatch & { params: number })[] = [];
  for (const [file, doc] of docs) {
    for (const [template, ops] of Object.entries(doc.paths)) {
      const op = ops[method.toLowerCase()];
      if (!op) continue;
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
      if (candidates.some((p) => re.test(p))) {
        matches.push({ doc, file, template, method, op, params: (template.match(/\{/g) ?? []).length });
      }
    }
  }
  // A literal segment beats a parameter (`/groups` over `/{propertyName}`).
  matches.sort((a, b) => a.params - b.params);
  return matches[0] ?? null;
}

function jsonSchemaOf(content: Record<string, MediaType> | undefined): Schema | null {
  if (!content) return null;
  return content['application/json']?.schema ?? content['*/*']?.schema ?? null;
}

export function requestSchema(m: OperationMatch): Schema | null {
  return jsonSchemaOf(m.op.requestBody?.content);
}

export function responseSchema(m: OperationMatch, status: number): Schema | null {
  let res = m.op.responses[String(status)] ?? m.op.responses.default;
  if (res?.$ref) res = m.doc.components.responses?.[res.$ref.split('/').pop() ?? ''];
  return jsonSchemaOf(res?.content);
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; s.$ref && i < 20; i++) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every way `value` breaks `schema`, as `path: problem` lines (empty = valid). */
export function validate(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  const s = resolve(doc, schema);
  const errors: string[] = [];
  if (value === null) return s.nullable ? [] : [`${at}: null is not allowed`];
  if (s.allOf) for (const part of s.allOf) errors.push(...validate(doc, part, value, at));
  for (const alternatives of [s.oneOf, s.anyOf]) {
    if (alternatives && !alternatives.some((alt) => validate(doc, alt, value, at).length === 0)) {
      errors.push(`${at}: matches none of the alternatives`);
    }
  }
  if (s.enum && !s.enum.includes(value as Json)) errors.push(`${at}: ${JSON.stringify(value)} is not in the enum`);
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [...errors, `${at}: expected an object`];
      const obj = value as Record<string, unknown>;
      for (const name of s.required ?? []) if (!(name in obj)) errors.push(`${at}.${name}: required`);
      for (const [name, v] of Object.entries(obj)) {
        const prop = s.properties?.[name];
        if (prop) errors.push(...validate(doc, prop, v, `${at}.${name}`));
        else if (s.additionalProperties === false) errors.push(`${at}.${name}: not allowed`);
        else if (typeof s.additionalProperties === 'object') {
          errors.push(...validate(doc, s.additionalProperties, v, `${at}.${name}`));
        }
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [...errors, `${at}: expected an array`];
      if (s.items) value.forEach((v, i) => errors.push(...validate(doc, s.items as Schema, v, `${at}[${i}]`)));
      break;
    case 'string':
      if (typeof value !== 'string') errors.push(`${at}: expected a string, got ${typeof value}`);
      else if (s.format === 'date-time' && !ISO_DATE_TIME.test(value)) errors.push(`${at}: not a date-time: ${value}`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${at}: expected an integer`);
      break;
    case 'number':
      if (typeof value !== 'number') errors.push(`${at}: expected a number`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${at}: expected a boolean`);
      break;
  }
  return errors;
}
