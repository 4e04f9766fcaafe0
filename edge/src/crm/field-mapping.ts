// Per tenant and CRM: which CRM property gets which text, as templates over the call and its
// analysis (`{{analysis.intent}} via {{call.utm_source}}`). Saved in the integration's options
// (`options.fieldMapping`), checked when saved, merged over the CRM's defaults when a call syncs.
// See FIELD-MAPPING.md.
import type { Analysis } from '@callsight/shared';
import { z } from 'zod';
import type { CrmKind } from './port';
import { defaultFieldMappings, mappedObjects, type FieldMapping, type MappedObject } from './mapping/defaults';
import { parseTemplate, renderTemplate, templateVariables } from './mapping/template';
import { isTemplateVariable, templateValues, type TemplateCall } from './mapping/variables';

export { defaultFieldMappings, mappedObjects, type FieldMapping, type MappedObject } from './mapping/defaults';
export { TEMPLATE_VARIABLES, type TemplateCall } from './mapping/variables';

export const MAX_PROPERTIES_PER_OBJECT = 50;
export const MAX_TEMPLATE_LENGTH = 1000;
export const MAX_PROPERTY_NAME_LENGTH = 100;

/** HubSpot internal names, Salesforce API names (`Callsight_Intent__c`), Pipedrive field keys. */
const PROPERTY_NAME = /^[A-Za-z0-9_]+$/;

/** "" removes a default; anything else must parse and use only known variables. */
export const TemplateSchema = z
  .string()
  .max(MAX_TEMPLATE_LENGTH, `templates are at most ${MAX_TEMPLATE_LENGTH} characters`)
  .superRefine((template, ctx) => {
    const used = templateVariables(template);
    if (!used.ok) {
      ctx.addIssue({ code: 'custom', message: used.problem });
      return;
    }
    for (const name of used.variables) {
      if (!isTemplateVariable(name)) {
        ctx.addIssue({ code: 'custom', message: `unknown template variable {{${name}}}` });
      }
    }
  });

export const ObjectMappingSchema = z.record(z.string(), TemplateSchema).superRefine((mapping, ctx) => {
  const names = Object.keys(mapping);
  if (names.length > MAX_PROPERTIES_PER_OBJECT) {
    ctx.addIssue({
      code: 'custom',
      message: `at most ${MAX_PROPERTIES_PER_OBJECT} properties per object, got ${names.length}`,
    });
  }
  for (const name of names) {
    const problem =
      name.trim() === ''
        ? 'property name is empty'
        : name.length > MAX_PROPERTY_NAME_LENGTH
          ? `property name is longer than ${MAX_PROPERTY_NAME_LENGTH} characters`
          : !PROPERTY_NAME.test(name)
            ? `property name "${name}" may only hold letters, digits and underscores`
            : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
  }
});

/** What a tenant saves: any of the four objects, each merged over the CRM's defaults. */
export const FieldMappingSchema = z
  .object(
    Object.fromEntries(mappedObjects.map((o) => [o, ObjectMappingSchema.optional()])) as Record<
      MappedObject,
      z.ZodOptional<typeof ObjectMappingSchema>
    >,
  )
  .strict();

export type FieldMappingInput = z.infer<typeof FieldMappingSchema>;

/**
 * The mapping in force: the CRM's defaults with the tenant's entries over them; an entry mapped
 * to "" removes the default of that name.
 */
export function effectiveFieldMapping(crm: CrmKind, saved: FieldMappingInput | undefined): FieldMapping {
  const defaults = defaultFieldMappings[crm];
  const merge = (object: MappedObject) =>
    Object.fromEntries(
      Object.entries({ ...defaults[object], ...saved?.[object] }).filter(([, template]) => template !== ''),
    );
  return { contact: merge('contact'), deal: merge('deal'), call: merge('call'), task: merge('task') };
}

/** The mapping in force for an integration's stored options (checked when they were saved). */
export function fieldMappingOf(crm: CrmKind, options: Record<string, unknown>): FieldMapping {
  const parsed = FieldMappingSchema.safeParse(options.fieldMapping ?? {});
  return effectiveFieldMapping(crm, parsed.success ? parsed.data : undefined);
}

/** Per object, the properties to write for this call; a property that renders empty is left out. */
export type RenderedProperties = Record<MappedObject, Record<string, string>>;

export function renderFieldMapping(
  mapping: FieldMapping,
  call: TemplateCall,
  analysis: Analysis | null,
): RenderedProperties {
  const values = templateValues(call, analysis);
  const render = (object: MappedObject) => {
    const out: Record<string, string> = {};
    for (const [name, template] of Object.entries(mapping[object])) {
      const parsed = parseTemplate(template);
      // Saved mappings were checked; a default that does not parse is a bug, and writes nothing.
      const value = parsed.ok ? renderTemplate(parsed.parts, values) : '';
      if (value !== '') out[name] = value;
    }
    return out;
  };
  return { contact: render('contact'), deal: render('deal'), call: render('call'), task: render('task') };
}
