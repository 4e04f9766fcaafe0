// Record references with links a person can open in HubSpot. Links need the portal (hub) id,
// from the configuration or learned from account-info; until then they are null.
import type { CrmContact, CrmRef } from '../port';
import type { HubspotObject } from './wire';

export class RecordLinks {
  private appUrl: string;
  private readonly appUrlFixed: boolean;

  constructor(
    private portal: string | null,
    appUrl: string | undefined,
  ) {
    this.appUrl = (appUrl ?? 'https://app.hubspot.com').replace(/\/+$/, '');
    this.appUrlFixed = appUrl !== undefined;
  }

  get portalId(): string | null {
    return this.portal;
  }

  /** Adopts what account-info says, unless configured otherwise (EU portals live on app-eu1). */
  learn(portalId: string | number | undefined, uiDomain: string | undefined): void {
    if (portalId != null) this.portal ??= String(portalId);
    if (uiDomain && !this.appUrlFixed) this.appUrl = `https://${uiDomain}`;
  }

  private url(objectTypeId: string, id: string): string | null {
    return this.portal ? `${this.appUrl}/contacts/${this.portal}/record/${objectTypeId}/${id}` : null;
  }

  contact(id: string): CrmRef {
    return { crm: 'hubspot', type: 'contact', id, url: this.url('0-1', id) };
  }

  deal(id: string): CrmRef {
    return { crm: 'hubspot', type: 'deal', id, url: this.url('0-3', id) };
  }

  /** Calls and tasks have no record page of their own: they show on the contact's timeline. */
  activity(type: 'call' | 'task', id: string, contact: CrmRef): CrmRef {
    return { crm: 'hubspot', type, id, url: this.url('0-1', contact.id) };
  }

  toContact(o: HubspotObject): CrmContact {
    const p = o.properties;
    const present = (v: string | null | undefined): v is string => !!v && v.trim() !== '';
    const updated = p.lastmodifieddate ?? p.hs_lastmodifieddate ?? o.updatedAt ?? o.createdAt ?? null;
    return {
      ...this.contact(String(o.id)),
      phones: [p.phone, p.mobilephone].filter(present),
      ownerId: p.hubspot_owner_id || null,
      name: [p.firstname, p.lastname].filter(present).join(' ') || null,
      updatedAt: new Date(updated ? Date.parse(updated) || 0 : 0).toISOString(),
    };
  }
}
