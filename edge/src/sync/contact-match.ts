// Which CRM contact a call belongs to. The ledger first (a retry must not trust a search that lags
// its own writes), then our phone cache (checked against the CRM), then the CRM's search, whose
// candidates are compared here in E.164 because CRMs store phones as free text.
import { normalisePhone } from '@callsight/shared';
import type { CrmContact, CrmPort, CrmRef } from '../crm/port';
import type { SyncLedger } from './ledger';

export interface ContactMatch {
  contact: CrmRef & { ownerId: string | null };
  /** How many CRM records carry the number (1 when it came from the ledger or cache). */
  matches: number;
  /** `recent`: our cache, trusted without asking the CRM because it was checked minutes ago. */
  via: 'ledger' | 'recent' | 'cache' | 'search';
}

export function samePhone(candidate: string, e164: string, defaultCountry: string): boolean {
  return normalisePhone(candidate, defaultCountry).e164 === e164;
}

/**
 * How long what a sync learned about a contact (its phone, its open deal) is trusted without asking
 * the CRM again: a caller who rings back within minutes costs one request, not three.
 */
export const TRUST_RECENT_MS = 10 * 60_000;

const refOf = (c: CrmContact) => ({ crm: c.crm, type: c.type, id: c.id, url: c.url, ownerId: c.ownerId });

export async function matchContact(
  adapter: CrmPort,
  ledger: SyncLedger,
  q: { tenantId: string; callId: string; e164: string | null; defaultCountry: string; now?: number },
): Promise<ContactMatch | null> {
  const links = await ledger.links(q.tenantId, q.callId, adapter.crm);
  const linked = links.find((l) => l.step === 'contact');
  if (linked) {
    const contact = await adapter.getContact(linked.crmId);
    return {
      contact: {
        crm: adapter.crm,
        type: linked.objectType,
        id: linked.crmId,
        url: linked.url,
        ownerId: contact?.ownerId ?? null,
      },
      matches: 1,
      via: 'ledger',
    };
  }
  if (!q.e164) return null;

  const cached = await ledger.cachedContact(q.tenantId, adapter.crm, q.e164);
  if (cached && q.now !== undefined && q.now - cached.updatedAt < TRUST_RECENT_MS) {
    const url = await ledger.urlOf(q.tenantId, adapter.crm, cached.contactId);
    const contact = { crm: adapter.crm, type: cached.objectType, id: cached.contactId, url };
    return { contact: { ...contact, ownerId: cached.ownerId }, matches: 1, via: 'recent' };
  }
  if (cached) {
    const contact = await adapter.getContact(cached.contactId);
    // Merged, deleted or renumbered in the CRM since: forget it and search again.
    const e164 = q.e164;
    const stillThere =
      contact && (contact.phones.length === 0 || contact.phones.some((p) => samePhone(p, e164, q.defaultCountry)));
    if (contact && stillThere) return { contact: refOf(contact), matches: 1, via: 'cache' };
    await ledger.forgetContact(q.tenantId, adapter.crm, q.e164);
  }

  const e164 = q.e164;
  const candidates = await adapter.findContactsByPhone(e164);
  const matching = candidates
    .filter((c) => c.phones.some((p) => samePhone(p, e164, q.defaultCountry)))
    .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  const best = matching[0];
  return best ? { contact: refOf(best), matches: matching.length, via: 'search' } : null;
}
