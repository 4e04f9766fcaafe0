import type { Context, MiddlewareHandler } from 'hono';
import type { PipedriveEnv, SandboxCompany } from './company';
import { PipedriveApiError } from './envelope';

// What stands in front of every /api call: the `x-api-token` header (or the older `api_token`
// query parameter), the per-token burst limit over a rolling 2-second window (search endpoints
// have their own, lower one), and the company's daily token budget, where each request costs
// tokens by kind: v1 GET of one entity 2, list 20, write 10, search 40; v2 half that. Every answer
// carries x-ratelimit-limit / -remaining / -reset; over a limit Pipedrive answers 429.

const WINDOW_MS = 2000;

type Cost = 'single' | 'list' | 'write' | 'search';
const V1_COST: Record<Cost, number> = { single: 2, list: 20, write: 10, search: 40 };

function costOf(method: string, path: string): number {
  const v2 = path.startsWith('/api/v2/');
  const last = path.split('/').pop() ?? '';
  const kind: Cost =
    last === 'search' || last === 'find'
      ? 'search'
      : method !== 'GET'
        ? 'write'
        : /^\d+$/.test(last) || last === 'me' || /^[0-9a-f-]{36}$/i.test(last)
          ? 'single'
          : 'list';
  return v2 ? V1_COST[kind] / 2 : V1_COST[kind];
}

/** Request times per key over the last two seconds of the sandbox clock. */
class RollingWindow {
  private hits = new Map<string, number[]>();

  state(key: string, limit: number, now: number) {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    this.hits.set(key, recent);
    const oldest = recent[0];
    return {
      limit,
      remaining: Math.max(0, limit - recent.length),
      // Seconds until the oldest request leaves the window and frees a slot.
      resetSeconds: oldest === undefined ? WINDOW_MS / 1000 : Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)),
    };
  }

  record(key: string, now: number): void {
    const hits = this.hits.get(key);
    if (hits) hits.push(now);
    else this.hits.set(key, [now]);
  }
}

const rateHeaders = (s: { limit: number; remaining: number; resetSeconds: number }) => ({
  'x-ratelimit-limit': String(s.limit),
  'x-ratelimit-remaining': String(s.remaining),
  'x-ratelimit-reset': String(s.resetSeconds),
});

export function apiGate(company: SandboxCompany, innerPath: (c: Context) => string): MiddlewareHandler<PipedriveEnv> {
  const windows = new RollingWindow();
  return async (c, next) => {
    const token = c.req.header('x-api-token') ?? c.req.query('api_token');
    if (!token || token !== company.apiToken) throw new PipedriveApiError(401, 'unauthorized access');
    c.set('userId', company.ids.tokenUserId);

    const path = innerPath(c);
    const now = company.clock.now();
    const search = path.endsWith('/search');
    const general = windows.state(`all:${token}`, company.burstLimit, now);
    const searches = search ? windows.state(`search:${token}`, company.searchBurstLimit, now) : null;
    const binding = searches && searches.remaining === 0 ? searches : general;
    if (binding.remaining === 0) throw new PipedriveApiError(429, 'Rate limit exceeded', rateHeaders(binding));

    const spent = await company.store.spendTokens(costOf(c.req.method, path), company.dailyTokenBudget);
    if (!spent.ok) {
      throw new PipedriveApiError(
        429,
        'Daily API token budget exceeded. It resets at 00:00 UTC.',
        rateHeaders(general),
      );
    }
    windows.record(`all:${token}`, now);
    if (search) windows.record(`search:${token}`, now);
    await next();
    const after = rateHeaders(windows.state(`all:${token}`, company.burstLimit, now));
    for (const [name, value] of Object.entries(after)) c.header(name, value);
  };
}
