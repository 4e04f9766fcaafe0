import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmContact, CrmPort } from '../../src/crm/port';
import { matchContact } from '../../src/sync/contact-match';
import { SyncLedger } from '../../src/sync/ledger';
import { testApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const person = (id: string, phones: string[], updatedAt: string): CrmContact => ({
  crm: 'pipedrive',
  type: 'person',
  id,
  url: null,
  phones,
  ownerId: null,
  name: id,
  updatedAt,
});

/** Just the two reads matching makes, over a fixed set of CRM records. */
function crmWith(records: CrmContact[]) {
  const searched: string[] = [];
  const adapter = {
    crm: 'pipedrive',
    getContact: async (id: string) => records.find((r) => r.id === id) ?? null,
    findContactsByPhone: async (e164: string) => {
      searched.push(e164);
      return records;
    },
  } as unknown as CrmPort;
  return { adapter, searched };
}

describe('matchContact', () => {
  const q = (callId: string) => ({ callId, e164: '+380441234567', defaultCountry: 'UA' });

  it('compares every candidate in E.164 and takes the most recently updated', async () => {
    const { adapter } = crmWith([
      person('1', ['044 123 4567'], '2026-01-01T00:00:00Z'),
      person('2', ['+38 (044) 123-45-67'], '2026-06-01T00:00:00Z'),
      person('3', ['044 123 4568'], '2026-12-01T00:00:00Z'),
    ]);
    const ledger = new SyncLedger(t.db);
    const match = await matchContact(adapter, ledger, { tenantId: t.a.tenant.id, ...q('c1') });
    expect(match).toMatchObject({ contact: { id: '2' }, matches: 2, via: 'search' });
  });

  it('trusts the ledger first, then the cache, and forgets a cached contact that lost the number', async () => {
    const { adapter, searched } = crmWith([
      person('9', ['+380441234567'], '2026-01-01T00:00:00Z'),
      person('8', ['+380440000000'], '2026-01-01T00:00:00Z'),
    ]);
    const ledger = new SyncLedger(t.db);
    const tenantId = t.a.tenant.id;
    await ledger.link(tenantId, 'c1', 'pipedrive', { step: 'contact', objectType: 'person', crmId: '7', url: null }, 1);
    expect(await matchContact(adapter, ledger, { tenantId, ...q('c1') })).toMatchObject({
      contact: { id: '7' },
      via: 'ledger',
    });

    await ledger.cacheContact(tenantId, 'pipedrive', '+380441234567', { id: '9', type: 'person', ownerId: null }, 1);
    expect(await matchContact(adapter, ledger, { tenantId, ...q('c2') })).toMatchObject({
      contact: { id: '9' },
      via: 'cache',
    });
    expect(searched).toEqual([]);

    await ledger.cacheContact(tenantId, 'pipedrive', '+380441234567', { id: '8', type: 'person', ownerId: null }, 2);
    expect(await matchContact(adapter, ledger, { tenantId, ...q('c3') })).toMatchObject({
      contact: { id: '9' },
      via: 'search',
    });
    expect(searched).toEqual(['+380441234567']);
    // Another tenant's cache is its own.
    expect(await ledger.cachedContact(t.b.tenant.id, 'pipedrive', '+380441234567')).toBeUndefined();
  });
});
