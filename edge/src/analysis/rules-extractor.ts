import { defaultIntentTaxonomy, type Signals } from '@callsight/shared';
import { extractBudget } from './budget';
import { callDay } from './calendar';
import { extractDecisionMaker } from './decision-maker';
import { extractDisposition } from './disposition';
import { type CallInput, type SignalExtractor } from './extractor';
import { extractIntent, intentOfPastWork, intentOfSecondHand } from './intent';
import { extractSentiment } from './sentiment';
import { summarize } from './summary';
import { extractTimeline } from './timeline';
import { parseTranscript } from './transcript';
import { extractUrgency } from './urgency';

/**
 * The rules extractor (DESIGN §5): deterministic, local, milliseconds, always available. Bump
 * the version whenever a rule changes what it returns, so stored analyses say which rules made
 * them.
 */
export const rulesExtractorVersion = '1.0.0';

/** Calls that end in these have no project to speak of, whatever words came up. */
const notALead = new Set(['spam', 'wrong_number', 'do_not_call', 'not_connected']);

export function extractSignals(input: CallInput): Signals {
  const parsed = parseTranscript(input.transcript, input.direction);
  const taxonomy = input.taxonomy ?? defaultIntentTaxonomy;
  const callDate = callDay(input.callDate);

  let intent = extractIntent(parsed, taxonomy, input.direction);
  let timeline =
    intent.intent === 'none' ? { timeline: 'unknown' as const, evidence: null } : extractTimeline(parsed, callDate);
  let budget = extractBudget(parsed);
  const decisionMaker = extractDecisionMaker(parsed);
  const disposition = extractDisposition({
    parsed,
    answered: input.answered,
    direction: input.direction,
    intent,
    timeline: timeline.timeline,
    budget: budget.budget,
  });

  if (notALead.has(disposition.disposition)) {
    intent = { ...intent, intent: 'none', evidence: null, others: [] };
    timeline = { timeline: 'unknown', evidence: null };
    budget = { budget: { min: null, max: null }, evidence: null };
  } else if (disposition.disposition === 'existing_customer') {
    intent = intentOfPastWork(intent, taxonomy);
  } else if (disposition.disposition !== 'not_interested') {
    intent = intentOfSecondHand(intent, taxonomy);
  }

  const urgency = notALead.has(disposition.disposition)
    ? { urgency: 'low' as const, evidence: null }
    : extractUrgency({
        parsed,
        timeline: timeline.timeline,
        timelineEvidence: timeline.evidence,
        activeProblem: disposition.activeProblem,
        visitRequested: disposition.visitRequested,
      });
  const sentiment = extractSentiment(parsed);
  const text = summarize({
    direction: input.direction,
    intent: intent.intent,
    otherIntents: intent.others.filter((i) => i !== intent.intent && taxonomy.includes(i)),
    timeline: timeline.timeline,
    timelineEvidence: timeline.evidence,
    budget: budget.budget,
    urgency: urgency.urgency,
    urgencyEvidence: urgency.evidence,
    decisionMaker: decisionMaker.decisionMaker,
    disposition: disposition.disposition,
    sentiment: sentiment.sentiment,
  });

  return {
    intent: intent.intent,
    timeline: timeline.timeline,
    budget: budget.budget,
    urgency: urgency.urgency,
    decisionMaker: decisionMaker.decisionMaker,
    disposition: disposition.disposition,
    sentiment: sentiment.sentiment,
    spam: disposition.spam,
    keyInsights: text.keyInsights,
    summary: text.summary,
    actionItems: text.actionItems,
    evidence: {
      intent: intent.evidence,
      timeline: timeline.evidence,
      budget: budget.evidence,
      urgency: urgency.evidence,
      decisionMaker: decisionMaker.evidence,
      disposition: disposition.evidence,
      sentiment: sentiment.evidence,
      spam: disposition.spam ? disposition.evidence : null,
    },
  };
}

export const rulesExtractor: SignalExtractor = {
  name: 'rules',
  version: rulesExtractorVersion,
  extract: async (input) => extractSignals(input),
};
