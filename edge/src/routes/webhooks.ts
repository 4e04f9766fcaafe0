import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CallSource } from '@callsight/shared';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { CREDENTIALS_MAX_AGE_MS, ingestWebhook } from '../ingest/ingest-webhook';
import type { Tenant } from '../db/repos/tenants';
import { waitUntilOf } from './wait-until';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const limit = bodyLimit({
  maxSize: DEFAULT_BODY_LIMIT,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `webhook bodies are limited to ${DEFAULT_BODY_LIMIT} bytes`);
  },
});

async function receive(c: Context<AppEnv>, source: CallSource, tenant: Tenant | undefined) {
  if (!tenant) throw new ApiError(404, 'tenant_not_found', 'no tenant has this webhook address');
  const services = c.get('services');
  const body = new Uint8Array(await c.req.arrayBuffer());
  const url = new URL(c.req.url);
  const result = await ingestWebhook(
    services,
    tenant,
    source,
    {
      method: c.req.method,
      body,
      text: new TextDecoder().decode(body),
      headers: c.req.raw.headers,
      query: url.searchParams,
    },
    services.clock.now(),
  );
  services.onEnqueued?.(waitUntilOf(c));
  return c.json({ accepted: true, ...result }, 202);
}

const bySlug = (c: Context<AppEnv>) => {
  const { tenants, clock } = c.get('services');
  return tenants.bySlugCached(c.req.param('tenant') ?? '', CREDENTIALS_MAX_AGE_MS, clock.now());
};

export const webhooks = new Hono<AppEnv>()
  .use('/webhooks/*', limit)
  .use('/callrail/*', limit)
  .post('/webhooks/callrail/:tenant', async (c) => receive(c, 'callrail', await bySlug(c)))
  // The address CallRail users configure, with the tenant in a header.
  .post('/callrail/webhook', async (c) => {
    const id = c.req.header('x-tenant-id');
    if (!id) throw new ApiError(400, 'missing_tenant', 'the x-tenant-id header is required', { field: 'x-tenant-id' });
    return receive(c, 'callrail', await c.get('services').tenants.byIdOrSlug(id));
  })
  .post('/webhooks/retell/:tenant', async (c) => receive(c, 'retell', await bySlug(c)))
  .on(['GET', 'POST'], '/webhooks/ringostat/:tenant', async (c) => receive(c, 'ringostat', await bySlug(c)));
