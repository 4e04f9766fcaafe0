import { z } from 'zod';

export const callSources = ['callrail', 'retell', 'ringostat'] as const;
export const CallSourceSchema = z.enum(callSources);
export type CallSource = z.infer<typeof CallSourceSchema>;

/** Where a stored call came from: a webhook source, or a rep's one-click lead (`POST /v1/leads`). */
export const callOrigins = [...callSources, 'manual'] as const;
export const CallOriginSchema = z.enum(callOrigins);
export type CallOrigin = z.infer<typeof CallOriginSchema>;

export const CallDirectionSchema = z.enum(['inbound', 'outbound']);
export type CallDirection = z.infer<typeof CallDirectionSchema>;

/** What happened on the call, as far as the source tells. */
export const CallOutcomeSchema = z.enum(['answered', 'missed', 'voicemail', 'in_progress']);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

export const AttributionSchema = z.object({
  utmSource: z.string().nullable(),
  utmMedium: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  utmTerm: z.string().nullable(),
  utmContent: z.string().nullable(),
  gclid: z.string().nullable(),
  landingPage: z.string().nullable(),
  referrer: z.string().nullable(),
  campaign: z.string().nullable(),
  sourceName: z.string().nullable(),
});
export type Attribution = z.infer<typeof AttributionSchema>;

export const PhoneSchema = z.object({
  e164: z.string().nullable(),
  raw: z.string(),
  country: z.string().nullable(),
  valid: z.boolean(),
});

/**
 * The one shape every source is parsed into. The rest of the system (storage, analysis, CRM
 * sync) never looks at a source's own payload again, except the raw copy kept for replay.
 */
export const CallEventSchema = z.object({
  source: CallSourceSchema,
  /** The source's own event name (`post_call`, `call_modified`, `call_analyzed`, …). */
  eventType: z.string(),
  /**
   * Later events carry more of the call: a started event must never overwrite an ended one
   * that arrived first. Higher ranks win; equal ranks apply in arrival order.
   */
  eventRank: z.number().int(),
  sourceCallId: z.string().min(1),
  direction: CallDirectionSchema,
  outcome: CallOutcomeSchema,
  customerPhone: PhoneSchema.nullable(),
  customerName: z.string().nullable(),
  trackingNumber: PhoneSchema.nullable(),
  agent: z
    .object({ email: z.string().nullable(), phone: z.string().nullable(), name: z.string().nullable() })
    .nullable(),
  startedAt: z.string().nullable(),
  durationSeconds: z.number().int().nonnegative().nullable(),
  recordingUrl: z.string().nullable(),
  transcript: z.string().nullable(),
  attribution: AttributionSchema,
  /** Analysis the source already did (Retell `call_analysis`, CallRail summary), kept as sent. */
  sourceAnalysis: z.record(z.string(), z.unknown()).nullable(),
  /** Fields a source marked as changed (CallRail Call Modified `changes`). */
  changes: z.array(z.string()),
});
export type CallEvent = z.infer<typeof CallEventSchema>;

export function emptyAttribution(): Attribution {
  return {
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    gclid: null,
    landingPage: null,
    referrer: null,
    campaign: null,
    sourceName: null,
  };
}
