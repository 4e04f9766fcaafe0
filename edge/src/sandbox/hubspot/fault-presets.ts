// HubSpot's own failure shapes for the shared fault model: a 429 storm with the body HubSpot sends
// for each throttle policy, and an outage (503s or hung connections).
import { z } from 'zod';
import type { FaultRule } from '../faults';
import { rateLimitBody, type RateLimitPolicy } from './errors';

const POLICIES = ['TEN_SECONDLY_ROLLING', 'SECONDLY', 'DAILY'] as const;

export const rateLimitStormSchema = z.object({
  preset: z.literal('rate_limit_storm'),
  policyName: z.enum(POLICIES).default('TEN_SECONDLY_ROLLING'),
  times: z.number().int().positive().optional(),
  forMs: z.number().positive().optional(),
  from: z.number().optional(),
  path: z.string().optional(),
  method: z.string().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
});

export const outageSchema = z.object({
  preset: z.literal('outage'),
  mode: z.enum(['unavailable', 'timeout']).default('unavailable'),
  times: z.number().int().positive().optional(),
  forMs: z.number().positive().optional(),
  from: z.number().optional(),
  until: z.number().optional(),
  path: z.string().optional(),
});

export type RateLimitStormOptions = Omit<z.input<typeof rateLimitStormSchema>, 'preset'>;
export type OutageOptions = Omit<z.input<typeof outageSchema>, 'preset'>;

/**
 * Every matching request answers 429 with `policyName` (for `times` requests or `forMs`). HubSpot
 * is not known to send Retry-After on these, so none is sent unless asked for.
 */
export function rateLimitStorm(options: RateLimitStormOptions = {}): FaultRule {
  const o = rateLimitStormSchema.parse({ ...options, preset: 'rate_limit_storm' });
  const policy: RateLimitPolicy = o.policyName;
  return {
    ...(o.method ? { method: o.method } : {}),
    ...(o.path ? { path: o.path } : {}),
    ...(o.times ? { times: o.times } : {}),
    ...(o.forMs ? { forMs: o.forMs } : {}),
    ...(o.from !== undefined ? { from: o.from } : {}),
    respond: () => ({
      status: 429,
      body: rateLimitBody(policy),
      headers: {
        ...(o.retryAfterSeconds !== undefined ? { 'Retry-After': String(o.retryAfterSeconds) } : {}),
        ...(policy === 'SECONDLY'
          ? {}
          : policy === 'DAILY'
            ? { 'X-HubSpot-RateLimit-Daily-Remaining': '0' }
            : { 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }),
      },
    }),
  };
}

/** HubSpot unreachable: 503 with an error body, or (`mode: 'timeout'`) no answer at all. */
export function outage(options: OutageOptions = {}): FaultRule {
  const o = outageSchema.parse({ ...options, preset: 'outage' });
  const window: FaultRule = {
    ...(o.path ? { path: o.path } : {}),
    ...(o.times ? { times: o.times } : {}),
    ...(o.forMs ? { forMs: o.forMs } : {}),
    ...(o.from !== undefined ? { from: o.from } : {}),
    ...(o.until !== undefined ? { until: o.until } : {}),
  };
  if (o.mode === 'timeout') return { ...window, hang: true };
  return {
    ...window,
    respond: () => ({
      status: 503,
      body: {
        status: 'error',
        message: 'Service Unavailable',
        correlationId: crypto.randomUUID(),
        category: 'SERVICE_UNAVAILABLE',
      },
    }),
  };
}
