import type { MiddlewareHandler } from 'hono';
import { invalidSession, notFound, sfError } from './errors';
import type { SalesforceEnv, SandboxOrg } from './org';

// What stands in front of every /services/data/vNN.N call: a version the org serves, a live
// session, and the org's rolling 24-hour request allocation. Over the allocation Salesforce
// answers 403 REQUEST_LIMIT_EXCEEDED, never 429, and sends no Retry-After; every answer carries
// `Sforce-Limit-Info: api-usage=used/max`.

export const apiVersionGate =
  (org: SandboxOrg): MiddlewareHandler<SalesforceEnv> =>
  async (c, next) => {
    const version = c.req.param('version') ?? '';
    const m = /^v(\d+)\.0$/.exec(version);
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= org.minApiVersion && n <= org.maxApiVersion)) throw notFound();
    c.set('version', version);
    await next();
  };

export const requireSession =
  (org: SandboxOrg): MiddlewareHandler<SalesforceEnv> =>
  async (c, next) => {
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    const session = m?.[1] ? await org.store.findSession(m[1]) : null;
    if (!session) throw invalidSession();
    c.set('userId', session.userId);
    await next();
  };

export const dailyAllocation =
  (org: SandboxOrg): MiddlewareHandler<SalesforceEnv> =>
  async (c, next) => {
    const max = org.dailyRequestLimit;
    const used = await org.store.apiUsage();
    if (used >= max) {
      c.header('Sforce-Limit-Info', `api-usage=${used}/${max}`);
      throw sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    await org.store.countApiRequest();
    await next();
    c.header('Sforce-Limit-Info', `api-usage=${used + 1}/${max}`);
  };
