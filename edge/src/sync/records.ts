// What Callsight writes into a CRM for one call: the contact, the deal, the call log and the
// tasks, built from the stored call and its analysis. Pure: the executor adds the CRM refs and
// the properties rendered from the tenant's field mapping (crm/field-mapping.ts).
import type { Analysis, CallOrigin } from '@callsight/shared';
import type { CallRow } from '../db/repos/calls';
import type { TaskPurpose } from '../crm/plan';
import type { CallLog, CrmRef, NewContact, NewDeal, NewTask } from '../crm/port';

/** The source of calls people create by hand (POST /v1/leads): not a webhook source. */
export const MANUAL_SOURCE = 'manual' satisfies CallOrigin;

export type SyncCall = Pick<
  CallRow,
  | 'id'
  | 'direction'
  | 'outcome'
  | 'customerPhoneE164'
  | 'customerPhoneRaw'
  | 'customerName'
  | 'agentEmail'
  | 'agentName'
  | 'startedAt'
  | 'createdAt'
  | 'durationSeconds'
  | 'recordingUrl'
  | 'attribution'
  | 'source'
  | 'sourceAnalysis'
>;

const direction = (call: SyncCall): 'inbound' | 'outbound' => (call.direction === 'outbound' ? 'outbound' : 'inbound');
const outcome = (call: SyncCall): CallLog['outcome'] =>
  call.outcome === 'missed' || call.outcome === 'voicemail' || call.outcome === 'in_progress'
    ? call.outcome
    : 'answered';

/** "Dana Van Caller" → Dana / Van Caller; one word is a last name (CRMs require one). */
export function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: null, lastName: null };
  if (words.length === 1) return { firstName: null, lastName: words[0] ?? null };
  return { firstName: words[0] ?? null, lastName: words.slice(1).join(' ') };
}

const who = (call: SyncCall) =>
  call.customerName?.trim() || call.customerPhoneE164 || call.customerPhoneRaw || 'caller';

/** "Inbound call · 84/100 high · kitchen_remodel". */
export function callTitle(call: SyncCall, analysis: Analysis | null): string {
  const kind =
    call.source === MANUAL_SOURCE ? 'Manual lead' : `${direction(call) === 'inbound' ? 'Inbound' : 'Outbound'} call`;
  const parts = [outcome(call) === 'answered' || call.source === MANUAL_SOURCE ? kind : `${kind} (${outcome(call)})`];
  if (analysis) parts.push(`${analysis.leadScore}/100 ${analysis.band}`, analysis.intent);
  return parts.join(' · ');
}

export function callBody(call: SyncCall, analysis: Analysis | null, notes: string[]): string {
  const lines: string[] = [];
  if (analysis) {
    lines.push(analysis.summary, '');
    lines.push(`Lead score ${analysis.leadScore}/100 (${analysis.band})`);
    for (const b of analysis.breakdown) lines.push(`  ${b.points >= 0 ? '+' : ''}${b.points} ${b.factor}`);
    if (analysis.keyInsights.length > 0) {
      lines.push('', 'Key insights:');
      for (const insight of analysis.keyInsights) lines.push(`- ${insight}`);
    }
  } else {
    lines.push('Not analysed yet.');
  }
  if (notes.length > 0) lines.push('', ...notes);
  const source = attributionLine(call);
  if (source) lines.push('', source);
  if (call.recordingUrl) lines.push('', `Recording: ${call.recordingUrl}`);
  return lines.join('\n');
}

/** Where the caller came from, in words: CRM properties need the tenant's field mapping, text does not. */
const attributionLine = (call: SyncCall): string | null => {
  const a = call.attribution;
  const parts = [a.sourceName, [a.utmSource, a.utmMedium].filter(Boolean).join(' / '), a.utmCampaign].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return parts.length > 0 ? `Source: ${parts.join(' · ')}` : null;
};

export function newContact(
  call: SyncCall,
  ownerId: string | null,
  properties: Record<string, string> = {},
): NewContact {
  return {
    phone: call.customerPhoneE164 ?? call.customerPhoneRaw ?? '',
    ...splitName(call.customerName),
    // Only a manual lead carries an email (the rep typed it); sources give phones.
    email:
      call.source === MANUAL_SOURCE && typeof call.sourceAnalysis?.email === 'string'
        ? call.sourceAnalysis.email
        : null,
    ownerId,
    properties,
  };
}

export function newDeal(
  call: SyncCall,
  analysis: Analysis | null,
  contact: CrmRef,
  ownerId: string | null,
  priority: NewDeal['priority'],
  properties: Record<string, string> = {},
): NewDeal {
  const topic = analysis && analysis.intent !== 'unknown' ? analysis.intent.replace(/_/g, ' ') : 'new enquiry';
  return { name: `${who(call)} · ${topic}`, contact, ownerId, priority, properties };
}

export function callLog(
  call: SyncCall,
  analysis: Analysis | null,
  refs: { contact: CrmRef; deal: CrmRef | null },
  ownerId: string | null,
  notes: string[],
  properties: Record<string, string> = {},
): CallLog {
  return {
    externalId: call.id,
    contact: refs.contact,
    deal: refs.deal,
    ownerId,
    direction: direction(call),
    outcome: outcome(call),
    startedAt: new Date(call.startedAt ?? call.createdAt).toISOString(),
    durationSeconds: call.durationSeconds,
    recordingUrl: call.recordingUrl,
    title: callTitle(call, analysis),
    body: callBody(call, analysis, notes),
    properties,
  };
}

const subjects: Record<TaskPurpose, (call: SyncCall, analysis: Analysis | null) => string> = {
  callback: (call) => `Call back ${who(call)}: missed ${direction(call)} call`,
  hot_lead: (call, analysis) => `Hot lead: call ${who(call)} back now (score ${analysis?.leadScore ?? '?'})`,
  agent_mapping: (call) => `Map agent ${call.agentEmail ?? call.agentName ?? 'unknown'} to a CRM user`,
};

export function newTask(
  call: SyncCall,
  analysis: Analysis | null,
  action: { purpose: TaskPurpose; ownerId: string | null; dueInMinutes: number; priority: NewTask['priority'] },
  refs: { contact: CrmRef; deal: CrmRef | null },
  plannedAt: number,
  properties: Record<string, string> = {},
): NewTask {
  const body =
    action.purpose === 'agent_mapping'
      ? `Callsight could not find a CRM user for ${call.agentEmail ?? call.agentName}: calls they take are owned by the top manager until their email matches a CRM user.`
      : callBody(call, analysis, []);
  return {
    // One task per call and purpose: adapters that upsert by external id stay idempotent.
    externalId: `${call.id}:${action.purpose}`,
    contact: refs.contact,
    deal: refs.deal,
    ownerId: action.ownerId,
    subject: subjects[action.purpose](call, analysis),
    body,
    // From when the plan was made, so a retry does not push the due time back.
    dueAt: new Date(plannedAt + action.dueInMinutes * 60_000).toISOString(),
    priority: action.priority,
    properties,
  };
}
