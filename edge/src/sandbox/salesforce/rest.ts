import { Hono, type Context } from 'hono';
import { malformedQuery, notFound, sfError } from './errors';
import { apiVersionGate, dailyAllocation, requireSession } from './gate';
import { normaliseId } from './ids';
import type { SObjectDef } from './objects';
import type { SalesforceEnv, SandboxOrg } from './org';
import { createRecord, recordUrl, recordView, updateRecord, type RecordContext } from './records';
import { parseSoql, runSelect } from './soql';
import { parseSosl, runSosl } from './sosl';
import type { StoredRecord } from './store';

// The REST resources under /services/data/vNN.N that the adapter uses: sObject rows (create, read,
// update), rows by external id (read, upsert), SOQL query, SOSL search and limits.

type Ctx = Context<SalesforceEnv>;
const DATA = '/services/data/:version';

const versionLabel = (v: number) => {
  const offset = v - 60; // v60.0 is Spring '24; three releases a year, Winter named for the next year.
  const season = ((offset % 3) + 3) % 3;
  const year = 24 + Math.floor(offset / 3) + (season === 2 ? 1 : 0);
  return `${['Spring', 'Summer', 'Winter'][season]} '${year}`;
};

async function readJson(c: Ctx): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw sfError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character ('${text.charAt(0)}'): expected a valid value (number, String, array, object, 'true', 'false' or 'null') at [line:1, column:1]`,
    );
  }
}

export function restRoutes(org: SandboxOrg) {
  const rest = new Hono<SalesforceEnv>();

  const object = (name: string | undefined): SObjectDef => {
    const found = [...org.schema.values()].find((o) => o.name.toLowerCase() === (name ?? '').toLowerCase());
    if (!found) throw notFound();
    return found;
  };
  const recordContext = (c: Ctx): RecordContext => ({
    store: org.store,
    schema: org.schema,
    lookup: (id) => org.store.get(id),
    userId: c.get('userId'),
    version: c.get('version'),
    duplicateRules: org.duplicateRules,
  });
  const externalIdField = (obj: SObjectDef, name: string | undefined): string => {
    const field = Object.keys(obj.fields).find((k) => k.toLowerCase() === (name ?? '').toLowerCase());
    if (!field || !obj.fields[field]?.externalId) {
      throw sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
    }
    return field;
  };
  const byExternalId = async (obj: SObjectDef, field: string, value: string): Promise<StoredRecord[]> =>
    (await org.store.list(obj.name)).filter(
      (r) => r.fields[field] != null && String(r.fields[field]).toLowerCase() === value.toLowerCase(),
    );
  const multipleChoices = (c: Ctx, obj: SObjectDef, matches: StoredRecord[]) =>
    c.json(
      matches.map((r) => recordUrl(c.get('version'), obj.name, r.id)),
      300,
    );

  // The versions list is public and does not count against the allocation.
  rest.on('GET', ['/services/data', '/services/data/'], (c) => {
    const versions = [];
    for (let v = org.minApiVersion; v <= org.maxApiVersion; v++) {
      versions.push({ label: versionLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    }
    return c.json(versions);
  });

  // `/:version/*` also matches `/:version` itself.
  rest.use(`${DATA}/*`, apiVersionGate(org), requireSession(org), dailyAllocation(org));

  rest.get(DATA, (c) => {
    const base = `/services/data/${c.get('version')}`;
    return c.json({
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      search: `${base}/search`,
      limits: `${base}/limits`,
    });
  });

  rest.get(`${DATA}/limits`, async (c) => {
    const used = await org.store.apiUsage();
    return c.json({
      DailyApiRequests: { Max: org.dailyRequestLimit, Remaining: Math.max(0, org.dailyRequestLimit - used) },
    });
  });

  rest.on('GET', [`${DATA}/query`, `${DATA}/query/`], async (c) => {
    const q = c.req.query('q');
    if (!q) throw malformedQuery('A query string has to be specified');
    const query = parseSoql(q);
    const obj = [...org.schema.values()].find((o) => o.name.toLowerCase() === query.object.toLowerCase());
    if (!obj) throw sfError(400, 'INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
    const records = runSelect(obj, query, await org.store.list(obj.name), c.get('version'));
    return c.json({ totalSize: records.length, done: true, records });
  });

  rest.on('GET', [`${DATA}/search`, `${DATA}/search/`], async (c) => {
    const q = c.req.query('q');
    if (!q) throw sfError(400, 'MALFORMED_SEARCH', 'No search term found. The search term must be enclosed in braces.');
    const search = parseSosl(q);
    const objects = await Promise.all(
      search.returning.map(async ({ object: name, clauses }) => {
        const obj = [...org.schema.values()].find((o) => o.name.toLowerCase() === name.toLowerCase());
        if (!obj) throw sfError(400, 'INVALID_TYPE', `sObject type '${name}' is not supported.`);
        return { object: obj, clauses, records: await org.store.list(obj.name) };
      }),
    );
    return c.json({ searchRecords: runSosl(search, objects, c.get('version')) });
  });

  rest.post(`${DATA}/sobjects/:type`, async (c) => {
    const obj = object(c.req.param('type'));
    if (!obj.createable) throw sfError(400, 'INVALID_TYPE', `entity type ${obj.name} does not support insert`);
    const body = await readJson(c);
    const id = await org.store.exclusive(() => createRecord(obj, body, recordContext(c)));
    return c.json({ id, success: true, errors: [] }, 201);
  });

  const findRecord = async (obj: SObjectDef, rawId: string | undefined): Promise<StoredRecord> => {
    const id = normaliseId(rawId ?? '');
    // A segment that is not an id is read as an external-id field name, hence this message.
    if (!id)
      throw sfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
    const record = await org.store.get(id);
    if (!record || record.type !== obj.name) throw notFound();
    return record;
  };

  rest.get(`${DATA}/sobjects/:type/:id`, async (c) => {
    const obj = object(c.req.param('type'));
    const record = await findRecord(obj, c.req.param('id'));
    const view = recordView(obj, record, c.get('version'));
    const fields = c.req.query('fields');
    if (!fields) return c.json(view);
    const [projected] = runSelect(
      obj,
      { fields: fields.split(','), where: [], orderBy: null, limit: null },
      [record],
      c.get('version'),
    );
    return c.json(projected);
  });

  rest.patch(`${DATA}/sobjects/:type/:id`, async (c) => {
    const obj = object(c.req.param('type'));
    const body = await readJson(c);
    await org.store.exclusive(async () =>
      updateRecord(obj, await findRecord(obj, c.req.param('id')), body, recordContext(c)),
    );
    return c.body(null, 204);
  });

  rest.get(`${DATA}/sobjects/:type/:field/:value`, async (c) => {
    const obj = object(c.req.param('type'));
    const field = externalIdField(obj, c.req.param('field'));
    const matches = await byExternalId(obj, field, c.req.param('value'));
    if (matches.length > 1) return multipleChoices(c, obj, matches);
    const [record] = matches;
    if (!record) throw notFound();
    return c.json(recordView(obj, record, c.get('version')));
  });

  // Upsert by external id: 201 when created; when updated, 200 with a body from v46.0 on and
  // 204 before; 300 when the value matches several records.
  rest.patch(`${DATA}/sobjects/:type/:field/:value`, async (c) => {
    const obj = object(c.req.param('type'));
    const field = externalIdField(obj, c.req.param('field'));
    const value = c.req.param('value');
    const body = await readJson(c);
    const ctx = recordContext(c);
    const outcome = await org.store.exclusive(async () => {
      const matches = await byExternalId(obj, field, value);
      if (matches.length > 1) return { kind: 'ambiguous' as const, matches };
      const [existing] = matches;
      if (existing) {
        await updateRecord(obj, existing, body, ctx);
        return { kind: 'written' as const, id: existing.id, created: false };
      }
      if (c.req.query('updateOnly') === 'true') throw notFound();
      const fields = typeof body === 'object' && body !== null ? { ...body, [field]: value } : body;
      return { kind: 'written' as const, id: await createRecord(obj, fields, ctx), created: true };
    });
    if (outcome.kind === 'ambiguous') return multipleChoices(c, obj, outcome.matches);
    if (outcome.created) return c.json({ id: outcome.id, success: true, errors: [], created: true }, 201);
    if (Number(c.get('version').slice(1)) < 46) return c.body(null, 204);
    return c.json({ id: outcome.id, success: true, errors: [], created: false }, 200);
  });

  return rest;
}
