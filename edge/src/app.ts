import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { buildServices, type AppDeps, type AppEnv } from './context';
import { ApiError } from './errors';
import { calls } from './routes/calls';
import { health } from './routes/health';
import { integrations } from './routes/integrations';
import { me } from './routes/me';
import { settings } from './routes/settings';
import { sync, syncs } from './routes/sync';
import { leads } from './routes/leads';
import { contacts } from './routes/contacts';
import { webhooks } from './routes/webhooks';

export type { AppDeps } from './context';

/** Builds the HTTP app from injected dependencies: the same app serves Workers, Node and tests. */
export function createApp(deps: AppDeps) {
  const services = buildServices(deps);
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });

  app.route('/', health);
  app.route('/v1', webhooks);
  app.route('/v1/me', me);
  // Before `calls`: its rep-level middleware would otherwise answer first for these manager routes.
  app.route('/v1/calls', sync);
  app.route('/v1/calls', calls);
  app.route('/v1/syncs', syncs);
  app.route('/v1/leads', leads);
  app.route('/v1/contacts', contacts);
  app.route('/v1/integrations', integrations);
  app.route('/v1/settings', settings);

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toBody(), err.status);
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: 'bad_request', message: err.message || 'bad request' } }, err.status);
    }
    // Only the error's name and message: never the request body.
    deps.log.error('unhandled error', { path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return c.json({ error: { code: 'internal_error', message: 'something went wrong on our side' } }, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
