import type { Env as WorkerEnv } from '../../src/worker';

// What `env` from `cloudflare:workers` holds in the pool: the Worker's bindings plus test inputs.
declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** CallRail's signed sample body (shared/fixtures/callrail), base64 of the exact bytes. */
      TEST_CALLRAIL_VOICEMAIL_B64: string;
    }
  }
}

declare module 'cloudflare:workers' {
  export const env: Cloudflare.Env;
}
