import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { auditInsert } from '../db/repos/audit';
import { checkIntegrationOptions, integrationKinds } from '../sources/options';
import { ApiError, notFound } from '../errors';
import { connectionCheck, hubspotSetup } from '../sync/connection-check';
import { CrmKindSchema } from '../crm/connection';
import { validate } from './validate';

const body = z.object({
  secret: z.string().min(8, 'must be at least 8 characters').max(4096),
  options: z.record(z.string(), z.unknown()).default({}),
});

export const integrations = new Hono<AppEnv>()
  .use('*', authenticate, requireRole('admin'))
  .get('/', async (c) => {
    const { auth, services } = c.var;
    return c.json({ data: await services.integrations.list(auth.tenant.id) });
  })
  .put('/:kind', validate('param', z.object({ kind: z.enum(integrationKinds) })), validate('json', body), async (c) => {
    const { kind } = c.req.valid('param');
    const { secret, options } = c.req.valid('json');
    const checked = checkIntegrationOptions(kind, options);
    if (!checked.ok) throw new ApiError(400, 'invalid_request', checked.message, { field: checked.field });
    const { auth, services } = c.var;
    const now = services.clock.now();
    await services.integrations.set(auth.tenant.id, kind, secret, checked.options, now);
    await auditInsert(
      services.db,
      auth.tenant.id,
      { actor: `key:${auth.keyId}`, action: 'integration.set', target: kind, details: { options: checked.options } },
      now,
    );
    // The secret is write-only: it never comes back.
    return c.json({ kind, options: checked.options, updatedAt: new Date(now).toISOString() });
  })
  /**
   * Disconnects a source or CRM: its webhooks are refused from now on and no new sync starts.
   * Calls, analyses and what earlier syncs wrote stay.
   */
  .delete('/:kind', validate('param', z.object({ kind: z.enum(integrationKinds) })), async (c) => {
    const { kind } = c.req.valid('param');
    const { auth, services } = c.var;
    if (!(await services.integrations.remove(auth.tenant.id, kind))) throw notFound('integration');
    const now = services.clock.now();
    const audit = { actor: `key:${auth.keyId}`, action: 'integration.remove', target: kind };
    await auditInsert(services.db, auth.tenant.id, audit, now);
    return c.body(null, 204);
  })
  /** Tries the stored credentials against the CRM: the admin sees the account they reach. */
  .post('/:crm/test-connection', validate('param', z.object({ crm: CrmKindSchema })), async (c) => {
    const { crm } = c.req.valid('param');
    return c.json(await connectionCheck(c.var.services, c.var.auth.tenant.id, crm));
  })
  /** Creates the Callsight properties in the portal (idempotent: existing ones are left alone). */
  .post('/hubspot/setup', async (c) => {
    const { auth, services } = c.var;
    const report = await hubspotSetup(services, auth.tenant.id);
    await auditInsert(
      services.db,
      auth.tenant.id,
      { actor: `key:${auth.keyId}`, action: 'integration.hubspot_setup', target: 'hubspot' },
      services.clock.now(),
    );
    return c.json(report);
  });
