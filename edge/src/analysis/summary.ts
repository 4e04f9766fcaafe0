import {
  type Budget,
  type CallDirection,
  type DecisionMaker,
  type Disposition,
  type Intent,
  type Sentiment,
  type Timeline,
  type Urgency,
} from '@callsight/shared';

/**
 * The human-readable part of the signals, written from the extracted facts only: a summary
 * never says more than the fields do, so it cannot leak what redaction removed.
 */

export interface SummaryFacts {
  direction: CallDirection;
  intent: Intent;
  otherIntents: readonly string[];
  timeline: Timeline;
  timelineEvidence: string | null;
  budget: Budget;
  urgency: Urgency;
  urgencyEvidence: string | null;
  decisionMaker: DecisionMaker;
  disposition: Disposition;
  sentiment: Sentiment;
}

export interface SummaryText {
  summary: string;
  keyInsights: string[];
  actionItems: string[];
}

export function projectName(intent: Intent): string | null {
  if (intent === 'none') return null;
  if (intent === 'other_project') return 'home improvement project';
  if (intent === 'windows_doors') return 'windows and doors project';
  if (intent === 'hvac') return 'HVAC project';
  return intent.replace(/_/g, ' ') + (/(remodel|renovation|project|addition)$/.test(intent) ? '' : ' project');
}

const timelinePhrase: Readonly<Record<Timeline, string | null>> = {
  immediate: 'as soon as possible',
  '1-3_months': 'within 1-3 months',
  '3-6_months': 'in 3-6 months',
  '6+_months': 'more than 6 months out',
  unknown: null,
};

const usd = (n: number) => '$' + Math.round(n).toLocaleString('en-US');

export function budgetPhrase(budget: Budget): string | null {
  const { min, max } = budget;
  if (min !== null && max !== null) return min === max ? `about ${usd(min)}` : `${usd(min)}-${usd(max)}`;
  if (max !== null) return `up to ${usd(max)}`;
  if (min !== null) return `${usd(min)} or more`;
  return null;
}

const who: Readonly<Record<DecisionMaker, string>> = {
  owner: 'Homeowner',
  renter: 'Renter',
  realtor: 'Realtor',
  relative: 'Relative of the owner',
  property_manager: 'Property manager',
  unknown: 'Caller',
};

const outcome: Readonly<Record<Disposition, string>> = {
  hot_lead: 'Ready to move forward; no appointment booked yet.',
  interested: 'Interested, but no next step was set.',
  appointment_booked: 'An appointment was booked.',
  callback_requested: 'Asked to be called back.',
  follow_up: 'A follow-up was agreed.',
  voicemail: 'Left as a voicemail.',
  not_connected: 'No conversation took place.',
  not_interested: 'Not going ahead.',
  wrong_number: 'Wrong number.',
  do_not_call: 'Asked not to be called again.',
  spam: 'Spam or sales solicitation, not a lead.',
  existing_customer: 'Existing customer, not a new lead.',
};

const actions: Readonly<Record<Disposition, string>> = {
  hot_lead: 'Call back within the hour to book an estimate visit.',
  interested: 'Send information and follow up in a few days.',
  appointment_booked: 'Confirm the appointment and send a reminder.',
  callback_requested: 'Call the caller back at the time they asked.',
  follow_up: 'Follow up as agreed.',
  voicemail: 'Return the call.',
  not_connected: 'Call the number back.',
  not_interested: 'Close the lead and note the reason.',
  wrong_number: 'No action: not a lead.',
  do_not_call: 'Add the number to the do-not-call list.',
  spam: 'Mark the number as spam.',
  existing_customer: "Route to the customer's project manager or the service team.",
};

function opening(facts: SummaryFacts): string | null {
  const project = projectName(facts.intent);
  if (!project) return null;
  const details = [timelinePhrase[facts.timeline], budgetPhrase(facts.budget) && `budget ${budgetPhrase(facts.budget)}`]
    .filter(Boolean)
    .join(', ');
  const subject = facts.disposition === 'existing_customer' ? 'Existing customer' : who[facts.decisionMaker];
  const verb = facts.disposition === 'existing_customer' ? 'called about their' : 'wants a';
  return `${subject} ${verb} ${project}${details ? ` (${details})` : ''}.`;
}

export function summarize(facts: SummaryFacts): SummaryText {
  const first = opening(facts);
  const sentences = [first, outcome[facts.disposition]].filter((s): s is string => !!s);
  if (facts.disposition === 'voicemail' && facts.direction === 'outbound')
    sentences[sentences.length - 1] = 'Reached voicemail.';
  if (facts.disposition === 'not_connected') {
    sentences.splice(
      0,
      sentences.length,
      facts.direction === 'outbound' ? 'Outbound call was not answered.' : 'Missed call with no conversation recorded.',
    );
  }

  const insights: string[] = [];
  const project = projectName(facts.intent);
  if (project && !['spam', 'wrong_number', 'do_not_call'].includes(facts.disposition)) {
    insights.push(`Project: ${project}`);
    if (facts.otherIntents.length)
      insights.push(`Also mentioned: ${facts.otherIntents.map((i) => projectName(i) ?? i).join(', ')}`);
    const when = timelinePhrase[facts.timeline];
    if (when) insights.push(`Timeline: ${when}${facts.timelineEvidence ? ` ("${facts.timelineEvidence}")` : ''}`);
    const budget = budgetPhrase(facts.budget);
    if (budget) insights.push(`Budget: ${budget} (the caller's own figure)`);
  }
  if (facts.decisionMaker !== 'unknown') insights.push(`Decision maker: ${who[facts.decisionMaker].toLowerCase()}`);
  if (facts.urgency === 'high' && facts.urgencyEvidence) insights.push(`Urgent: "${facts.urgencyEvidence}"`);
  if (facts.sentiment === 'negative') insights.push('Caller sounded unhappy');

  const actionItems = [actions[facts.disposition]];
  if (facts.disposition === 'voicemail' && facts.direction === 'outbound') actionItems[0] = 'Try the call again later.';
  if (facts.disposition === 'not_connected' && facts.direction === 'outbound')
    actionItems[0] = 'Try the call again later.';
  const lead = ![
    'spam',
    'wrong_number',
    'do_not_call',
    'not_connected',
    'existing_customer',
    'not_interested',
  ].includes(facts.disposition);
  if (lead && facts.decisionMaker === 'renter')
    actionItems.push('Confirm the landlord approves the work before quoting.');
  if (lead && facts.decisionMaker === 'relative') actionItems.push('Confirm who makes the decision and include them.');
  if (lead && facts.sentiment === 'negative') actionItems.push('Have a senior person handle the call back.');
  if (facts.disposition === 'existing_customer' && facts.sentiment === 'negative') {
    actionItems.push('Escalate: the customer is unhappy.');
  }
  return { summary: sentences.slice(0, 3).join(' '), keyInsights: insights.slice(0, 8), actionItems };
}
