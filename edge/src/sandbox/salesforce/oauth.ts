import { createHmac, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { SalesforceEnv, SandboxOrg } from './org';

// POST /services/oauth2/token with the client-credentials grant, answered like an External
// Client App on a My Domain host. Salesforce returns no refresh token and no expiry for this flow:
// the client asks again when a call answers 401 INVALID_SESSION_ID.

const TOKEN_PATH = '/services/oauth2/token';

function credentials(form: URLSearchParams, authorization: string | undefined): { id: string; secret: string } {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

export function oauthRoutes(org: SandboxOrg) {
  const oauth = new Hono<SalesforceEnv>();

  oauth.post(TOKEN_PATH, async (c) => {
    const form = new URLSearchParams(await c.req.text());
    if (form.get('grant_type') !== 'client_credentials') {
      return c.json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' }, 400);
    }
    const { id, secret } = credentials(form, c.req.header('authorization'));
    const client = org.clients.find((cl) => cl.clientId === id);
    if (!client) return c.json({ error: 'invalid_client_id', error_description: 'client identifier invalid' }, 400);
    if (client.clientSecret !== secret) {
      return c.json({ error: 'invalid_client', error_description: 'invalid client credentials' }, 400);
    }

    const url = new URL(c.req.url);
    const instanceUrl = org.instanceUrl ?? `${url.origin}${url.pathname.slice(0, -TOKEN_PATH.length)}`;
    const issuedAt = org.clock.now();
    const token = `${org.ids.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    await org.store.createSession({
      token,
      clientId: client.clientId,
      userId: org.ids.runAsUserId,
      issuedAt,
      expiresAt: issuedAt + org.sessionTtlMs,
    });
    const identity = `${instanceUrl}/id/${org.ids.orgId}/${org.ids.runAsUserId}`;
    return c.json({
      access_token: token,
      signature: createHmac('sha256', client.clientSecret).update(`${identity}${issuedAt}`).digest('base64'),
      scope: 'api',
      instance_url: instanceUrl,
      id: identity,
      token_type: 'Bearer',
      issued_at: String(issuedAt),
    });
  });

  return oauth;
}
