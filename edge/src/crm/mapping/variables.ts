// The variables a field-mapping template may use: what the stored call row and its analysis hold,
// under stable snake_case names. Adding one here is all it takes to make it valid in mappings.
import type { Analysis } from '@callsight/shared';
import type { CallRow } from '../../db/repos/calls';

/** What templates read from the call: the stored row (the sync passes the whole row). */
export type TemplateCall = Pick<
  CallRow,
  | 'id'
  | 'source'
  | 'sourceCallId'
  | 'direction'
  | 'outcome'
  | 'startedAt'
  | 'createdAt'
  | 'durationSeconds'
  | 'recordingUrl'
  | 'trackingNumberE164'
  | 'trackingNumberRaw'
  | 'customerPhoneE164'
  | 'customerPhoneRaw'
  | 'customerName'
  | 'agentEmail'
  | 'agentName'
  | 'attribution'
>;

type Read = (call: TemplateCall, analysis: Analysis | null) => string | number | boolean | null | undefined;

export interface TemplateVariable {
  description: string;
  read: Read;
}

const attribution =
  (key: string): Read =>
  (call) =>
    call.attribution[key];
const fromAnalysis =
  (read: (a: Analysis) => string | number | boolean | null | undefined): Read =>
  (_call, analysis) =>
    analysis ? read(analysis) : null;

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** "$30,000-$40,000", "$50,000+", "up to $10,000", or nothing when the caller named no figure. */
export function budgetText(budget: Analysis['budget']): string | null {
  const { min, max } = budget;
  if (min !== null && max !== null) return min === max ? usd(min) : `${usd(min)}-${usd(max)}`;
  if (min !== null) return `${usd(min)}+`;
  if (max !== null) return `up to ${usd(max)}`;
  return null;
}

const BAND_LABEL = { high: 'High', medium: 'Medium', low: 'Low' } as const;

export const TEMPLATE_VARIABLES: Record<string, TemplateVariable> = {
  'call.id': { description: "Callsight's id of the call", read: (c) => c.id },
  'call.source': { description: 'callrail, retell, ringostat or manual', read: (c) => c.source },
  'call.source_call_id': { description: "The source's own id of the call", read: (c) => c.sourceCallId },
  'call.direction': { description: 'inbound or outbound', read: (c) => c.direction },
  'call.outcome': { description: 'answered, missed, voicemail or in_progress', read: (c) => c.outcome },
  'call.started_at': {
    description: 'When the call started (ISO 8601, UTC); when it was received if the source did not say',
    read: (c) => new Date(c.startedAt ?? c.createdAt).toISOString(),
  },
  'call.duration': { description: 'Duration in seconds', read: (c) => c.durationSeconds },
  'call.recording_url': { description: 'Link to the recording', read: (c) => c.recordingUrl },
  'call.tracking_number': {
    description: 'The tracking number that was dialled (E.164 when valid)',
    read: (c) => c.trackingNumberE164 ?? c.trackingNumberRaw,
  },
  'call.customer_phone': {
    description: "The caller's number (E.164 when valid)",
    read: (c) => c.customerPhoneE164 ?? c.customerPhoneRaw,
  },
  'call.customer_name': { description: "The caller's name, as the source gave it", read: (c) => c.customerName },
  'call.agent_email': { description: 'Email of the agent who took the call', read: (c) => c.agentEmail },
  'call.agent_name': { description: 'Name of the agent who took the call', read: (c) => c.agentName },
  'call.utm_source': { description: 'utm_source', read: attribution('utmSource') },
  'call.utm_medium': { description: 'utm_medium', read: attribution('utmMedium') },
  'call.utm_campaign': { description: 'utm_campaign', read: attribution('utmCampaign') },
  'call.utm_term': { description: 'utm_term', read: attribution('utmTerm') },
  'call.utm_content': { description: 'utm_content', read: attribution('utmContent') },
  'call.gclid': { description: 'Google Ads click id', read: attribution('gclid') },
  'call.landing_page': { description: 'Landing page of the visit', read: attribution('landingPage') },
  'call.referrer': { description: 'Referrer of the visit', read: attribution('referrer') },
  'call.campaign': { description: "The call-tracking source's campaign name", read: attribution('campaign') },
  'call.source_name': {
    description: 'The tracking source\'s own name for where the caller came from ("Google Ads")',
    read: attribution('sourceName'),
  },
  'analysis.intent': {
    description: "The project asked about, from the tenant's taxonomy",
    read: fromAnalysis((a) => a.intent),
  },
  'analysis.score': { description: 'Lead score, 0-100', read: fromAnalysis((a) => a.leadScore) },
  'analysis.band': { description: 'high, medium or low', read: fromAnalysis((a) => a.band) },
  'analysis.band_label': {
    description: 'High, Medium or Low (for picklists with capitalised values)',
    read: fromAnalysis((a) => BAND_LABEL[a.band]),
  },
  'analysis.summary': { description: 'One to three sentences', read: fromAnalysis((a) => a.summary) },
  'analysis.timeline': {
    description: 'immediate, 1-3_months, 3-6_months, 6+_months or unknown',
    read: fromAnalysis((a) => a.timeline),
  },
  'analysis.budget': {
    description: 'The caller\'s budget in words: "$30,000-$40,000", "$50,000+", "up to $10,000"',
    read: fromAnalysis((a) => budgetText(a.budget)),
  },
  'analysis.budget_min': { description: 'Lower end of the budget in USD', read: fromAnalysis((a) => a.budget.min) },
  'analysis.budget_max': { description: 'Upper end of the budget in USD', read: fromAnalysis((a) => a.budget.max) },
  'analysis.urgency': { description: 'high, medium or low', read: fromAnalysis((a) => a.urgency) },
  'analysis.decision_maker': {
    description: 'owner, renter, realtor, relative, property_manager or unknown',
    read: fromAnalysis((a) => a.decisionMaker),
  },
  'analysis.disposition': {
    description: 'hot_lead, interested, appointment_booked, voicemail, spam, … (the analysis outcome)',
    read: fromAnalysis((a) => a.disposition),
  },
  'analysis.sentiment': { description: 'positive, neutral or negative', read: fromAnalysis((a) => a.sentiment) },
  'analysis.spam': { description: 'true or false', read: fromAnalysis((a) => a.spam) },
  'analysis.key_insights': {
    description: 'Key insights, separated by "; "',
    read: fromAnalysis((a) => a.keyInsights.join('; ')),
  },
  'analysis.action_items': {
    description: 'Action items, separated by "; "',
    read: fromAnalysis((a) => a.actionItems.join('; ')),
  },
  'analysis.scored_from': { description: 'transcript or metadata', read: fromAnalysis((a) => a.scoredFrom) },
};

export const isTemplateVariable = (name: string): boolean => Object.hasOwn(TEMPLATE_VARIABLES, name);

/** Every variable's value for one call, as text; null when the call or analysis does not have it. */
export function templateValues(call: TemplateCall, analysis: Analysis | null): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(TEMPLATE_VARIABLES).map(([name, v]) => {
      const value = v.read(call, analysis);
      return [name, value === null || value === undefined ? null : String(value)];
    }),
  );
}
