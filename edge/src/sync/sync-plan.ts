// A sync's plan: who the caller is in the CRM (ledger, cache, search), their open deal, the
// owners, and the routing matrix's actions, made once per analysis version and stored with the
// sync so that every retry runs the same plan on the same records.
import type { Analysis } from '@callsight/shared';
import type { Clock } from '../clock';
import { routingOf } from '../crm/connection';
import { planSync, type PlanInput, type SyncPlan } from '../crm/plan';
import type { CrmPort, CrmRef } from '../crm/port';
import type { SyncLedger } from './ledger';
import { matchContact, TRUST_RECENT_MS, type ContactMatch } from './contact-match';
import type { OwnerCache } from './owner-cache';
import type { SyncCall } from './records';

/** What is stored with the plan: the plan, what it was made from, and the records it matched. */
export interface StoredPlan {
  analysisVersion: number | null;
  plannedAt: number;
  plan: SyncPlan;
  inputs: PlanInput;
  contact: (CrmRef & { ownerId: string | null }) | null;
  openDeal: CrmRef | null;
  matchedVia: ContactMatch['via'] | null;
}

/** What making a plan reads and writes beside the CRM. */
export interface PlanContext {
  ledger: SyncLedger;
  owners: OwnerCache;
  clock: Clock;
}

/**
 * The contact's open deal. A deal this tenant's sync used for the same contact minutes ago is
 * still the one (the ledger knows it); otherwise the CRM is asked, which costs two requests.
 */
async function openDealOf(
  { ledger, clock }: PlanContext,
  adapter: CrmPort,
  tenantId: string,
  match: ContactMatch,
): Promise<CrmRef | null> {
  if (match.via !== 'search') {
    const since = clock.now() - TRUST_RECENT_MS;
    const recent = await ledger.recentDeal(tenantId, adapter.crm, match.contact.id, since);
    if (recent) return { crm: adapter.crm, type: recent.objectType, id: recent.crmId, url: recent.url };
  }
  return adapter.findOpenDeal(match.contact);
}

/** Matches the caller, finds their open deal and the owners, and plans the actions. */
export async function makeSyncPlan(
  context: PlanContext,
  adapter: CrmPort,
  call: SyncCall,
  analysis: Analysis | null,
  analysisVersion: number | null,
  ctx: { tenantId: string; defaultCountry: string; options: Record<string, unknown> },
): Promise<StoredPlan> {
  const { ledger, owners, clock } = context;
  const routing = routingOf(ctx.options);
  const match = await matchContact(adapter, ledger, {
    tenantId: ctx.tenantId,
    callId: call.id,
    e164: call.customerPhoneE164,
    defaultCountry: ctx.defaultCountry,
    now: clock.now(),
  });
  const owner = (email: string | null) =>
    email ? owners.lookup(ctx.tenantId, adapter.crm, email, () => adapter.findOwnerByEmail(email)) : null;
  const [agentOwner, topManager, openDeal] = await Promise.all([
    owner(call.agentEmail),
    owner(routing.topManagerEmail),
    match ? openDealOf(context, adapter, ctx.tenantId, match) : null,
  ]);
  const inputs: PlanInput = {
    call: {
      direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
      outcome:
        call.outcome === 'missed' || call.outcome === 'voicemail' || call.outcome === 'in_progress'
          ? call.outcome
          : 'answered',
      customerPhone: call.customerPhoneE164,
      agentEmail: call.agentEmail,
      agentName: call.agentName,
    },
    analysis: analysis ? { band: analysis.band, disposition: analysis.disposition, spam: analysis.spam } : null,
    existing: {
      contact: match ? { id: match.contact.id, ownerId: match.contact.ownerId } : null,
      openDeal: openDeal ? { id: openDeal.id } : null,
      matches: match?.matches ?? 0,
      agentOwnerId: agentOwner?.id ?? null,
    },
    config: {
      topManagerOwnerId: topManager?.id ?? null,
      createDeals: routing.createDeals,
      junkPolicy: routing.junkPolicy,
      callbackDueMinutes: routing.callbackDueMinutes,
    },
  };
  const plannedAt = clock.now();
  // What was matched goes into the ledger now: a retry then resumes on the same records.
  const linkMatched = (step: 'contact' | 'deal', ref: CrmRef) =>
    ledger.link(
      ctx.tenantId,
      call.id,
      adapter.crm,
      { step, objectType: ref.type, crmId: ref.id, url: ref.url },
      plannedAt,
    );
  if (match) {
    await linkMatched('contact', match.contact);
    // Only what the CRM just confirmed restarts the time the cache is trusted.
    if (call.customerPhoneE164 && match.via !== 'recent')
      await ledger.cacheContact(ctx.tenantId, adapter.crm, call.customerPhoneE164, match.contact, plannedAt);
  }
  if (openDeal) await linkMatched('deal', openDeal);
  return {
    analysisVersion,
    plannedAt,
    plan: planSync(inputs),
    inputs,
    contact: match?.contact ?? null,
    openDeal,
    matchedVia: match?.via ?? null,
  };
}
