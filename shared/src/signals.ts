import { z } from 'zod';

/**
 * Call analysis model (DESIGN §5): the signals an extractor reads from one call, and the scored
 * analysis built from them. Every extractor (rules, LLM) returns `Signals`, so the score never
 * depends on which one ran.
 */

/** Project types of the default home-services tenant. A tenant may replace the list with its own. */
export const defaultIntentTaxonomy = [
  'kitchen_remodel',
  'bathroom_remodel',
  'whole_home_renovation',
  'addition',
  'roofing',
  'solar',
  'hvac',
  'plumbing',
  'windows_doors',
  'flooring',
  'other_project',
  'none',
] as const;
export type DefaultIntent = (typeof defaultIntentTaxonomy)[number];

/**
 * An intent is a label from the tenant's taxonomy, so it stays a string here. `other_project` and
 * `none` keep their meaning in every taxonomy: a project outside the list, and no project at all.
 */
export const IntentSchema = z.string().min(1).max(64);
export type Intent = z.infer<typeof IntentSchema>;
export const TaxonomySchema = z.array(IntentSchema).min(1);

export const TimelineSchema = z.enum(['immediate', '1-3_months', '3-6_months', '6+_months', 'unknown']);
export type Timeline = z.infer<typeof TimelineSchema>;

export const UrgencySchema = z.enum(['high', 'medium', 'low']);
export type Urgency = z.infer<typeof UrgencySchema>;

export const DecisionMakerSchema = z.enum(['owner', 'renter', 'realtor', 'relative', 'property_manager', 'unknown']);
export type DecisionMaker = z.infer<typeof DecisionMakerSchema>;

export const DispositionSchema = z.enum([
  'hot_lead',
  'interested',
  'appointment_booked',
  'callback_requested',
  'follow_up',
  'voicemail',
  'not_connected',
  'not_interested',
  'wrong_number',
  'do_not_call',
  'spam',
  'existing_customer',
]);
export type Disposition = z.infer<typeof DispositionSchema>;

export const SentimentSchema = z.enum(['positive', 'neutral', 'negative']);
export type Sentiment = z.infer<typeof SentimentSchema>;

/** The caller's own figure in USD, never a price the agent quoted. Open ends stay null ("under 10k"). */
export const BudgetSchema = z
  .object({
    min: z.number().nonnegative().nullable(),
    max: z.number().nonnegative().nullable(),
  })
  .refine((b) => b.min === null || b.max === null || b.min <= b.max, { message: 'budget min must not exceed max' });
export type Budget = z.infer<typeof BudgetSchema>;

/** A short quote from the (redacted) transcript that supports a field; null when nothing does. */
export const EvidenceQuoteSchema = z.string().max(300).nullable();

export const SignalEvidenceSchema = z.object({
  intent: EvidenceQuoteSchema,
  timeline: EvidenceQuoteSchema,
  budget: EvidenceQuoteSchema,
  urgency: EvidenceQuoteSchema,
  decisionMaker: EvidenceQuoteSchema,
  disposition: EvidenceQuoteSchema,
  sentiment: EvidenceQuoteSchema,
  spam: EvidenceQuoteSchema,
});
export type SignalEvidence = z.infer<typeof SignalEvidenceSchema>;

export const SignalsSchema = z.object({
  intent: IntentSchema,
  timeline: TimelineSchema,
  budget: BudgetSchema,
  urgency: UrgencySchema,
  decisionMaker: DecisionMakerSchema,
  disposition: DispositionSchema,
  sentiment: SentimentSchema,
  spam: z.boolean(),
  keyInsights: z.array(z.string().max(300)).max(10),
  /** One to three sentences. */
  summary: z.string().max(600),
  actionItems: z.array(z.string().max(300)).max(10),
  evidence: SignalEvidenceSchema,
});
export type Signals = z.infer<typeof SignalsSchema>;

/** One line of the score: what counted, how much, and the words that made it count. */
export const ScoreBreakdownSchema = z.object({
  factor: z.string().min(1),
  points: z.number().int(),
  evidence: EvidenceQuoteSchema,
});
export type ScoreBreakdown = z.infer<typeof ScoreBreakdownSchema>;

export const LeadBandSchema = z.enum(['high', 'medium', 'low']);
export type LeadBand = z.infer<typeof LeadBandSchema>;

/** high ≥ 80, medium 50-79, low < 50 (DESIGN §5). */
export function bandForScore(score: number): LeadBand {
  if (score >= 80) return 'high';
  if (score >= 50) return 'medium';
  return 'low';
}

export const ScoredFromSchema = z.enum(['transcript', 'metadata']);
export type ScoredFrom = z.infer<typeof ScoredFromSchema>;

export const RedactionKindSchema = z.enum(['card', 'card_security_code', 'ssn', 'routing_number', 'bank_account']);
export type RedactionKind = z.infer<typeof RedactionKindSchema>;

export const AnalysisSchema = z.object({
  intent: IntentSchema,
  leadScore: z.number().int().min(0).max(100),
  band: LeadBandSchema,
  timeline: TimelineSchema,
  budget: BudgetSchema,
  urgency: UrgencySchema,
  decisionMaker: DecisionMakerSchema,
  disposition: DispositionSchema,
  spam: z.boolean(),
  sentiment: SentimentSchema,
  summary: z.string(),
  keyInsights: z.array(z.string()),
  actionItems: z.array(z.string()),
  evidence: SignalEvidenceSchema,
  /** Sums to `leadScore`: caps and clamps appear as their own lines. */
  breakdown: z.array(ScoreBreakdownSchema),
  /** 'metadata' when there was no usable transcript: the score then rests on duration, source and so on. */
  scoredFrom: ScoredFromSchema,
  extractor: z.object({ name: z.string(), version: z.string() }),
  /** PII masked in the transcript and, again, in what the extractor returned. */
  redactions: z.number().int().nonnegative(),
  redactionsByKind: z.record(RedactionKindSchema, z.number().int().nonnegative()),
  /** Things a reader of the analysis should know about how it was made (fallbacks, re-redaction). */
  notes: z.array(z.string()),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
