import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  DecisionMakerSchema,
  defaultIntentTaxonomy,
  DispositionSchema,
  SentimentSchema,
  TimelineSchema,
  UrgencySchema,
} from '@callsight/shared';
import type { Db } from '../db/client';
import { tenantSettings } from '../db/schema';
import { mergeWeights, type CustomScoreRule, type ScoreWeights, type ScoreWeightsOverride } from '../analysis';

const points = z.number().int().min(-100).max(100);
const bound = z.number().int().min(0).max(100);

/** What an admin may change in the score: any weight, within sane bounds; nothing else. */
export const WeightsOverrideSchema = z
  .object({
    intent: z
      .object({ project: points, otherProject: points, perIntent: z.record(z.string().min(1).max(64), points) })
      .partial()
      .strict(),
    timeline: z.partialRecord(TimelineSchema, points),
    budget: z
      .object({ stated: points, minimumUsd: z.number().nonnegative().nullable(), belowMinimum: points })
      .partial()
      .strict(),
    urgency: z.partialRecord(UrgencySchema, points),
    decisionMaker: z.partialRecord(DecisionMakerSchema, points),
    disposition: z.partialRecord(DispositionSchema, points),
    sentiment: z.partialRecord(SentimentSchema, points),
    caps: z.partialRecord(DispositionSchema, bound),
    floors: z.partialRecord(DispositionSchema, bound),
    outboundVoicemail: z.object({ points, cap: bound }).partial().strict(),
    sources: z.record(z.string().min(1).max(64), points),
    metadata: z
      .object({
        answered: points,
        duration: z.array(z.tuple([z.number().int().nonnegative(), points])).max(10),
        voicemail: points,
        firstCall: points,
        repeatCaller: points,
        max: bound,
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export const ScoringSettingsSchema = z
  .object({
    weights: WeightsOverrideSchema.default({}),
    /** A phrase said on the call moves the score: "financing" → +5, "just curious" → -10. */
    rules: z
      .array(
        z.object({ phrase: z.string().trim().min(2).max(100), points: z.number().int().min(-50).max(50) }).strict(),
      )
      .max(50)
      .default([]),
    /** The tenant's own project types; `other_project` and `none` are always kept. */
    taxonomy: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'labels are lower_snake_case'))
      .min(1)
      .max(40)
      .optional(),
  })
  .strict();
export type ScoringSettings = z.infer<typeof ScoringSettingsSchema>;

export interface EffectiveScoring {
  weights: ScoreWeights;
  override: ScoreWeightsOverride;
  rules: CustomScoreRule[];
  taxonomy: string[];
}

const KEY = 'scoring';

export class ScoringSettingsRepo {
  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<EffectiveScoring> {
    const [row] = await this.db
      .select()
      .from(tenantSettings)
      .where(and(eq(tenantSettings.tenantId, tenantId), eq(tenantSettings.key, KEY)));
    const stored = ScoringSettingsSchema.safeParse(row?.value ?? {});
    const settings = stored.success ? stored.data : ScoringSettingsSchema.parse({});
    const taxonomy = settings.taxonomy
      ? [...new Set([...settings.taxonomy, 'other_project', 'none'])]
      : [...defaultIntentTaxonomy];
    return {
      weights: mergeWeights(settings.weights as ScoreWeightsOverride),
      override: settings.weights as ScoreWeightsOverride,
      rules: settings.rules,
      taxonomy,
    };
  }

  statement(tenantId: string, settings: ScoringSettings, now: number) {
    return this.db
      .insert(tenantSettings)
      .values({ tenantId, key: KEY, value: settings as Record<string, unknown>, updatedAt: now })
      .onConflictDoUpdate({
        target: [tenantSettings.tenantId, tenantSettings.key],
        set: { value: settings as Record<string, unknown>, updatedAt: now },
      });
  }
}
