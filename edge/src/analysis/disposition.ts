import { type Budget, type CallDirection, type Disposition, type Timeline } from '@callsight/shared';
import { isNegated, isPastWork } from './context';
import {
  activeProblemCues,
  bookedCues,
  callbackCues,
  carrierIntercept,
  doNotCallCues,
  existingCues,
  followUpAgentCues,
  followUpCallerCues,
  newProjectCues,
  notInterestedCues,
  spamCues,
  timeWords,
  visitCues,
  voicemailGreeting,
  wrongNumberCues,
} from './disposition-cues';
import { type IntentResult } from './intent';
import { isCallerSide, quote, soundsLikeAgent, type ParsedTranscript, type Sentence } from './transcript';

/**
 * What the call came to. Checked from the facts that end a lead (no conversation, spam, wrong
 * number, do-not-call, voicemail, existing customer, not interested) to the ones that grade it
 * (booked, callback, follow-up, hot, interested): the first that holds wins.
 */

export interface DispositionInput {
  parsed: ParsedTranscript;
  answered: boolean;
  direction: CallDirection;
  intent: IntentResult;
  timeline: Timeline;
  budget: Budget;
}

export interface DispositionResult {
  disposition: Disposition;
  evidence: string | null;
  spam: boolean;
  /** The caller asked for a visit, an estimate or a quote: their words, or null. */
  visitRequested: string | null;
  /** Something is broken or leaking now: the caller's words, or null. */
  activeProblem: string | null;
}

/** The caller takes an offered time: "Thursday at 10 works", "Between 1 and 3, yes", "Perfect". */
const acceptsTime =
  /^(yes|yeah|yep|sure|perfect|great|ok|okay|sí|si)?[,.]?\s*([\w' ]{0,30}?)\s*(works|is fine|is perfect|is good|is great|sounds good|sounds great|works for me|está bien|that works)\b|^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|between \w+ and \w+|at \w+)[^.?!]{0,20}?,? (yes|yeah|sure|perfect)\b|^(perfect|perfecto|great|sounds good|that's perfect|let's do it|yes,? please)\b/;

/** "Is this Home Depot?" answered "No, this is Summit Remodeling." */
function askedForSomeoneElse(sentences: Sentence[]): Sentence | undefined {
  const denial = /\bno,? (sir,? |ma'am,? )?(this is|you've reached|you have reached|you called)\b/;
  return sentences.find(
    (s, i) =>
      /\b(is this|am i speaking (to|with))\b[^?]{2,40}\?/.test(s.text.toLowerCase()) &&
      sentences.slice(i, i + 3).some((x) => denial.test(x.norm)),
  );
}

function first(sentences: Sentence[], re: RegExp): Sentence | undefined {
  return sentences.find((s) => re.test(s.norm));
}

/** An offer of a time for a visit, not a promise to call or email. */
const visitOffer =
  /\?|\b(how about|does that work|would that work|works for you|we have|we can do|i can (have|get|send)|(we|i) can be (there|here|out)|podemos estar)\b/;
const notAVisit = /\b(follow up|check back|call you|email|send you)\b/;

function bookedIn(parsed: ParsedTranscript): Sentence | undefined {
  const s = parsed.sentences;
  const nearTime = (i: number) => s.slice(Math.max(0, i - 2), i + 2).some((x) => timeWords.test(x.norm));
  const confirmed = s.findIndex((x, i) => bookedCues.test(x.norm) && nearTime(i));
  if (confirmed >= 0) return s[confirmed];
  // The caller takes a time the business offered: "Yes, Saturday at 11 is perfect."
  return s.find((x, i) => {
    if (!isCallerSide(x) || !acceptsTime.test(x.norm)) return false;
    if (timeWords.test(x.norm)) return true;
    const offer = s[i - 1];
    return (
      !!offer && timeWords.test(offer.norm) && visitOffer.test(offer.norm + offer.text) && !notAVisit.test(offer.norm)
    );
  });
}

/** "Not interested in new windows" denies one project; with another project wanted, the call is not lost. */
function globallyNotInterested(sentence: Sentence, intent: IntentResult): boolean {
  const m = notInterestedCues.exec(sentence.norm);
  if (!m) return false;
  const targeted = /^not interested in\b/.test(
    m[0] + sentence.norm.slice(m.index + m[0].length, m.index + m[0].length + 4),
  );
  return !(targeted && intent.intent !== 'none');
}

export function activeProblemIn(parsed: ParsedTranscript): Sentence | undefined {
  return parsed.sentences.find((s) => {
    if (!isCallerSide(s)) return false;
    for (const m of s.norm.matchAll(activeProblemCues)) {
      if (!isPastWork(s.norm, m.index, m.index + m[0].length) && !isNegated(s.norm, m.index, m.index + m[0].length))
        return true;
    }
    return false;
  });
}

export function extractDisposition(input: DispositionInput): DispositionResult {
  const { parsed, answered, intent, timeline, budget } = input;
  const all = parsed.sentences;
  const callerSide = all.filter(isCallerSide);
  const nonAgent = all.filter((s) => s.role !== 'agent');
  const visit = first(callerSide, visitCues);
  const problem = activeProblemIn(parsed);
  const result = (disposition: Disposition, evidence?: Sentence | string | null, spam = false): DispositionResult => ({
    disposition,
    evidence: !evidence ? null : typeof evidence === 'string' ? evidence : quote(evidence),
    spam,
    visitRequested: visit ? quote(visit) : null,
    activeProblem: problem ? quote(problem) : null,
  });

  if (parsed.contentWords < 3) return result('not_connected');
  // The business answered and the other side said next to nothing before hanging up.
  if (parsed.labelled && answered && parsed.callerContentWords < 2) return result('not_connected', all[0]);
  const intercept = all.length <= 3 ? first(all, carrierIntercept) : undefined;
  if (intercept) return result('not_connected', intercept);
  const spam = first(nonAgent, spamCues);
  if (spam) return result('spam', spam, true);
  const wrong = first(all, wrongNumberCues) ?? askedForSomeoneElse(all);
  if (wrong) return result('wrong_number', wrong);
  const dnc = first(callerSide, doNotCallCues);
  if (dnc) return result('do_not_call', dnc);
  const greeting = all.slice(0, 2).find((s) => voicemailGreeting.test(s.norm));
  if (!answered || greeting) return result('voicemail', greeting ?? all[0]);

  const existing =
    first(callerSide, existingCues) ??
    first(all.filter(soundsLikeAgent), /\byour (project manager|account|warranty)\b/);
  const newProject = first(callerSide, newProjectCues);
  if (existing && !(newProject && intent.intent !== 'none' && !intent.pastOnly))
    return result('existing_customer', existing);

  const lost = callerSide.find((s) => globallyNotInterested(s, intent));
  if (lost) return result('not_interested', lost);
  const booked = bookedIn(parsed);
  if (booked) return result('appointment_booked', booked);
  const callback = first(callerSide, callbackCues);
  if (callback) return result('callback_requested', callback);
  const followUp = first(callerSide, followUpCallerCues) ?? first(all.filter(soundsLikeAgent), followUpAgentCues);
  if (followUp) return result('follow_up', followUp);

  if (intent.intent !== 'none') {
    const near = timeline === 'immediate' || timeline === '1-3_months';
    const far = timeline === '3-6_months' || timeline === '6+_months';
    const budgetStated = budget.min !== null || budget.max !== null;
    // Ready to buy: soon and serious, or asking for an estimate with money in mind.
    if ((near && (visit || budgetStated || problem)) || (visit && (!far || budgetStated)) || timeline === 'immediate') {
      return result('hot_lead', visit ?? problem ?? intent.evidence);
    }
    return result('interested', intent.evidence);
  }
  return result('follow_up', callerSide[0]);
}
