import { SalesforceApiError, sfError } from './errors';
import { phoneMatches } from './phone-match';
import { derivedValues, type FieldValue, type SObjectDef } from './objects';
import type { SalesforceStore, StoredRecord } from './store';
import { sfDateTime, validateWrite, type WriteContext } from './validation';

// Record writes as a real org performs them: validation, unique fields, the optional phone
// duplicate rule, then the write. Callers hold the store's exclusive lock around each call.

export interface RecordContext extends WriteContext {
  store: SalesforceStore;
  /** `v60.0`: record urls in answers carry the version the caller used. */
  version: string;
  /** Model an org with an active "same phone" duplicate rule on Leads and Contacts. */
  duplicateRules: boolean;
}

const DUPLICATE_RULE = 'Callsight_Sandbox_Phone_Rule';

export function phonesOf(object: SObjectDef, fields: Record<string, FieldValue>): string[] {
  return Object.entries(object.fields)
    .filter(([name, def]) => def.type === 'phone' && typeof fields[name] === 'string' && fields[name])
    .map(([name]) => String(fields[name]));
}

export const recordUrl = (version: string, type: string, id: string) =>
  `/services/data/${version}/sobjects/${type}/${id}`;

/** A record as the REST API returns it: attributes, every field (null when empty), system fields. */
export function recordView(object: SObjectDef, record: StoredRecord, version: string): Record<string, unknown> {
  const view: Record<string, unknown> = {
    attributes: { type: object.name, url: recordUrl(version, object.name, record.id) },
  };
  for (const name of Object.keys(object.fields)) view[name] = record.fields[name] ?? null;
  return Object.assign(view, derivedValues(object.name, record.fields), {
    Id: record.id,
    CreatedDate: sfDateTime(record.createdAt),
    LastModifiedDate: sfDateTime(record.modifiedAt),
  });
}

async function checkUnique(
  object: SObjectDef,
  fields: Record<string, FieldValue>,
  selfId: string | null,
  ctx: RecordContext,
) {
  const uniqueFields = Object.entries(object.fields).filter(([name, def]) => def.unique && fields[name] != null);
  if (!uniqueFields.length) return;
  const others = (await ctx.store.list(object.name)).filter((r) => r.id !== selfId);
  for (const [name] of uniqueFields) {
    const value = String(fields[name]).toLowerCase();
    const clash = others.find((r) => r.fields[name] != null && String(r.fields[name]).toLowerCase() === value);
    if (clash) {
      throw sfError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: ${name} duplicates value on record with id: ${clash.id}`,
        [name],
      );
    }
  }
}

async function checkDuplicateRule(object: SObjectDef, fields: Record<string, FieldValue>, ctx: RecordContext) {
  if (!ctx.duplicateRules || (object.name !== 'Lead' && object.name !== 'Contact')) return;
  const wanted = phonesOf(object, fields);
  if (!wanted.length) return;
  const existing = await ctx.store.list(object.name);
  const matches = existing.filter((r) =>
    phonesOf(object, r.fields).some((p) => wanted.some((w) => phoneMatches(p, w))),
  );
  if (!matches.length) return;
  const message = "You're creating a duplicate record. We recommend you use an existing record instead.";
  throw new SalesforceApiError(400, [
    {
      duplicateResult: {
        allowSave: false,
        duplicateRule: DUPLICATE_RULE,
        duplicateRuleEntityType: object.name,
        errorMessage: message,
        matchResults: [
          {
            entityType: object.name,
            errors: [],
            matchEngine: 'ExactMatchEngine',
            matchRecords: matches.map((r) => ({
              additionalInformation: [],
              fieldDiffs: [],
              matchConfidence: 100.0,
              record: { attributes: { type: object.name, url: recordUrl(ctx.version, object.name, r.id) }, Id: r.id },
            })),
            rule: DUPLICATE_RULE,
            size: matches.length,
            success: true,
          },
        ],
      },
      errorCode: 'DUPLICATES_DETECTED',
      message,
      fields: [],
    },
  ]);
}

export async function createRecord(object: SObjectDef, body: unknown, ctx: RecordContext): Promise<string> {
  const fields = await validateWrite(object, body, null, ctx);
  await checkUnique(object, fields, null, ctx);
  await checkDuplicateRule(object, fields, ctx);
  return ctx.store.insert(object.name, object.keyPrefix, fields, phonesOf(object, fields));
}

export async function updateRecord(object: SObjectDef, record: StoredRecord, body: unknown, ctx: RecordContext) {
  const fields = await validateWrite(object, body, record, ctx);
  await checkUnique(object, fields, record.id, ctx);
  await ctx.store.update(record, fields, phonesOf(object, fields));
}
