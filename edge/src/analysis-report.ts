// How `callsight analyze` shows an analysis to a person: aligned fields, money and points
// formatted for reading, the evidence beside each field.
import type { Analysis } from '@callsight/shared';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export function formatBudget(budget: Analysis['budget']): string {
  const { min, max } = budget;
  if (min === null && max === null) return 'not stated';
  if (min !== null && max !== null)
    return min === max ? `about ${usd.format(min)}` : `${usd.format(min)} – ${usd.format(max)}`;
  return min !== null ? `from ${usd.format(min)}` : `up to ${usd.format(max ?? 0)}`;
}

const quote = (text: string | null) => (text ? `  “${text.length > 70 ? `${text.slice(0, 67)}…` : text}”` : '');

export function formatAnalysis(a: Analysis): string {
  const row = (label: string, value: string, evidence: string | null = null) =>
    `${label.padEnd(14)}${value.padEnd(24)}${quote(evidence)}`.trimEnd();
  const lines = [
    `Lead score    ${a.leadScore}/100  ${a.band.toUpperCase()}${a.scoredFrom === 'metadata' ? '  (from call metadata: no usable transcript)' : ''}`,
    '',
    row('Intent', a.intent, a.evidence.intent),
    row('Timeline', a.timeline, a.evidence.timeline),
    row('Budget', formatBudget(a.budget), a.evidence.budget),
    row('Urgency', a.urgency, a.evidence.urgency),
    row('Decision', a.decisionMaker, a.evidence.decisionMaker),
    row('Disposition', a.disposition, a.evidence.disposition),
    row('Sentiment', a.sentiment, a.evidence.sentiment),
    row('Spam', a.spam ? 'yes' : 'no', a.evidence.spam),
    '',
    `Summary       ${a.summary}`,
    '',
    'Why this score',
    ...a.breakdown.map(
      (b) => `  ${(b.points > 0 ? `+${b.points}` : String(b.points)).padStart(4)}  ${b.factor}${quote(b.evidence)}`,
    ),
  ];
  if (a.keyInsights.length) lines.push('', 'Key insights', ...a.keyInsights.map((k) => `  • ${k}`));
  if (a.actionItems.length) lines.push('', 'Action items', ...a.actionItems.map((k) => `  • ${k}`));
  if (a.redactions) lines.push('', `${a.redactions} PII item(s) masked before analysis`);
  if (a.notes.length) lines.push('', ...a.notes.map((n) => `Note: ${n}`));
  lines.push('', `Extractor     ${a.extractor.name} ${a.extractor.version}`);
  return lines.join('\n');
}
