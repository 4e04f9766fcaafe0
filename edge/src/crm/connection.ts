// How a tenant connects a CRM: the kind, its secret (token, client secret, API token) and its
// options, stored like every integration (secret sealed, options as JSON). One function turns a
// stored connection into the adapter the sync engine talks to.
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Coalesce } from './batching';
import { createHubspotAdapter } from './hubspot';
import { createPipedriveAdapter } from './pipedrive';
import { createSalesforceAdapter } from './salesforce';
import { FieldMappingSchema } from './field-mapping';
import { defaultRoutingConfig, type RoutingConfig } from './plan';
import type { CrmKind, CrmPort } from './port';

export const crmKinds = ['hubspot', 'salesforce', 'pipedrive'] as const satisfies readonly CrmKind[];
export const CrmKindSchema = z.enum(crmKinds);

const url = z.url({ protocol: /^https?$/ });

/** The routing matrix's knobs (DESIGN.md §6), per tenant and CRM. */
export const RoutingOptionsSchema = z
  .object({
    /** Email of the "top manager" in the CRM: owns missed calls and fixes agent mappings. */
    topManagerEmail: z.email().optional(),
    createDeals: z.boolean().optional(),
    junkPolicy: z.enum(['skip', 'log_on_known']).optional(),
    callbackDueMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();

export const crmOptions = {
  hubspot: z
    .object({
      /** Default https://api.hubapi.com; the local sandbox is `${base}/sandbox/hubspot`. */
      baseUrl: url.optional(),
      portalId: z.union([z.string(), z.number()]).optional(),
      dealPipeline: z.string().min(1).optional(),
      dealStage: z.string().min(1).optional(),
      routing: RoutingOptionsSchema.optional(),
      /** CRM property → template, per object, merged over the CRM's defaults (crm/FIELD-MAPPING.md). */
      fieldMapping: FieldMappingSchema.optional(),
    })
    .strict(),
  salesforce: z
    .object({
      /** The org's login or My Domain URL; the local sandbox is `${base}/sandbox/salesforce`. */
      loginUrl: url,
      clientId: z.string().min(1),
      apiVersion: z
        .string()
        .regex(/^v\d{2}\.\d$/, 'like v60.0')
        .default('v60.0'),
      /** Salesforce requires Company on a Lead: what to write when the caller gave none. */
      leadCompany: z.string().min(1).max(255).optional(),
      routing: RoutingOptionsSchema.optional(),
      /** CRM property → template, per object, merged over the CRM's defaults (crm/FIELD-MAPPING.md). */
      fieldMapping: FieldMappingSchema.optional(),
    })
    .strict(),
  pipedrive: z
    .object({
      /** Default https://api.pipedrive.com; the local sandbox is `${base}/sandbox/pipedrive`. */
      baseUrl: url.optional(),
      useDeals: z.boolean().optional(),
      /** A person custom field that marks do-not-call (see crm/pipedrive/FIELDS.md). */
      doNotCall: z
        .object({ personFieldKey: z.string().min(1), value: z.union([z.string(), z.number()]) })
        .strict()
        .optional(),
      routing: RoutingOptionsSchema.optional(),
      /** CRM property → template, per object, merged over the CRM's defaults (crm/FIELD-MAPPING.md). */
      fieldMapping: FieldMappingSchema.optional(),
    })
    .strict(),
} as const;

export type CrmOptions<K extends CrmKind> = z.infer<(typeof crmOptions)[K]>;

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface AdapterContext {
  clock?: Clock;
  /** The rate-limited, circuit-broken fetch the sync engine hands over. */
  fetch?: FetchLike;
  /** Requests shared with the tenant's other syncs: HubSpot phone searches and call/task creates. */
  coalesce?: Coalesce;
  timeoutMs?: number;
}

export function adapterFor(
  kind: CrmKind,
  secret: string,
  options: Record<string, unknown>,
  ctx: AdapterContext = {},
): CrmPort {
  const common = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.clock ? { clock: ctx.clock } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };
  switch (kind) {
    case 'hubspot': {
      const o = crmOptions.hubspot.parse(options);
      return createHubspotAdapter({
        token: secret,
        ...common,
        ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
        ...(o.portalId !== undefined ? { portalId: o.portalId } : {}),
        ...(ctx.coalesce ? { coalesce: ctx.coalesce } : {}),
        ...(o.dealPipeline ? { dealPipeline: o.dealPipeline } : {}),
        ...(o.dealStage ? { dealStage: o.dealStage } : {}),
      });
    }
    case 'salesforce': {
      const o = crmOptions.salesforce.parse(options);
      return createSalesforceAdapter({
        loginUrl: o.loginUrl,
        clientId: o.clientId,
        clientSecret: secret,
        apiVersion: o.apiVersion,
        ...common,
        ...(o.leadCompany ? { leadCompany: o.leadCompany } : {}),
      });
    }
    case 'pipedrive': {
      const o = crmOptions.pipedrive.parse(options);
      return createPipedriveAdapter({
        baseUrl: o.baseUrl ?? 'https://api.pipedrive.com',
        apiToken: secret,
        ...common,
        ...(o.useDeals !== undefined ? { useDeals: o.useDeals } : {}),
        ...(o.doNotCall ? { doNotCall: o.doNotCall } : {}),
      });
    }
  }
}

/** The routing knobs with defaults; the top manager's email is resolved to an owner id at sync time. */
export function routingOf(options: Record<string, unknown>): Omit<RoutingConfig, 'topManagerOwnerId'> & {
  topManagerEmail: string | null;
} {
  const parsed = RoutingOptionsSchema.safeParse(options.routing ?? {});
  const r = parsed.success ? parsed.data : {};
  return {
    topManagerEmail: r.topManagerEmail ?? null,
    createDeals: r.createDeals ?? defaultRoutingConfig.createDeals,
    junkPolicy: r.junkPolicy ?? defaultRoutingConfig.junkPolicy,
    callbackDueMinutes: r.callbackDueMinutes ?? defaultRoutingConfig.callbackDueMinutes,
  };
}
