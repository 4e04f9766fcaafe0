import { createMiddleware } from 'hono/factory';
import { roleAllows, type Role } from '@callsight/shared';
import { ApiError } from '../errors';
import type { AppEnv } from '../context';

/** `Authorization: Bearer csk_…` → the key's tenant and role, or 401. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new ApiError(401, 'unauthenticated', 'send an API key as "Authorization: Bearer csk_…"');
  const services = c.get('services');
  const owner = await services.keys.authenticate(match[1]);
  if (!owner) throw new ApiError(401, 'invalid_api_key', 'the API key is unknown or revoked');
  c.set('auth', owner);
  await next();
});

/** Lets the request through when the key's role is at least `role` (admin > manager > rep). */
export const requireRole = (role: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { role: held } = c.get('auth');
    if (!roleAllows(held, role)) {
      throw new ApiError(403, 'forbidden', `this action needs the ${role} role; the key has ${held}`);
    }
    await next();
  });
