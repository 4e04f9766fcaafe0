import type { Context } from 'hono';
import type { AppEnv } from '../context';

/** The platform's waitUntil (Workers, and our Node shim), or null under app.request() in tests. */
export function waitUntilOf(c: Context<AppEnv>): ((work: Promise<unknown>) => void) | null {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return null;
  }
}
