import { z } from 'zod';
import { isCountryCode } from '@callsight/shared';
import { ringostatDefaultAliases } from './ringostat';
import { crmOptions } from '../crm/connection';

const aliasFields = Object.keys(ringostatDefaultAliases) as [string, ...string[]];

const commonOptions = {
  defaultCountry: z.string().refine(isCountryCode, 'must be an ISO 3166 country code such as US or UA').optional(),
};

/** What each source (and each CRM) accepts in `options`; anything else is a mistake worth a 400. */
export const integrationOptions = {
  callrail: z.object(commonOptions).strict(),
  retell: z.object(commonOptions).strict(),
  ringostat: z
    .object({
      ...commonOptions,
      username: z.string().min(1).max(200).optional(),
      utcOffsetMinutes: z.number().int().min(-720).max(840).optional(),
      fieldAliases: z.partialRecord(z.enum(aliasFields), z.array(z.string().min(1)).max(20)).optional(),
    })
    .strict(),
  // CRMs are integrations too: same storage, same sealed secret, their own options.
  ...crmOptions,
} as const;

export const integrationKinds = Object.keys(integrationOptions) as [
  keyof typeof integrationOptions,
  ...(keyof typeof integrationOptions)[],
];

/** Checks a source's options; on failure, the dotted field name and what is wrong with it. */
export function checkIntegrationOptions(
  kind: keyof typeof integrationOptions,
  options: unknown,
): { ok: true; options: Record<string, unknown> } | { ok: false; field: string; message: string } {
  const parsed = integrationOptions[kind].safeParse(options);
  if (parsed.success) return { ok: true, options: parsed.data };
  const issue = parsed.error.issues[0];
  const field = ['options', ...(issue?.path ?? []).map(String)].join('.');
  return { ok: false, field, message: `${field}: ${issue?.message ?? 'invalid'}` };
}
