// Owners v3 (OpenAPI owners.json): the people records can be assigned to. `hubspot_owner_id`
// takes an owner's `id`, not its `userId` (reference crm-apis.md §1.9).
import { Hono, type Context } from 'hono';
import { iso, requireScope, type SandboxCore, type SandboxEnv } from '../core';
import { HubspotApiError } from '../errors';
import type { StoredOwner } from '../store';

const OWNERS_SCOPE = 'crm.objects.owners.read';

export function publicOwner(o: StoredOwner) {
  return {
    id: o.id,
    email: o.email,
    type: 'PERSON',
    ...(o.firstName ? { firstName: o.firstName } : {}),
    ...(o.lastName ? { lastName: o.lastName } : {}),
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    archived: o.archived,
    teams: [],
  };
}

export function ownerRoutes(core: SandboxCore) {
  const list = async (c: Context<SandboxEnv>) => {
    requireScope(c, OWNERS_SCOPE);
    const email = c.req.query('email');
    const limit = Math.min(Number(c.req.query('limit') ?? 100) || 100, 500);
    const offset = Number(c.req.query('after') ?? 0) || 0;
    const all = await core.store.owners({
      archived: c.req.query('archived') === 'true',
      ...(email ? { email } : {}),
    });
    const next = offset + limit < all.length ? String(offset + limit) : null;
    return c.json({
      results: all.slice(offset, offset + limit).map(publicOwner),
      ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
    });
  };
  return new Hono<SandboxEnv>()
    .get('/crm/v3/owners', list)
    .get('/crm/v3/owners/', list)
    .get('/crm/v3/owners/:ownerId', async (c) => {
      requireScope(c, OWNERS_SCOPE);
      const owner = await core.store.owner(c.req.param('ownerId'));
      if (!owner) throw new HubspotApiError(404, 'OBJECT_NOT_FOUND', 'resource not found');
      return c.json(publicOwner(owner));
    });
}
