import {
  bandForScore,
  type CallDirection,
  type CallOutcome,
  type DecisionMaker,
  type Disposition,
  type LeadBand,
  type ScoreBreakdown,
  type ScoredFrom,
  type Sentiment,
  type Signals,
  type Timeline,
  type Urgency,
} from '@callsight/shared';

/**
 * Lead score (DESIGN §5): a pure function of the signals, the call's metadata and the tenant's
 * weights. Every point is a breakdown line with its evidence, and the lines always add up to the
 * score: caps, floors and the 0-100 clamp are lines too.
 */

export interface CallMetadata {
  direction: CallDirection;
  answered: boolean;
  outcome: CallOutcome | null;
  durationSeconds: number | null;
  /** The source says this number never called before (CallRail `first_call`). */
  firstCall: boolean | null;
  priorCalls: number | null;
  /** Where the call came from: the source name or a tracking source ("google_ads"). */
  source: string | null;
}

/** A tenant's own signal: when the phrase is said, the points count ("financing" → +5). */
export interface CustomScoreRule {
  phrase: string;
  points: number;
}

export interface ScoreWeights {
  /** A project from the taxonomy; `other_project` scores less; `perIntent` overrides per label. */
  intent: { project: number; otherProject: number; perIntent: Record<string, number> };
  timeline: Record<Timeline, number>;
  /** `stated` when the caller gave any figure; `belowMinimum` when their ceiling is under `minimumUsd`. */
  budget: { stated: number; minimumUsd: number | null; belowMinimum: number };
  urgency: Record<Urgency, number>;
  decisionMaker: Record<DecisionMaker, number>;
  disposition: Record<Disposition, number>;
  sentiment: Record<Sentiment, number>;
  /** Highest score a call with this disposition can have: spam is never a lead, whatever was said. */
  caps: Partial<Record<Disposition, number>>;
  /** Lowest score: a booked appointment is a high lead. */
  floors: Partial<Record<Disposition, number>>;
  /** Our own message on their voicemail: no contact was made, so no voicemail points and a cap. */
  outboundVoicemail: { points: number; cap: number };
  /** Points per call source, in both modes. */
  sources: Record<string, number>;
  /** Used only without a transcript. */
  metadata: {
    answered: number;
    /** [minimum seconds, points], longest first; counts only for answered calls. */
    duration: ReadonlyArray<readonly [number, number]>;
    voicemail: number;
    firstCall: number;
    repeatCaller: number;
    /** Metadata alone never makes a high lead. */
    max: number;
  };
}

/**
 * Defaults for a home-services tenant. The shape: a real project from an owner with nothing else
 * known lands in the low 50s (medium); a near timeline, a budget and a next step carry it past 80
 * (high); renters, lost and non-leads fall below 50.
 */
export const defaultScoreWeights: ScoreWeights = {
  intent: { project: 42, otherProject: 35, perIntent: {} },
  timeline: { immediate: 18, '1-3_months': 12, '3-6_months': 6, '6+_months': 2, unknown: 0 },
  budget: { stated: 8, minimumUsd: null, belowMinimum: -15 },
  urgency: { high: 8, medium: 4, low: 0 },
  decisionMaker: { owner: 3, property_manager: 3, realtor: 3, relative: 0, renter: -25, unknown: 0 },
  disposition: {
    appointment_booked: 20,
    hot_lead: 15,
    callback_requested: 10,
    interested: 10,
    follow_up: 8,
    voicemail: 10,
    existing_customer: 0,
    not_interested: 0,
    not_connected: 0,
    wrong_number: 0,
    do_not_call: 0,
    spam: 0,
  },
  // A caller upset about a leak is still a lead: mood about the problem costs nothing by default.
  sentiment: { positive: 3, neutral: 0, negative: 0 },
  caps: { spam: 0, wrong_number: 0, do_not_call: 0, not_connected: 10, not_interested: 20, existing_customer: 30 },
  floors: { appointment_booked: 80 },
  outboundVoicemail: { points: 0, cap: 40 },
  sources: {},
  metadata: {
    answered: 10,
    duration: [
      [180, 20],
      [60, 12],
      [20, 5],
    ],
    voicemail: 10,
    firstCall: 10,
    repeatCaller: 5,
    max: 60,
  },
};

/** A tenant's weights: any group, any key; the rest stays default. */
export type ScoreWeightsOverride = { [K in keyof ScoreWeights]?: Partial<ScoreWeights[K]> };

export function mergeWeights(override: ScoreWeightsOverride = {}): ScoreWeights {
  const out = structuredClone(defaultScoreWeights) as ScoreWeights;
  for (const key of Object.keys(override) as Array<keyof ScoreWeights>) {
    const patch = override[key];
    if (patch) Object.assign(out[key], patch);
  }
  return out;
}

export interface ScoreInput {
  /** Null when there was no usable transcript: the score then rests on metadata alone. */
  signals: Signals | null;
  call: CallMetadata;
  /** The redacted transcript, for custom rules. */
  transcript?: string | null;
  weights?: ScoreWeightsOverride;
  rules?: readonly CustomScoreRule[];
}

export interface LeadScore {
  leadScore: number;
  band: LeadBand;
  breakdown: ScoreBreakdown[];
  scoredFrom: ScoredFrom;
}

const line = (factor: string, points: number, evidence: string | null = null): ScoreBreakdown => ({
  factor,
  points: Math.round(points),
  evidence,
});

function signalLines(signals: Signals, w: ScoreWeights, call: CallMetadata): ScoreBreakdown[] {
  const lines: ScoreBreakdown[] = [];
  const e = signals.evidence;
  if (signals.intent !== 'none') {
    const points =
      w.intent.perIntent[signals.intent] ??
      (signals.intent === 'other_project' ? w.intent.otherProject : w.intent.project);
    lines.push(line(`intent: ${signals.intent}`, points, e.intent));
  }
  lines.push(line(`timeline: ${signals.timeline}`, w.timeline[signals.timeline], e.timeline));
  const { min, max } = signals.budget;
  if (min !== null || max !== null) {
    lines.push(line('budget stated', w.budget.stated, e.budget));
    const ceiling = max ?? min!;
    if (w.budget.minimumUsd !== null && ceiling < w.budget.minimumUsd) {
      lines.push(line(`budget below ${w.budget.minimumUsd}`, w.budget.belowMinimum, e.budget));
    }
  }
  lines.push(line(`urgency: ${signals.urgency}`, w.urgency[signals.urgency], e.urgency));
  lines.push(line(`decision maker: ${signals.decisionMaker}`, w.decisionMaker[signals.decisionMaker], e.decisionMaker));
  const outboundVoicemail = signals.disposition === 'voicemail' && call.direction === 'outbound';
  const dispositionPoints = outboundVoicemail ? w.outboundVoicemail.points : w.disposition[signals.disposition];
  lines.push(line(`disposition: ${signals.disposition}`, dispositionPoints, e.disposition));
  lines.push(line(`sentiment: ${signals.sentiment}`, w.sentiment[signals.sentiment], e.sentiment));
  return lines;
}

function metadataLines(call: CallMetadata, w: ScoreWeights): ScoreBreakdown[] {
  const m = w.metadata;
  const lines: ScoreBreakdown[] = [line('no transcript: scored from call metadata only', 0)];
  if (call.answered) lines.push(line('answered', m.answered));
  const seconds = call.durationSeconds ?? 0;
  const step = call.answered ? m.duration.find(([min]) => seconds >= min) : undefined;
  if (step) lines.push(line(`duration ≥ ${step[0]}s`, step[1], `${seconds}s`));
  if (call.outcome === 'voicemail') lines.push(line('voicemail left', m.voicemail));
  if (call.firstCall === true) lines.push(line('first call from this number', m.firstCall));
  if ((call.priorCalls ?? 0) > 0) lines.push(line('repeat caller', m.repeatCaller, `${call.priorCalls} prior calls`));
  return lines;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function ruleLines(transcript: string, rules: readonly CustomScoreRule[]): ScoreBreakdown[] {
  const lines: ScoreBreakdown[] = [];
  for (const rule of rules) {
    const phrase = rule.phrase.trim();
    if (!phrase) continue;
    const m = new RegExp(`(^|[^\\w])${escapeRegExp(phrase)}(?![\\w])`, 'i').exec(transcript);
    if (!m) continue;
    const at = m.index + m[1]!.length;
    const quote = transcript
      .slice(Math.max(0, at - 60), at + phrase.length + 60)
      .replace(/\s+/g, ' ')
      .trim();
    lines.push(line(`rule: ${phrase}`, rule.points, quote));
  }
  return lines;
}

const sum = (lines: ScoreBreakdown[]) => lines.reduce((a, l) => a + l.points, 0);

export function scoreLead(input: ScoreInput): LeadScore {
  const w = mergeWeights(input.weights);
  const { signals, call } = input;
  const scoredFrom: ScoredFrom = signals ? 'transcript' : 'metadata';
  const lines = signals ? signalLines(signals, w, call) : metadataLines(call, w);
  if (signals && input.transcript && input.rules?.length) lines.push(...ruleLines(input.transcript, input.rules));
  const source = call.source ? w.sources[call.source] : undefined;
  if (source) lines.push(line(`source: ${call.source}`, source, call.source));

  let total = sum(lines);
  if (!signals && total > w.metadata.max) {
    lines.push(line('cap: metadata only', w.metadata.max - total));
    total = w.metadata.max;
  }
  if (signals) {
    const outboundVoicemail = signals.disposition === 'voicemail' && call.direction === 'outbound';
    const cap = outboundVoicemail ? w.outboundVoicemail.cap : w.caps[signals.disposition];
    const floor = w.floors[signals.disposition];
    if (cap !== undefined && total > cap) {
      lines.push(line(`cap: ${signals.disposition}`, cap - total, signals.evidence.disposition));
      total = cap;
    } else if (floor !== undefined && total < floor) {
      lines.push(line(`floor: ${signals.disposition}`, floor - total, signals.evidence.disposition));
      total = floor;
    }
  }
  if (total > 100 || total < 0) {
    const clamped = Math.min(100, Math.max(0, total));
    lines.push(line('clamp to 0-100', clamped - total));
    total = clamped;
  }
  const breakdown = lines.filter((l) => l.points !== 0 || l.factor.startsWith('no transcript'));
  return { leadScore: total, band: bandForScore(total), breakdown, scoredFrom };
}
