// The routing matrix (DESIGN.md §6) as a pure function: what to do in one CRM for one call, given
// what that CRM already has for the caller's number. No I/O: the executor runs the actions, and
// every row of the matrix is one row of plan.test.ts.
import type { Disposition, LeadBand } from '@callsight/shared';

export interface PlanCall {
  direction: 'inbound' | 'outbound';
  outcome: 'answered' | 'missed' | 'voicemail' | 'in_progress';
  /** E.164, or null when the source gave no usable number. */
  customerPhone: string | null;
  /** Who answered or placed the call, as the source named them (email preferred). */
  agentEmail: string | null;
  agentName: string | null;
}

export interface PlanAnalysis {
  band: LeadBand;
  disposition: Disposition;
  spam: boolean;
}

export interface PlanExisting {
  /** The matched contact (most recently updated when several matched). */
  contact: { id: string; ownerId: string | null } | null;
  openDeal: { id: string } | null;
  /** How many CRM records matched the number: more than one is worth saying on the call. */
  matches: number;
  /** The CRM owner for the call's agent: null when the call named no agent or the CRM has none. */
  agentOwnerId: string | null;
}

export interface RoutingConfig {
  /** The "top manager": owns what no one else does and fixes agent mappings. */
  topManagerOwnerId: string | null;
  createDeals: boolean;
  /** Spam and wrong numbers: `skip` writes nothing; `log_on_known` logs the call on a known contact. */
  junkPolicy: 'skip' | 'log_on_known';
  callbackDueMinutes: number;
}

export const defaultRoutingConfig: RoutingConfig = {
  topManagerOwnerId: null,
  createDeals: true,
  junkPolicy: 'log_on_known',
  callbackDueMinutes: 15,
};

export type TaskPurpose = 'callback' | 'hot_lead' | 'agent_mapping';

export type SyncAction =
  | { kind: 'create_contact'; ownerId: string | null }
  | { kind: 'create_deal'; ownerId: string | null; priority: 'high' | 'medium' | 'low' }
  | { kind: 'log_call'; ownerId: string | null; onDeal: boolean; notes: string[] }
  | {
      kind: 'create_task';
      purpose: TaskPurpose;
      ownerId: string | null;
      dueInMinutes: number;
      priority: 'high' | 'medium' | 'low';
    }
  | { kind: 'set_do_not_call' };

export interface SyncPlan {
  /** In the order they must run: the contact before what is associated to it. */
  actions: SyncAction[];
  /** Why the plan is what it is, for the call's sync history. */
  reasons: string[];
}

export interface PlanInput {
  call: PlanCall;
  analysis: PlanAnalysis | null;
  existing: PlanExisting;
  config: RoutingConfig;
}

export function planSync({ call, analysis, existing, config }: PlanInput): SyncPlan {
  const reasons: string[] = [];
  const actions: SyncAction[] = [];
  const known = existing.contact !== null;
  const reached = call.outcome === 'answered';
  const junk =
    analysis !== null && (analysis.spam || analysis.disposition === 'spam' || analysis.disposition === 'wrong_number');
  const doNotCall = analysis?.disposition === 'do_not_call';
  const hot = analysis?.band === 'high' && !junk && !doNotCall;

  if (!call.customerPhone) reasons.push('no usable phone number: matched on nothing, a new contact is created');
  if (existing.matches > 1)
    reasons.push(`${existing.matches} CRM records share this number: used the most recently updated`);

  if (junk) {
    reasons.push(`${analysis?.disposition === 'wrong_number' ? 'wrong number' : 'spam'}: no contact, deal or task`);
    if (known && config.junkPolicy === 'log_on_known') {
      actions.push({ kind: 'log_call', ownerId: existing.contact?.ownerId ?? null, onDeal: false, notes: [] });
    }
    return { actions, reasons };
  }

  // An agent the call names but the CRM does not know: the top manager owns the work instead and
  // is asked to fix the mapping.
  const agentNamed = call.agentEmail !== null || call.agentName !== null;
  const agentUnknown = agentNamed && existing.agentOwnerId === null;
  if (agentUnknown)
    reasons.push(`agent ${call.agentEmail ?? call.agentName} has no CRM owner: the top manager owns this call`);
  const agentOwner = existing.agentOwnerId ?? (agentUnknown ? config.topManagerOwnerId : null);

  const inboundUnreached = call.direction === 'inbound' && !reached;
  // Who owns what this call creates: the answering agent; for a missed inbound call, the top
  // manager (no one has spoken to the caller yet).
  const newOwner = inboundUnreached ? config.topManagerOwnerId : (agentOwner ?? config.topManagerOwnerId);
  const contactOwner = known ? (existing.contact?.ownerId ?? null) : newOwner;

  if (!known) actions.push({ kind: 'create_contact', ownerId: newOwner });

  const wantsDeal =
    config.createDeals &&
    call.direction === 'inbound' &&
    !known &&
    !doNotCall &&
    analysis?.disposition !== 'existing_customer' &&
    analysis?.disposition !== 'not_interested';
  const priority = hot ? 'high' : analysis?.band === 'medium' ? 'medium' : 'low';
  if (wantsDeal) actions.push({ kind: 'create_deal', ownerId: newOwner, priority });

  const notes: string[] = [];
  if (known && reached && call.direction === 'inbound' && agentOwner !== null && agentOwner !== contactOwner) {
    notes.push(`Answered by ${call.agentName ?? call.agentEmail ?? 'another agent'}, not the contact owner`);
  }
  if (existing.matches > 1) notes.push(`${existing.matches} contacts have this number`);
  const onDeal = wantsDeal || existing.openDeal !== null;
  actions.push({ kind: 'log_call', ownerId: reached ? (agentOwner ?? contactOwner) : contactOwner, onDeal, notes });

  if (doNotCall) {
    reasons.push('caller asked not to be called: do-not-call set, no deal or follow-up');
    actions.push({ kind: 'set_do_not_call' });
  } else if (inboundUnreached) {
    // Nobody has spoken to this caller: someone must call back, now if the lead is hot.
    const owner = known ? (contactOwner ?? config.topManagerOwnerId) : config.topManagerOwnerId;
    actions.push(
      hot
        ? { kind: 'create_task', purpose: 'hot_lead', ownerId: owner, dueInMinutes: 0, priority: 'high' }
        : {
            kind: 'create_task',
            purpose: 'callback',
            ownerId: owner,
            dueInMinutes: config.callbackDueMinutes,
            priority: 'medium',
          },
    );
  }

  if (agentUnknown) {
    actions.push({
      kind: 'create_task',
      purpose: 'agent_mapping',
      ownerId: config.topManagerOwnerId,
      dueInMinutes: 24 * 60,
      priority: 'low',
    });
  }
  if (!config.topManagerOwnerId && actions.some((a) => 'ownerId' in a && a.ownerId === null)) {
    reasons.push('no top manager configured: unowned records fall to the CRM default owner');
  }
  return { actions, reasons };
}
