import { Hono } from 'hono';
import { z } from 'zod';
import { normalisePhone } from '@callsight/shared';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { callToApi, type CallRow } from '../db/repos/calls';
import { analysisToApi } from '../db/repos/analyses';
import { CrmKindSchema } from '../crm/connection';
import { ApiError } from '../errors';
import { SyncLedger } from '../sync/ledger';
import { syncStatesOf } from '../sync/state';
import { validate } from './validate';

const query = z
  .object({
    phone: z.string().trim().min(3).optional(),
    crm: CrmKindSchema.optional(),
    id: z.string().trim().min(1).optional(),
  })
  .refine((q) => q.phone !== undefined || (q.crm !== undefined && q.id !== undefined), {
    message: 'give phone, or crm and id',
    path: ['phone'],
  });

/**
 * What the CRM record cards and the extension show on a person: every call with that person, its
 * analysis and its sync state. A person is a phone number, or a CRM record (its calls are those
 * synced to it plus every call from the numbers it was matched on).
 */
export const contacts = new Hono<AppEnv>()
  .use('*', authenticate, requireRole('rep'))
  .get('/insights', validate('query', query), async (c) => {
    const q = c.req.valid('query');
    const { auth, services } = c.var;
    const tenantId = auth.tenant.id;
    const ledger = new SyncLedger(services.db);

    const phones = new Set<string>();
    const callIds = new Set<string>();
    if (q.phone) {
      const e164 = normalisePhone(q.phone, auth.tenant.defaultCountry).e164;
      if (!e164)
        throw new ApiError(400, 'invalid_request', `phone: ${q.phone} is not a valid phone number`, { field: 'phone' });
      phones.add(e164);
    }
    if (q.crm && q.id) {
      for (const id of await ledger.callsLinkedTo(tenantId, q.crm, q.id)) callIds.add(id);
      for (const p of await ledger.phonesOf(tenantId, q.crm, q.id)) phones.add(p);
    }

    const rows = new Map<string, CallRow>();
    for (const phone of phones) {
      for (const row of await services.calls.list(tenantId, { phone, limit: 200 })) rows.set(row.id, row);
    }
    for (const id of callIds) {
      if (rows.has(id)) continue;
      const row = await services.calls.get(tenantId, id);
      if (row) {
        rows.set(id, row);
        if (row.customerPhoneE164) phones.add(row.customerPhoneE164);
      }
    }
    const sorted = [...rows.values()].sort((a, b) => b.sortAt - a.sortAt);
    const ids = sorted.map((r) => r.id);
    const [analyses, sync] = await Promise.all([
      services.analyses.latestFor(tenantId, ids),
      syncStatesOf(services.db, tenantId, ids),
    ]);
    return c.json({
      phones: [...phones],
      calls: sorted.map((row) => {
        const analysis = analyses.get(row.id);
        return { ...callToApi(row), analysis: analysis ? analysisToApi(analysis) : null, sync: sync.get(row.id) ?? [] };
      }),
    });
  });
