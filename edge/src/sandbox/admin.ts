import { Hono } from 'hono';
import { z } from 'zod';
import { faultRuleSchema, type FaultInjector } from './faults';

// The sandbox's own admin endpoints (not the CRM's), like the HubSpot sandbox's: list, add and
// clear faults over HTTP for demos and end-to-end tests. Mounted under `/__faults`, outside
// authentication, limits and the faults themselves.

const faultInput = z.union([faultRuleSchema.strict(), z.array(faultRuleSchema.strict())]);

export function adminRoutes(faults: FaultInjector) {
  return new Hono()
    .get('/__faults', (c) =>
      c.json({
        faults: faults.list().map(({ rule, ...f }) => ({
          ...f,
          rule: { ...rule, respond: typeof rule.respond === 'function' ? 'preset' : rule.respond },
        })),
      }),
    )
    .post('/__faults', async (c) => {
      const parsed = faultInput.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: `invalid fault: ${parsed.error.issues[0]?.message ?? ''}` }, 400);
      const rules = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      return c.json({ ids: rules.map((rule) => faults.add(rule)) }, 201);
    })
    .delete('/__faults', (c) => {
      faults.clear();
      return c.body(null, 204);
    })
    .delete('/__faults/:id', (c) => c.body(null, faults.remove(c.req.param('id')) ? 204 : 404));
}
