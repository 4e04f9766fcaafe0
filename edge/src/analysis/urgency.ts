import { type Timeline, type Urgency } from '@callsight/shared';
import { isPastWork } from './context';
import { isCallerSide, quote, type ParsedTranscript } from './transcript';

/**
 * How soon the business should act. High: something is broken now, the caller wants it done
 * within two weeks, or is ready (asks for an estimate, applies for financing) to act within
 * three months. Medium: a timeline within six months, damage, or a request for an
 * estimate. Low otherwise.
 */

export interface UrgencyInput {
  parsed: ParsedTranscript;
  timeline: Timeline;
  timelineEvidence: string | null;
  activeProblem: string | null;
  visitRequested: string | null;
}

export interface UrgencyResult {
  urgency: Urgency;
  evidence: string | null;
}

const readiness =
  /\b(ready to|ready for|let's do it|want to get (started|going)|get this (done|going)|as soon as|need it done|apply(ing)? for (financing|a loan)|(get|got|getting) (pre-?)?approved)\b/;
const damage =
  /\b(damage|damaged|soft spot|cracked|rotting|rotted|curling|drafty|sagging|mold|moldy|peeling|about to die|on its last legs|acting up|making a (\w+ )?noise)\b/g;

export function extractUrgency(input: UrgencyInput): UrgencyResult {
  const { parsed, timeline } = input;
  const callerSide = parsed.sentences.filter(isCallerSide);
  const ready = callerSide.find((s) => readiness.test(s.norm));
  if (input.activeProblem) return { urgency: 'high', evidence: input.activeProblem };
  if (timeline === 'immediate') return { urgency: 'high', evidence: input.timelineEvidence };
  if (timeline === '1-3_months' && (ready || input.visitRequested)) {
    return { urgency: 'high', evidence: ready ? quote(ready) : input.visitRequested };
  }
  if (timeline === '1-3_months' || timeline === '3-6_months')
    return { urgency: 'medium', evidence: input.timelineEvidence };
  if (input.visitRequested || ready) return { urgency: 'medium', evidence: input.visitRequested ?? quote(ready!) };
  const damaged = callerSide.find((s) =>
    [...s.norm.matchAll(damage)].some((m) => !isPastWork(s.norm, m.index, m.index + m[0].length)),
  );
  if (damaged) return { urgency: 'medium', evidence: quote(damaged) };
  return { urgency: 'low', evidence: null };
}
