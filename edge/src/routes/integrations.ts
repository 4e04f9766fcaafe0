import { Hono } from 'hono';
import { z } from 'zod';
import { CallSourceSchema } from '@callsight/shared';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { auditInsert } from '../db/repos/audit';
import { checkIntegrationOptions } from '../sources/options';
import { ApiError } from '../errors';
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
  .put('/:kind', validate('param', z.object({ kind: CallSourceSchema })), validate('json', body), async (c) => {
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
  });
