// Properties v3 (OpenAPI properties.json): list, read and create properties and property groups.
// Creating one that exists answers 409, which is how a setup run tells "already there".
import { Hono } from 'hono';
import { z } from 'zod';
import { iso, jsonBody, objectTypeParam, requireScope, type SandboxCore, type SandboxEnv } from '../core';
import { HubspotApiError, validationError } from '../errors';
import type { ObjectTypeInfo } from '../object-types';
import type { PropertyDefinition } from '../property-catalog';

const optionInput = z.object({
  label: z.string(),
  value: z.string(),
  hidden: z.boolean().default(false),
  displayOrder: z.number().int().optional(),
  description: z.string().optional(),
});

const propertyCreate = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'must start with a letter and hold only lower-case letters, digits and _'),
  label: z.string().min(1),
  type: z.enum(['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']),
  fieldType: z.enum([
    'booleancheckbox',
    'calculation_equation',
    'checkbox',
    'date',
    'file',
    'html',
    'number',
    'phonenumber',
    'radio',
    'select',
    'text',
    'textarea',
  ]),
  groupName: z.string().min(1),
  description: z.string().default(''),
  options: z.array(optionInput).default([]),
  displayOrder: z.number().int().default(-1),
  hasUniqueValue: z.boolean().default(false),
  hidden: z.boolean().default(false),
  formField: z.boolean().default(false),
  externalOptions: z.boolean().default(false),
});

const groupCreate = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  displayOrder: z.number().int().default(-1),
});

/** Which field types each property type can be shown as. */
const FIELD_TYPES: Record<string, string[]> = {
  string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
  number: ['number', 'calculation_equation'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  bool: ['booleancheckbox'],
  date: ['date'],
  datetime: ['date'],
  phone_number: ['phonenumber'],
};

function schemaScope(info: ObjectTypeInfo, access: 'read' | 'write'): string {
  return `crm.schemas.${info.scope}.${access}`;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw validationError(`Invalid input JSON: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

export function propertyRoutes(core: SandboxCore) {
  const { store, clock } = core;
  return new Hono<SandboxEnv>()
    .get('/crm/v3/properties/:objectType', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, schemaScope(info, 'read'));
      return c.json({ results: [...(await store.properties(info.name)).values()] });
    })
    .post('/crm/v3/properties/:objectType', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, schemaScope(info, 'write'));
      const input = parseBody(propertyCreate, await jsonBody(c));
      if (input.name.startsWith('hs_'))
        throw validationError(`Property names starting with hs_ are reserved: ${input.name}`);
      if (!FIELD_TYPES[input.type]?.includes(input.fieldType)) {
        throw validationError(`fieldType ${input.fieldType} is not valid for a property of type ${input.type}`);
      }
      if (input.type === 'enumeration' && input.options.length === 0) {
        throw validationError(`Enumeration property ${input.name} needs options`);
      }
      if (!(await store.groups(info.name)).some((g) => g.name === input.groupName)) {
        throw validationError(`Property group ${input.groupName} does not exist`);
      }
      const now = iso(clock.now());
      const boolOptions = [
        { label: 'Yes', value: 'true', hidden: false, displayOrder: 0 },
        { label: 'No', value: 'false', hidden: false, displayOrder: 1 },
      ];
      const options = input.type === 'bool' && input.options.length === 0 ? boolOptions : input.options;
      const def: PropertyDefinition = {
        name: input.name,
        label: input.label,
        type: input.type,
        fieldType: input.fieldType,
        groupName: input.groupName,
        description: input.description,
        options: options.map((o, i) => ({ ...o, displayOrder: o.displayOrder ?? i })),
        displayOrder: input.displayOrder,
        calculated: false,
        externalOptions: input.externalOptions,
        hasUniqueValue: input.hasUniqueValue,
        hidden: input.hidden,
        hubspotDefined: false,
        formField: input.formField,
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
        createdAt: now,
        updatedAt: now,
        archived: false,
      };
      if (!(await store.addProperty(info.name, def))) {
        throw new HubspotApiError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`);
      }
      return c.json(def, 201);
    })
    .get('/crm/v3/properties/:objectType/groups', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, schemaScope(info, 'read'));
      return c.json({ results: await store.groups(info.name) });
    })
    .post('/crm/v3/properties/:objectType/groups', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, schemaScope(info, 'write'));
      const input = parseBody(groupCreate, await jsonBody(c));
      const group = { ...input, archived: false };
      if (!(await store.addGroup(info.name, group))) {
        throw new HubspotApiError(409, 'OBJECT_ALREADY_EXISTS', `Property group named '${input.name}' already exists.`);
      }
      return c.json(group, 201);
    })
    .get('/crm/v3/properties/:objectType/:propertyName', async (c) => {
      const info = objectTypeParam(c.req.param('objectType'));
      requireScope(c, schemaScope(info, 'read'));
      const def = (await store.properties(info.name)).get(c.req.param('propertyName'));
      if (!def) {
        throw new HubspotApiError(
          404,
          'OBJECT_NOT_FOUND',
          `Unable to find property with name ${c.req.param('propertyName')} for object type ${info.typeId}`,
        );
      }
      return c.json(def);
    });
}
