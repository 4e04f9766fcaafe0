// The sandbox's own admin endpoints (not HubSpot's): faults for demos and tests, and a search
// index flush. Mounted under `/__…`, outside auth, rate limits and faults.
import { Hono } from 'hono';
import { z } from 'zod';
import { faultRuleSchema, type FaultInjector } from '../../faults';
import type { SandboxCore, SandboxEnv } from '../core';
import { HubspotApiError } from '../errors';
import { outage, outageSchema, rateLimitStorm, rateLimitStormSchema } from '../fault-presets';

const faultInput = z.union([rateLimitStormSchema, outageSchema, faultRuleSchema.strict()]);

export function adminRoutes(core: SandboxCore, faults: FaultInjector) {
  return new Hono<SandboxEnv>()
    .get('/__faults', (c) =>
      c.json({
        faults: faults.list().map((f) => ({
          id: f.id,
          remaining: f.remaining,
          from: f.from,
          until: f.until,
          hits: f.hits,
          rule: { ...f.rule, respond: typeof f.rule.respond === 'function' ? 'preset' : f.rule.respond },
        })),
      }),
    )
    .post('/__faults', async (c) => {
      const raw: unknown = await c.req.json().catch(() => null);
      const parsed = z.union([faultInput, z.array(faultInput)]).safeParse(raw);
      if (!parsed.success) {
        throw new HubspotApiError(400, 'VALIDATION_ERROR', `invalid fault: ${parsed.error.issues[0]?.message ?? ''}`);
      }
      const inputs = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      const ids = inputs.map((input) => {
        if ('preset' in input && input.preset === 'rate_limit_storm') return faults.add(rateLimitStorm(input));
        if ('preset' in input && input.preset === 'outage') return faults.add(outage(input));
        return faults.add(input);
      });
      return c.json({ ids }, 201);
    })
    .delete('/__faults', (c) => {
      faults.clear();
      return c.body(null, 204);
    })
    .delete('/__faults/:id', (c) => c.body(null, faults.remove(c.req.param('id')) ? 204 : 404))
    .post('/__search-index/flush', async (c) => {
      await core.store.flushSearchIndex(core.clock.now());
      return c.body(null, 204);
    });
}
