// Stops sending to a CRM that keeps failing for a tenant: after `threshold` consecutive retryable
// failures the circuit opens for a cool-down and jobs reschedule without calling the CRM; then one
// job probes (half-open): success closes the circuit, failure opens it again.
import type { Clock } from '../clock';

export interface BreakerOptions {
  threshold: number;
  coolDownMs: number;
}

export const defaultBreakerOptions: BreakerOptions = { threshold: 5, coolDownMs: 2 * 60_000 };

interface Circuit {
  failures: number;
  openUntil: number | null;
  probing: boolean;
}

export type BreakerVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();
  private readonly options: BreakerOptions;

  constructor(
    private readonly clock: Clock,
    options: Partial<BreakerOptions> = {},
  ) {
    this.options = { ...defaultBreakerOptions, ...options };
  }

  private circuit(key: string): Circuit {
    let c = this.circuits.get(key);
    if (!c) {
      c = { failures: 0, openUntil: null, probing: false };
      this.circuits.set(key, c);
    }
    return c;
  }

  /** May a job call the CRM now? While half-open, only one probe at a time. */
  admit(key: string): BreakerVerdict {
    const c = this.circuit(key);
    if (c.openUntil === null) return { allowed: true };
    const now = this.clock.now();
    if (now < c.openUntil) return { allowed: false, retryAfterMs: c.openUntil - now };
    if (c.probing) return { allowed: false, retryAfterMs: this.options.coolDownMs / 4 };
    c.probing = true;
    return { allowed: true };
  }

  succeeded(key: string): void {
    this.circuits.set(key, { failures: 0, openUntil: null, probing: false });
  }

  failed(key: string): void {
    const c = this.circuit(key);
    c.failures += 1;
    if (c.probing || c.failures >= this.options.threshold) {
      c.openUntil = this.clock.now() + this.options.coolDownMs;
    }
    c.probing = false;
  }

  /** Not the CRM's fault (validation, a missing call): the probe slot is freed, nothing counted. */
  released(key: string): void {
    this.circuit(key).probing = false;
  }

  state(key: string): 'closed' | 'open' | 'half_open' {
    const c = this.circuits.get(key);
    if (!c || c.openUntil === null) return 'closed';
    return this.clock.now() < c.openUntil ? 'open' : 'half_open';
  }
}
