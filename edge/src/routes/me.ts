import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { authenticate } from '../auth/middleware';

export const me = new Hono<AppEnv>().use('*', authenticate).get('/', (c) => {
  const { tenant, role, keyId } = c.var.auth;
  return c.json({ tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, role, keyId });
});
