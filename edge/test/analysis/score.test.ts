import fc from 'fast-check';
import {
  DecisionMakerSchema,
  DispositionSchema,
  SentimentSchema,
  TimelineSchema,
  UrgencySchema,
  type Signals,
} from '@callsight/shared';
import { describe, expect, it } from 'vitest';
import { defaultScoreWeights, mergeWeights, scoreLead, type CallMetadata } from '../../src/analysis/score';
import { kitchenExample, signalsOf } from './helpers';

const answeredCall: CallMetadata = {
  direction: 'inbound',
  answered: true,
  outcome: 'answered',
  durationSeconds: 95,
  firstCall: null,
  priorCalls: null,
  source: null,
};

const total = (lines: Array<{ points: number }>) => lines.reduce((a, l) => a + l.points, 0);

describe('scoreLead', () => {
  it('scores the kitchen example 80-90, band high', () => {
    const score = scoreLead({ signals: signalsOf(kitchenExample), call: answeredCall });
    expect(score.leadScore).toBeGreaterThanOrEqual(80);
    expect(score.leadScore).toBeLessThanOrEqual(90);
    expect(score).toMatchObject({ band: 'high', scoredFrom: 'transcript' });
    expect(total(score.breakdown)).toBe(score.leadScore);
    expect(score.breakdown.find((l) => l.factor === 'budget stated')?.evidence).toContain('$30,000 to $40,000');
  });

  it.each([
    ['spam', 'This is about your Google business listing, press 1 now.', 'low', 0],
    [
      'a renter',
      "I'm interested in new flooring next month. No, I rent, my landlord would have to approve.",
      'low',
      null,
    ],
    ['a vague interest', 'Do you guys do patio doors? Maybe French doors at some point.', 'medium', null],
    ['a lost deal', 'We actually decided to go with another company for the kitchen.', 'low', null],
  ])('%s → %s', (_name, transcript, band, exact) => {
    const score = scoreLead({ signals: signalsOf(transcript), call: answeredCall });
    expect(score.band).toBe(band);
    if (exact !== null) expect(score.leadScore).toBe(exact);
    expect(total(score.breakdown)).toBe(score.leadScore);
  });

  it('scores from metadata alone when there is no transcript, and says so', () => {
    const score = scoreLead({
      signals: null,
      call: { ...answeredCall, durationSeconds: 240, firstCall: true, priorCalls: 2, source: 'google_ads' },
      weights: { sources: { google_ads: 5 } },
    });
    expect(score.scoredFrom).toBe('metadata');
    expect(score.breakdown[0]!.factor).toMatch(/no transcript/);
    expect(score.leadScore).toBeLessThanOrEqual(defaultScoreWeights.metadata.max);
    expect(score.band).not.toBe('high');
    expect(total(score.breakdown)).toBe(score.leadScore);
  });

  it('gives a missed call with nothing known a low score', () => {
    const score = scoreLead({
      signals: null,
      call: { ...answeredCall, answered: false, outcome: 'missed', durationSeconds: 0 },
    });
    expect(score).toMatchObject({ leadScore: 0, band: 'low' });
  });

  it('applies tenant weights and custom rules', () => {
    const signals = signalsOf(kitchenExample);
    const base = scoreLead({ signals, call: answeredCall }).leadScore;
    const tuned = scoreLead({
      signals,
      call: answeredCall,
      transcript: kitchenExample,
      weights: { intent: { perIntent: { kitchen_remodel: 30 } } },
      rules: [
        { phrase: 'square feet', points: 2 },
        { phrase: 'financing', points: 10 },
      ],
    });
    expect(tuned.leadScore).toBe(base - (defaultScoreWeights.intent.project - 30) + 2);
    const rule = tuned.breakdown.find((l) => l.factor === 'rule: square feet');
    expect(rule?.evidence).toContain('200 square feet');
    expect(tuned.breakdown.some((l) => l.factor === 'rule: financing')).toBe(false);
  });

  it('penalises a budget under the tenant minimum', () => {
    const signals = signalsOf("I don't want to spend more than five thousand on the bathroom.");
    const score = scoreLead({ signals, call: answeredCall, weights: { budget: { minimumUsd: 10_000 } } });
    expect(score.breakdown.some((l) => l.factor === 'budget below 10000')).toBe(true);
  });

  it('floors a booked appointment at high', () => {
    const signals = { ...signalsOf('Caller: I need a quote on a fence.'), disposition: 'appointment_booked' as const };
    const score = scoreLead({ signals, call: answeredCall });
    expect(score.leadScore).toBe(80);
    expect(score.breakdown.at(-1)!.factor).toBe('floor: appointment_booked');
  });

  it('gives our own message on a lead voicemail no points, and caps it', () => {
    const signals = signalsOf(
      "You've reached Mike and Sarah, leave a message after the tone. Hi, this is Tom about your kitchen remodel.",
      {
        direction: 'outbound',
      },
    );
    const outbound = scoreLead({ signals, call: { ...answeredCall, direction: 'outbound' } });
    const inbound = scoreLead({ signals, call: answeredCall });
    expect(signals.disposition).toBe('voicemail');
    expect(outbound.band).toBe('low');
    expect(outbound.leadScore).toBeLessThan(inbound.leadScore);
  });

  it('merges overrides without touching the defaults', () => {
    const merged = mergeWeights({ timeline: { immediate: 30 } });
    expect(merged.timeline.immediate).toBe(30);
    expect(merged.timeline['1-3_months']).toBe(defaultScoreWeights.timeline['1-3_months']);
    expect(defaultScoreWeights.timeline.immediate).toBe(18);
  });

  it('always returns 0-100 with a breakdown that adds up', () => {
    const signals = fc.record({
      intent: fc.constantFrom('kitchen_remodel', 'other_project', 'none', 'roofing'),
      timeline: fc.constantFrom(...TimelineSchema.options),
      min: fc.option(fc.integer({ min: 0, max: 200_000 })),
      urgency: fc.constantFrom(...UrgencySchema.options),
      decisionMaker: fc.constantFrom(...DecisionMakerSchema.options),
      disposition: fc.constantFrom(...DispositionSchema.options),
      sentiment: fc.constantFrom(...SentimentSchema.options),
      bonus: fc.integer({ min: -200, max: 200 }),
    });
    fc.assert(
      fc.property(signals, (s) => {
        const full: Signals = {
          ...signalsOf(''),
          intent: s.intent,
          timeline: s.timeline,
          budget: { min: s.min, max: s.min },
          urgency: s.urgency,
          decisionMaker: s.decisionMaker,
          disposition: s.disposition,
          sentiment: s.sentiment,
        };
        const score = scoreLead({
          signals: full,
          call: answeredCall,
          transcript: 'magic words',
          rules: [{ phrase: 'magic', points: s.bonus }],
        });
        return (
          score.leadScore >= 0 &&
          score.leadScore <= 100 &&
          Number.isInteger(score.leadScore) &&
          total(score.breakdown) === score.leadScore
        );
      }),
    );
  });
});
