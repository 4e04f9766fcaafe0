// Fault injection shared by the CRM sandboxes: the failures a real CRM produces on a bad day
// (throttling storms, outages, slow answers, hung connections), switched on by a test or through a
// sandbox's admin endpoint. The model knows nothing about any one CRM: each sandbox builds the
// bodies its CRM really sends (HubSpot's 429 with `policyName`, Salesforce's 403
// REQUEST_LIMIT_EXCEEDED…) and hands them over as plain responses.
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock';

/** What a faulted request gets instead of the real answer. */
export interface InjectedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a response builder sees: built per request, so bodies can carry fresh correlation ids. */
export interface FaultRequest {
  method: string;
  /** The path inside the sandbox, without its mount prefix or query. */
  path: string;
  now: number;
}

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Glob over the path inside the sandbox: `*` within one segment, `**` across segments. */
  path?: string;
  /** Only the next N matching requests are faulted (a storm of N); no limit when absent. */
  times?: number;
  /** Start of the active window, in ms on the sandbox clock (now when absent). */
  from?: number;
  /** End of the active window, in ms on the sandbox clock (open-ended when absent). */
  until?: number;
  /** Window length from `from` (or from now): an alternative to `until`. */
  forMs?: number;
  /** Wall-clock delay before the request is answered (really or by `respond`). */
  latencyMs?: number;
  /** The answer instead of the real one. */
  respond?: InjectedResponse | ((req: FaultRequest) => InjectedResponse);
  /** Never answer: the request hangs until the client gives up (a timeout), at most `hangMs`. */
  hang?: boolean;
  /** How long a hung request is held when the client never aborts (default 30 s). */
  hangMs?: number;
  /**
   * The CRM does the work, then the answer is lost (`respond` or `hang` replaces it): a gateway
   * error or a client timeout after the write committed, the case idempotent retries exist for.
   */
  afterCommit?: boolean;
}

export interface ActiveFault {
  id: string;
  rule: FaultRule;
  /** Requests it still faults; null = no limit. */
  remaining: number | null;
  from: number;
  until: number | null;
  hits: number;
}

/** The JSON shape the admin endpoints accept: a rule without a response builder. */
export const faultRuleSchema = z.object({
  method: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  times: z.number().int().positive().optional(),
  from: z.number().optional(),
  until: z.number().optional(),
  forMs: z.number().positive().optional(),
  latencyMs: z.number().nonnegative().max(120_000).optional(),
  respond: z
    .object({
      status: z.number().int().min(100).max(599),
      body: z.unknown().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  hang: z.boolean().optional(),
  hangMs: z.number().positive().max(600_000).optional(),
  afterCommit: z.boolean().optional(),
});

/** The decision for one request: every matching rule's latency adds up; the first outcome wins. */
export interface FaultDecision {
  latencyMs: number;
  outcome: { kind: 'respond'; response: InjectedResponse } | { kind: 'hang'; maxMs: number } | null;
  /** The real handler runs first and its answer is dropped. */
  afterCommit: boolean;
  faultIds: string[];
}

const DEFAULT_HANG_MS = 30_000;

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  add(rule: FaultRule): string {
    const now = this.clock.now();
    const from = rule.from ?? now;
    const until = rule.until ?? (rule.forMs !== undefined ? from + rule.forMs : null);
    const id = `fault-${++this.seq}`;
    this.rules.push({ id, rule, remaining: rule.times ?? null, from, until, hits: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    this.expire(this.clock.now());
    return this.rules.map((r) => ({ ...r }));
  }

  /** Decides what happens to one request, and counts it against every rule it matched. */
  decide(method: string, path: string): FaultDecision {
    const now = this.clock.now();
    this.expire(now);
    const decision: FaultDecision = { latencyMs: 0, outcome: null, afterCommit: false, faultIds: [] };
    for (const active of this.rules) {
      if (!this.matches(active, method, path, now)) continue;
      const { rule } = active;
      const shapesOutcome = rule.hang === true || rule.respond !== undefined;
      // A rule that would only change the outcome, when an earlier one already decided it, stays
      // untouched: a storm of N must fault N requests, not N matches.
      if (shapesOutcome && decision.outcome && !rule.latencyMs) continue;
      active.hits++;
      if (active.remaining !== null) active.remaining--;
      decision.faultIds.push(active.id);
      decision.latencyMs += rule.latencyMs ?? 0;
      if (decision.outcome) continue;
      decision.afterCommit = rule.afterCommit === true;
      if (rule.hang) decision.outcome = { kind: 'hang', maxMs: rule.hangMs ?? DEFAULT_HANG_MS };
      else if (rule.respond) {
        const response = typeof rule.respond === 'function' ? rule.respond({ method, path, now }) : rule.respond;
        decision.outcome = { kind: 'respond', response };
      }
    }
    this.expire(now);
    return decision;
  }

  /**
   * Hono middleware applying the faults. `innerPath` gives the path inside the sandbox (without
   * its mount prefix) so rules read like the CRM's own paths.
   */
  middleware(innerPath: (c: Context) => string): MiddlewareHandler {
    return async (c, next) => {
      const decision = this.decide(c.req.method, innerPath(c));
      const signal = c.req.raw.signal;
      if (decision.latencyMs > 0) await pause(decision.latencyMs, signal);
      const outcome = decision.outcome;
      if (!outcome) return next();
      if (decision.afterCommit) await next();
      if (outcome.kind === 'hang') {
        await pause(outcome.maxMs, signal);
        // Only reached when the client waited longer than the hang: answer like a gateway would.
        return c.json({ message: 'upstream timed out' }, 504);
      }
      const { status, body, headers } = outcome.response;
      const res = new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: {
          ...(body !== undefined && typeof body !== 'string'
            ? { 'content-type': 'application/json;charset=utf-8' }
            : {}),
          ...headers,
        },
      });
      c.res = res;
      return res;
    };
  }

  private matches(active: ActiveFault, method: string, path: string, now: number): boolean {
    const { rule } = active;
    if (now < active.from || (active.until !== null && now >= active.until)) return false;
    if (active.remaining !== null && active.remaining <= 0) return false;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    return !rule.path || globToRegExp(rule.path).test(path);
  }

  private expire(now: number): void {
    this.rules = this.rules.filter(
      (r) => (r.remaining === null || r.remaining > 0) && (r.until === null || now < r.until),
    );
  }
}

/** `*` matches inside one path segment, `**` across segments; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else out += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Waits, unless the client goes away first (its request's signal aborts). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
