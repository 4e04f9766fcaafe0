import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { authenticate, requireRole } from '../auth/middleware';
import { auditInsert } from '../db/repos/audit';
import { ScoringSettingsRepo, ScoringSettingsSchema } from '../pipeline/scoring-settings';
import { validate } from './validate';

/** Tenant settings people change: today the lead score's weights, phrase rules and taxonomy. */
export const settings = new Hono<AppEnv>()
  .use('*', authenticate)
  .get('/scoring', requireRole('manager'), async (c) => {
    const { auth, services } = c.var;
    return c.json(await new ScoringSettingsRepo(services.db).get(auth.tenant.id));
  })
  .put('/scoring', requireRole('admin'), validate('json', ScoringSettingsSchema), async (c) => {
    const { auth, services } = c.var;
    const body = c.req.valid('json');
    const repo = new ScoringSettingsRepo(services.db);
    const now = services.clock.now();
    await services.db.batch([
      repo.statement(auth.tenant.id, body, now),
      auditInsert(
        services.db,
        auth.tenant.id,
        { actor: `key:${auth.keyId}`, action: 'settings.scoring', details: body as Record<string, unknown> },
        now,
      ),
    ]);
    // New calls use these at once; existing calls keep their analysis until re-analysed.
    return c.json(await repo.get(auth.tenant.id));
  });
