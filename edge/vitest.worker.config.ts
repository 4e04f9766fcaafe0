import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// The Worker entry inside workerd (the Workers vitest pool), with a D1 database standing in for
// Turso. Run with `npm run test:worker -w @callsight/edge`.

const wranglerConfig = fileURLToPath(new URL('../wrangler.toml', import.meta.url));

// CallRail's signed sample body, read here on the Node side: workerd has no file system, so the
// exact bytes reach the tests as a binding.
const fixturePath = fileURLToPath(new URL('../../shared/fixtures/callrail/post-call-voicemail.json', import.meta.url));
if (!existsSync(fixturePath)) throw new Error(`the CallRail signed fixture is missing: ${fixturePath}`);
const callrailFixture = readFileSync(fixturePath).toString('base64');

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: wranglerConfig },
      // The [ai] binding is remote-only. With remote bindings on (the pool's default) the pool
      // fails to start offline: "You must be logged in to use wrangler dev in remote mode".
      remoteBindings: false,
      miniflare: {
        d1Databases: ['DB'],
        // The Worker's only outbound traffic in tests: the libSQL client of the Turso-path test,
        // answered here as a Turso outage would be (a refused connection makes workerd log noise).
        outboundService: () => new Response('turso is down in tests', { status: 503 }),
        bindings: {
          // A test-only key (bytes 0..31): it seals nothing outside these tests.
          CALLSIGHT_ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
          CALLSIGHT_LOG_LEVEL: 'error',
          // The AI binding here is a stub that throws (remote-only); the LLM path and its fallback to
          // the rules are tested on Node through a fake binding (edge/test/llm).
          CALLSIGHT_ANALYZER: 'rules',
          TEST_CALLRAIL_VOICEMAIL_B64: callrailFixture,
        },
      },
    }),
  ],
  test: {
    include: ['test/worker/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
