// CRM objects v3: create, read, update, list, batch create and read, and search for contacts, deals, calls,
// tasks and notes, on HubSpot's paths (OpenAPI contacts.json, deals.json, calls.json, tasks.json,
// notes.json).
import { Hono } from 'hono';
import { z } from 'zod';
import {
  iso,
  jsonBody,
  listParam,
  objectScope,
  objectTypeParam,
  publicObject,
  requireScope,
  type SandboxCore,
  type SandboxEnv,
} from '../core';
import {
  HubspotApiError,
  invalidProperties,
  objectNotFound,
  validationError,
  type PropertyValueError,
} from '../errors';
import {
  associationType,
  OBJECT_TYPES,
  resolveObjectType,
  type ObjectType,
  type ObjectTypeInfo,
} from '../object-types';
import { derivePhoneProperties } from '../phone';
import { findStage } from '../pipelines';
import { requiredOnCreate } from '../property-catalog';
import { checkPropertyValues } from '../property-values';
import { runSearch, searchRequestSchema } from '../search';
import type { NewAssociation, StoredRecord } from '../store';

const associationInput = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z
    .array(
      z.object({
        associationCategory: z.enum(['HUBSPOT_DEFINED', 'INTEGRATOR_DEFINED', 'USER_DEFINED', 'WORK']),
        associationTypeId: z.number().int(),
      }),
    )
    .min(1),
});

const createInput = z.object({
  properties: z.record(z.string(), z.unknown()).default({}),
  associations: z.array(associationInput).default([]),
});

const batchCreateInput = z.object({
  inputs: z
    .array(createInput.extend({ objectWriteTraceId: z.string().optional() }))
    .min(1)
    .max(100),
});

const updateInput = z.object({ properties: z.record(z.string(), z.unknown()) });

const batchReadInput = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })).max(100),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});

/** What a free-text `query` searches, per type. */
const TEXT_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company'],
  deals: ['dealname'],
  calls: ['hs_call_title', 'hs_call_body'],
  tasks: ['hs_task_subject', 'hs_task_body'],
  notes: ['hs_note_body'],
};

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'body';
  throw validationError(`Invalid input JSON: ${where}: ${issue?.message ?? 'invalid'}`, {
    errors: result.error.issues.map((i) => ({ message: i.message, in: i.path.join('.') })),
  });
}

export function objectRoutes(core: SandboxCore) {
  const { store, clock } = core;

  async function ownerIds(): Promise<Set<string>> {
    return new Set((await store.owners({ archived: false })).map((o) => o.id));
  }

  /** Checks values and fills in what HubSpot computes on every write. */
  async function prepare(
    info: ObjectTypeInfo,
    input: Record<string, unknown>,
    current: StoredRecord | null,
    now: number,
  ): Promise<Record<string, string>> {
    const defs = await store.properties(info.name);
    const { values, errors } = checkPropertyValues(input, defs, { ownerIds: await ownerIds() });
    const merged: Record<string, string> = { ...(current?.properties ?? {}), ...values };
    for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
    if (!current) {
      for (const name of requiredOnCreate(info.name)) {
        if (!merged[name]) errors.push({ name, error: 'REQUIRED_PROPERTY', message: `${name} is required` });
      }
    }
    if (info.name === 'deals') errors.push(...dealStageErrors(merged, !current));
    if (errors.length > 0) throw invalidProperties(errors, core.portalId);

    if (info.name === 'contacts') derivePhoneProperties(merged, core.defaultCountry);
    if (info.name === 'deals') {
      const stage = findStage(core.pipelines, merged.pipeline ?? '', merged.dealstage ?? '');
      merged.hs_is_closed = stage?.metadata.isClosed ?? 'false';
      merged.hs_is_closed_won = String(stage?.metadata.isClosed === 'true' && stage.metadata.probability === '1.0');
    }
    merged[info.createdProperty] ??= iso(now);
    merged[info.modifiedProperty] = iso(now);
    return merged;
  }

  /** A deal lands in the default pipeline unless told otherwise, and its stage must belong to it. */
  function dealStageErrors(merged: Record<string, string>, creating: boolean): PropertyValueError[] {
    if (creating && !merged.pipeline) merged.pipeline = core.pipelines[0]?.id ?? 'default';
    const pipeline = core.pipelines.find((p) => p.id === merged.pipeline);
    if (!pipeline) {
      return [{ name: 'pipeline', error: 'INVALID_OPTION', message: `${merged.pipeline} was not a valid pipeline` }];
    }
    if (!merged.dealstage) {
      return [{ name: 'dealstage', error: 'REQUIRED_PROPERTY', message: 'dealstage is required' }];
    }
    if (!pipeline.stages.some((s) => s.id === merged.dealstage)) {
      return [
        {
          name: 'dealstage',
          error: 'INVALID_OPTION',
          message: `${merged.dealstage} was not one of the allowed options: [${pipeline.stages.map((s) => s.id).join(', ')}]`,
        },
      ];
    }
    return [];
  }

  async function uniqueEmail(info: ObjectTypeInfo, props: Record<string, string>, selfId: string | null) {
    if (info.name !== 'contacts' || !props.email) return;
    const existing = await store.findByProperty('contacts', 'email', props.email);
    if (existing && existing.id !== selfId) {
      throw new HubspotApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    }
  }

  async function resolveAssociations(
    info: ObjectTypeInfo,
    inputs: z.infer<typeof associationInput>[],
  ): Promise<NewAssociation[]> {
    const out: NewAssociation[] = [];
    for (const input of inputs) {
      for (const t of input.types) {
        const type = associationType(info.name, t.associationTypeId);
        if (!type || t.associationCategory !== 'HUBSPOT_DEFINED') {
          throw validationError(
            `${t.associationCategory} association type ${t.associationTypeId} is not valid for ${info.singular} associations`,
          );
        }
        if (!(await store.getObject(type.to, input.to.id))) {
          throw validationError(
            `One or more associations are invalid: no ${OBJECT_TYPES[type.to].singular} with id ${input.to.id}`,
            { context: { id: [input.to.id] } },
          );
        }
        out.push({
          fromType: info.name,
          toType: type.to,
          toId: input.to.id,
          typeId: type.typeId,
          inverseTypeId: type.inverse,
          category: t.associationCategory,
        });
      }
    }
    return out;
  }

  /** Everything a create checks, before anything is written: HubSpot refuses a bad input whole. */
  async function checkCreate(info: ObjectTypeInfo, input: z.infer<typeof createInput>, now: number) {
    const properties = await prepare(info, input.properties, null, now);
    await uniqueEmail(info, properties, null);
    const associations = await resolveAssociations(info, input.associations);
    return { properties, associations };
  }

  /** v3 reads with `?associations=deals,contacts`: ids grouped by the associated type. */
  async function associationsOf(record: StoredRecord, wanted: string[]) {
    const out: Record<string, { results: { id: string; type: string }[] }> = {};
    for (const name of wanted) {
      const to = resolveObjectType(name);
      if (!to) continue;
      const rows = await store.associations(record.type, record.id, to.name);
      if (rows.length === 0) continue;
      out[to.name] = {
        results: rows.map((r) => ({
          id: r.toId,
          type: associationType(record.type, r.typeId)?.name ?? `${record.type}_to_${to.singular}`,
        })),
      };
    }
    return out;
  }

  return new Hono<SandboxEnv>()
    .post('/crm/v3/objects/:objectType', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'write'));
      const input = parse(createInput, await jsonBody(c));
      const now = clock.now();
      const { properties, associations } = await checkCreate(info, input, now);
      const record = await store.createObject(info.name, properties, now, now + core.searchLagMs, associations);
      return c.json(publicObject(record, info, null), 201);
    })
    .post('/crm/v3/objects/:objectType/batch/create', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'write'));
      const startedAt = iso(clock.now());
      const { inputs } = parse(batchCreateInput, await jsonBody(c));
      const now = clock.now();
      // Every input is checked before any is written: one bad input fails the whole batch.
      const checked = [];
      const emails = new Set<string>();
      for (const input of inputs) {
        const ok = await checkCreate(info, input, now);
        const email = info.name === 'contacts' ? ok.properties.email?.toLowerCase() : undefined;
        if (email && emails.has(email)) throw validationError(`Duplicate email in batch input: ${email}`);
        if (email) emails.add(email);
        checked.push({ ...ok, objectWriteTraceId: input.objectWriteTraceId });
      }
      const results = [];
      for (const input of checked) {
        const record = await store.createObject(
          info.name,
          input.properties,
          now,
          now + core.searchLagMs,
          input.associations,
        );
        results.push({
          ...publicObject(record, info, null),
          ...(input.objectWriteTraceId !== undefined ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
        });
      }
      return c.json({ status: 'COMPLETE', results, startedAt, completedAt: iso(clock.now()) }, 201);
    })
    .get('/crm/v3/objects/:objectType', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'read'));
      const limit = Math.min(Number(c.req.query('limit') ?? 10) || 10, 100);
      const after = Number(c.req.query('after') ?? 0) || 0;
      const page = await store.listObjects(info.name, after > 0 ? after - 1 : 0, limit + 1);
      const select = listParam(c, 'properties') ?? [];
      const wanted = listParam(c, 'associations') ?? [];
      const results = [];
      for (const r of page.slice(0, limit)) {
        const associations = await associationsOf(r, wanted);
        results.push({
          ...publicObject(r, info, select),
          ...(Object.keys(associations).length ? { associations } : {}),
        });
      }
      const next = page[limit];
      return c.json({ results, ...(next ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}) });
    })
    .post('/crm/v3/objects/:objectType/search', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'read'));
      const req = parse(searchRequestSchema, await jsonBody(c));
      const defs = await store.properties(info.name);
      const page = runSearch(req, await store.searchable(info.name, clock.now()), defs, TEXT_PROPERTIES[info.name]);
      return c.json({
        total: page.total,
        results: page.results.map((r) => publicObject(r, info, req.properties)),
        ...(page.nextAfter ? { paging: { next: { after: page.nextAfter } } } : {}),
      });
    })
    .post('/crm/v3/objects/:objectType/batch/read', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'read'));
      const startedAt = iso(clock.now());
      const input = parse(batchReadInput, await jsonBody(c));
      const ids = input.inputs.map((i) => i.id);
      const found = await store.getObjects(info.name, ids);
      const byId = new Map(found.map((r) => [r.id, r]));
      const results = ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [publicObject(r, info, input.properties)] : [];
      });
      const missing = [...new Set(ids.filter((id) => !byId.has(id)))];
      const body = { status: 'COMPLETE', results, startedAt, completedAt: iso(clock.now()) };
      if (missing.length === 0) return c.json(body);
      const error = {
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: `Could not get some ${info.singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
        context: { ids: missing },
        errors: [],
        links: {},
      };
      return c.json({ ...body, numErrors: 1, errors: [error] }, 207);
    })
    .get('/crm/v3/objects/:objectType/:objectId', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'read'));
      const id = c.req.param('objectId');
      const record = await store.getObject(info.name, id);
      if (!record) throw objectNotFound(id);
      const associations = await associationsOf(record, listParam(c, 'associations') ?? []);
      return c.json({
        ...publicObject(record, info, listParam(c, 'properties') ?? []),
        ...(Object.keys(associations).length ? { associations } : {}),
      });
    })
    .patch('/crm/v3/objects/:objectType/:objectId', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, objectScope(info, 'write'));
      const id = c.req.param('objectId');
      const input = parse(updateInput, await jsonBody(c));
      const current = await store.getObject(info.name, id);
      if (!current) throw objectNotFound(id);
      const now = clock.now();
      const properties = await prepare(info, input.properties, current, now);
      await uniqueEmail(info, properties, current.id);
      const record = await store.updateObject(current, properties, now, now + core.searchLagMs);
      return c.json(publicObject(record, info, null));
    });
}
