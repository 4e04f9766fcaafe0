import fc from 'fast-check';
import { AnalysisSchema, type Signals } from '@callsight/shared';
import { describe, expect, it } from 'vitest';
import { analyzeTranscript } from '../../src/analysis/analyze';
import { type CallInput, type SignalExtractor } from '../../src/analysis/extractor';
import { extractSignals } from '../../src/analysis/rules-extractor';
import { kitchenExample } from './helpers';

const call = (transcript: string | null, overrides: Partial<CallInput> = {}): CallInput => ({
  transcript,
  direction: 'inbound',
  answered: true,
  durationSeconds: 62,
  callDate: '2026-03-02T15:04:00Z',
  ...overrides,
});

describe('analyzeTranscript', () => {
  it('analyses the kitchen example', async () => {
    const analysis = await analyzeTranscript(call(kitchenExample));
    expect(AnalysisSchema.parse(analysis)).toEqual(analysis);
    expect(analysis).toMatchObject({
      intent: 'kitchen_remodel',
      timeline: '1-3_months',
      budget: { min: 30_000, max: 40_000 },
      band: 'high',
      urgency: 'high',
      scoredFrom: 'transcript',
      extractor: { name: 'rules', version: '1.0.0' },
      redactions: 0,
      notes: [],
    });
    expect(analysis.leadScore).toBeGreaterThanOrEqual(80);
    expect(analysis.leadScore).toBeLessThanOrEqual(90);
  });

  it('redacts before extracting, so no evidence carries the card', async () => {
    const transcript =
      'Caller: I want to pay the deposit for the deck project. My card is four one one one, one one one one, one one one one, one one one one.\nAgent: Thanks.';
    const analysis = await analyzeTranscript(call(transcript));
    expect(analysis.redactions).toBe(1);
    expect(analysis.redactionsByKind.card).toBe(1);
    expect(JSON.stringify(analysis)).not.toMatch(/one one one one/);
  });

  it('scores from metadata when there is no transcript', async () => {
    const analysis = await analyzeTranscript(call(null, { answered: false, durationSeconds: 0 }), {
      call: { firstCall: true },
    });
    expect(analysis).toMatchObject({
      scoredFrom: 'metadata',
      disposition: 'not_connected',
      intent: 'none',
      band: 'low',
    });
    expect(analysis.summary).toBe('Missed call with no conversation recorded.');
  });

  const fixed = (signals: Partial<Signals>): SignalExtractor => ({
    name: 'llm',
    version: 'test-1',
    extract: async (input) => ({ ...extractSignals(input), ...signals }),
  });

  it('uses another extractor and redacts what it returns', async () => {
    const leaky = fixed({ summary: 'Caller gave card 4111 1111 1111 1111 and SSN 521-44-8790.' });
    const analysis = await analyzeTranscript(call(kitchenExample), { extractor: leaky });
    expect(analysis.extractor).toEqual({ name: 'llm', version: 'test-1' });
    expect(analysis.summary).toBe('Caller gave card [REDACTED CARD] and SSN [REDACTED SSN].');
    expect(analysis.redactions).toBe(2);
    expect(analysis.notes).toEqual(["2 PII item(s) masked in the extractor's output"]);
  });

  it('falls back to the rules when the extractor fails', async () => {
    const failing: SignalExtractor = {
      name: 'llm',
      version: 'test-1',
      extract: async () => {
        throw new Error('timeout after 20s');
      },
    };
    const analysis = await analyzeTranscript(call(kitchenExample), { extractor: failing });
    expect(analysis.extractor.name).toBe('rules');
    expect(analysis.intent).toBe('kitchen_remodel');
    expect(analysis.notes[0]).toMatch(/llm test-1 failed \(timeout after 20s\); the rules result stands/);
  });

  it('falls back to the rules when the extractor returns an invalid object', async () => {
    const invalid = fixed({ timeline: 'next tuesday' as Signals['timeline'] });
    const analysis = await analyzeTranscript(call(kitchenExample), { extractor: invalid });
    expect(analysis.extractor.name).toBe('rules');
    expect(analysis.timeline).toBe('1-3_months');
    expect(analysis.notes[0]).toMatch(/invalid result/);
  });

  it('rejects a call date that is not a date', async () => {
    await expect(analyzeTranscript(call(kitchenExample, { callDate: 'yesterday' }))).rejects.toThrow(/not a date/);
  });

  it('returns a valid analysis for any text', async () => {
    const words = fc.constantFrom(
      'Agent:',
      'Caller:',
      'kitchen',
      'not',
      'roof',
      'leak',
      'four',
      'one',
      '$30,000',
      'next',
      'spring',
      'before',
      'thanksgiving',
      'call me back',
      'wrong number',
      'press 1',
      'you are all set',
      'Thursday at 10',
      ',',
      '.',
      '?',
      '\n',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(words, { maxLength: 60 }).map((w) => w.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.boolean(),
        fc.constantFrom('inbound' as const, 'outbound' as const),
        async (t, answered, direction) => {
          const analysis = await analyzeTranscript(call(t, { answered, direction }));
          return AnalysisSchema.safeParse(analysis).success;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('handles a long transcript quickly', async () => {
    const turn =
      'Caller: um so yeah we were thinking about the kitchen and and maybe the bathroom, not sure, like twenty five k ish, next couple months\nAgent: okay, how about Thursday at 10?\n';
    const started = performance.now();
    const analysis = await analyzeTranscript(call(turn.repeat(300)));
    expect(analysis.intent).toBe('kitchen_remodel');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
