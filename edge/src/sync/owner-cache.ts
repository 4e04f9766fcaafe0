// CRM users by email, remembered for a few minutes per tenant and CRM. Every call's plan needs the
// answering agent and the top manager, and asking the CRM each time would spend two requests of a
// tight rate limit per call on answers that change a few times a year. In memory, per process,
// like the rate-limit windows: a new agent is seen within `ttlMs`.
import type { Clock } from '../clock';
import type { CrmOwner } from '../crm/port';

export const OWNER_TTL_MS = 10 * 60_000;

export class OwnerCache {
  private readonly entries = new Map<string, { owner: Promise<CrmOwner | null>; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = OWNER_TTL_MS,
  ) {}

  /** The owner with this email, from memory when looked up less than `ttlMs` ago. */
  lookup(tenantId: string, crm: string, email: string, ask: () => Promise<CrmOwner | null>): Promise<CrmOwner | null> {
    const key = `${tenantId}\u0000${crm}\u0000${email.trim().toLowerCase()}`;
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.owner;
    // Concurrent plans share one request; a failed look-up is not remembered.
    const owner = ask();
    this.entries.set(key, { owner, at: now });
    owner.catch(() => this.entries.delete(key));
    return owner;
  }
}
