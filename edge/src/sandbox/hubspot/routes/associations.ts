// Associations v4, read side (OpenAPI associations.json:
// GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}). Writes happen inline
// on create, the way Callsight's adapter makes them.
import { Hono } from 'hono';
import { objectScope, objectTypeParam, requireScope, type SandboxCore, type SandboxEnv } from '../core';
import { OBJECT_TYPES } from '../object-types';

export function associationRoutes(core: SandboxCore) {
  return new Hono<SandboxEnv>().get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', async (c) => {
    const from = objectTypeParam(c.req.param('objectType'));
    const to = objectTypeParam(c.req.param('toObjectType'));
    requireScope(c, objectScope(from, 'read'));
    const limit = Math.min(Number(c.req.query('limit') ?? 500) || 500, 500);
    const offset = Number(c.req.query('after') ?? 0) || 0;
    // An unknown record has no associations: the answer is an empty page, not a 404.
    const rows = await core.store.associations(from.name, c.req.param('objectId'), to.name);
    const grouped = new Map<string, { category: string; typeId: number }[]>();
    for (const r of rows) {
      const types = grouped.get(r.toId) ?? [];
      types.push({ category: r.category, typeId: r.typeId });
      grouped.set(r.toId, types);
    }
    const all = [...grouped.entries()].map(([toObjectId, types]) => ({
      toObjectId,
      associationTypes: types.map((t) => ({
        category: t.category,
        typeId: t.typeId,
        fromObjectTypeId: from.typeId,
        toObjectTypeId: OBJECT_TYPES[to.name].typeId,
      })),
    }));
    const results = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : null;
    return c.json({ results, ...(next ? { paging: { next: { after: next } } } : {}) });
  });
}
