import { z } from 'zod';
import { AttributionSchema, CallDirectionSchema, CallOriginSchema, CallOutcomeSchema, PhoneSchema } from './call-event';

export const roles = ['admin', 'manager', 'rep'] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

/** A role may do everything the roles after it may do. */
export function roleAllows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) <= roles.indexOf(needed);
}

/**
 * Where a call is in its life. `received` once stored and enriched; later stages (`analyzed`,
 * sync states per CRM) are added by the analysis and CRM issues.
 */
export const CallStatusSchema = z.enum(['pending', 'received', 'analyzed', 'failed']);
export type CallStatus = z.infer<typeof CallStatusSchema>;

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export const CallEventSummarySchema = z.object({
  id: z.string(),
  eventType: z.string(),
  receivedAt: z.string(),
  duplicates: z.number().int(),
});

export const CallSchema = z.object({
  id: z.string(),
  source: CallOriginSchema,
  sourceCallId: z.string(),
  status: CallStatusSchema,
  direction: CallDirectionSchema,
  outcome: CallOutcomeSchema,
  customerPhone: PhoneSchema.nullable(),
  customerName: z.string().nullable(),
  trackingNumber: PhoneSchema.nullable(),
  agent: z
    .object({ email: z.string().nullable(), phone: z.string().nullable(), name: z.string().nullable() })
    .nullable(),
  startedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  recordingUrl: z.string().nullable(),
  transcript: z.string().nullable(),
  attribution: AttributionSchema,
  sourceAnalysis: z.record(z.string(), z.unknown()).nullable(),
  firstCall: z.boolean().nullable(),
  priorCalls: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(CallEventSummarySchema).optional(),
});
export type Call = z.infer<typeof CallSchema>;

export const CallPageSchema = z.object({
  data: z.array(CallSchema),
  nextCursor: z.string().nullable(),
});
export type CallPage = z.infer<typeof CallPageSchema>;

export const MeSchema = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  role: RoleSchema,
  keyId: z.string(),
});
export type Me = z.infer<typeof MeSchema>;
