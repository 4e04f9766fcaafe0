import { type Analysis, type CallOutcome, type Signals, SignalsSchema } from '@callsight/shared';
import { type CallInput, type SignalExtractor } from './extractor';
import { emptyRedactionCounts, redactPii, type RedactionCounts } from './redact';
import { extractSignals, rulesExtractor } from './rules-extractor';
import { scoreLead, type CallMetadata, type CustomScoreRule, type ScoreWeightsOverride } from './score';
import { parseTranscript } from './transcript';

/**
 * One call in, one analysis out: redact → extract → score (DESIGN §5). The extractor's output
 * is redacted again before it is kept, because an LLM may repeat what it was shown, or invent
 * digits of its own.
 */

export interface AnalyzeOptions {
  /** Defaults to the rules extractor. If another one fails or returns an invalid object, the rules result stands. */
  extractor?: SignalExtractor;
  weights?: ScoreWeightsOverride;
  rules?: readonly CustomScoreRule[];
  /** Metadata the call input does not carry; used for the score. */
  call?: Partial<Pick<CallMetadata, 'outcome' | 'firstCall' | 'priorCalls' | 'source'>>;
}

/** Fewer words than this (greetings aside) is no conversation: the score comes from metadata. */
const minContentWords = 3;

function addCounts(into: RedactionCounts, from: RedactionCounts): void {
  for (const kind of Object.keys(into) as Array<keyof RedactionCounts>) into[kind] += from[kind];
}

/** Redact every string the extractor returned; count what had to be masked. */
export function redactSignals(signals: Signals): { signals: Signals; counts: RedactionCounts } {
  const counts = emptyRedactionCounts();
  const clean = (s: string): string => {
    const r = redactPii(s);
    addCounts(counts, r.counts);
    return r.text;
  };
  const cleanQuote = (s: string | null) => (s === null ? null : clean(s));
  const e = signals.evidence;
  return {
    signals: {
      ...signals,
      summary: clean(signals.summary),
      keyInsights: signals.keyInsights.map(clean),
      actionItems: signals.actionItems.map(clean),
      evidence: {
        intent: cleanQuote(e.intent),
        timeline: cleanQuote(e.timeline),
        budget: cleanQuote(e.budget),
        urgency: cleanQuote(e.urgency),
        decisionMaker: cleanQuote(e.decisionMaker),
        disposition: cleanQuote(e.disposition),
        sentiment: cleanQuote(e.sentiment),
        spam: cleanQuote(e.spam),
      },
    },
    counts,
  };
}

function outcomeOf(input: CallInput, given: CallOutcome | null | undefined): CallOutcome | null {
  if (given !== undefined) return given;
  if (input.answered) return 'answered';
  return input.transcript?.trim() ? 'voicemail' : 'missed';
}

async function runExtractor(
  extractor: SignalExtractor,
  input: CallInput,
): Promise<{ signals: Signals; used: SignalExtractor; note: string | null }> {
  if (extractor === rulesExtractor) return { signals: extractSignals(input), used: rulesExtractor, note: null };
  try {
    const parsed = SignalsSchema.safeParse(await extractor.extract(input));
    if (parsed.success) return { signals: parsed.data, used: extractor, note: null };
    return {
      signals: extractSignals(input),
      used: rulesExtractor,
      note: `${extractor.name} ${extractor.version} returned an invalid result; the rules result stands`,
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      signals: extractSignals(input),
      used: rulesExtractor,
      note: `${extractor.name} ${extractor.version} failed (${reason}); the rules result stands`,
    };
  }
}

export async function analyzeTranscript(input: CallInput, options: AnalyzeOptions = {}): Promise<Analysis> {
  const redacted = redactPii(input.transcript ?? '');
  const safeInput: CallInput = { ...input, transcript: input.transcript === null ? null : redacted.text };
  const { signals: raw, used, note } = await runExtractor(options.extractor ?? rulesExtractor, safeInput);
  const { signals, counts } = redactSignals(raw);

  const notes = note ? [note] : [];
  const leaked = Object.values(counts).reduce((a, b) => a + b, 0);
  if (leaked > 0) notes.push(`${leaked} PII item(s) masked in the extractor's output`);
  const byKind = { ...redacted.counts };
  addCounts(byKind, counts);

  const usable = parseTranscript(safeInput.transcript, input.direction).contentWords >= minContentWords;
  const score = scoreLead({
    signals: usable ? signals : null,
    transcript: safeInput.transcript,
    weights: options.weights,
    rules: options.rules,
    call: {
      direction: input.direction,
      answered: input.answered,
      durationSeconds: input.durationSeconds,
      outcome: outcomeOf(input, options.call?.outcome),
      firstCall: options.call?.firstCall ?? null,
      priorCalls: options.call?.priorCalls ?? null,
      source: options.call?.source ?? null,
    },
  });

  return {
    intent: signals.intent,
    leadScore: score.leadScore,
    band: score.band,
    timeline: signals.timeline,
    budget: signals.budget,
    urgency: signals.urgency,
    decisionMaker: signals.decisionMaker,
    disposition: signals.disposition,
    spam: signals.spam,
    sentiment: signals.sentiment,
    summary: signals.summary,
    keyInsights: signals.keyInsights,
    actionItems: signals.actionItems,
    evidence: signals.evidence,
    breakdown: score.breakdown,
    scoredFrom: score.scoredFrom,
    extractor: { name: used.name, version: used.version },
    redactions: redacted.total + leaked,
    redactionsByKind: byKind,
    notes,
  };
}
