import { afterAll, beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { callrailHeaders, retellHeaders, ringostatHeaders } from '../src/demo/sign';
import { callrailFixture, secrets, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const headerName = fc.constantFrom(
  'signature',
  'x-callrail-signature',
  'x-retell-signature',
  'authorization',
  'content-type',
  'x-tenant-id',
  'content-encoding',
);
// Header values must be valid ByteStrings for fetch's Headers; anything printable goes.
const headerValue = fc.string({
  unit: fc.constantFrom(...'ab=,.+/:;_- v0123456789dDzZ\tBasic'.split('')),
  maxLength: 80,
});
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 4 });
const textBody = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record({ id: fc.jsonValue(), direction: fc.jsonValue(), duration: fc.jsonValue(), start_time: fc.jsonValue() })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      event: fc.jsonValue(),
      call: fc.oneof(
        fc.jsonValue(),
        fc.record({
          call_id: fc.jsonValue(),
          start_timestamp: fc.jsonValue(),
          duration_ms: fc.jsonValue(),
          direction: fc.jsonValue(),
        }),
      ),
    })
    .map((v) => JSON.stringify(v)),
);

describe('webhook intake never answers 5xx', () => {
  it('for arbitrary bodies and headers, unsigned', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('callrail', 'retell', 'ringostat', 'callrail-configured'),
        textBody,
        headers,
        fc.constantFrom('POST', 'GET', 'PUT'),
        async (source, body, hdrs, method) => {
          const path =
            source === 'callrail-configured' ? '/v1/callrail/webhook' : `/v1/webhooks/${source}/${t.a.tenant.slug}`;
          const res = await t.app.request(path, { method, headers: hdrs, body: method === 'GET' ? undefined : body });
          if (res.status >= 500) throw new Error(`${res.status} for ${method} ${path}: ${await res.text()}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('for arbitrary bodies correctly signed, so the parsers see them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('callrail', 'retell', 'ringostat'),
        textBody,
        fc.boolean(),
        async (source, body, form) => {
          const h =
            source === 'callrail'
              ? await callrailHeaders(callrailFixture.token, body)
              : source === 'retell'
                ? await retellHeaders(secrets.retell, body, t.clock.now())
                : ringostatHeaders(
                    'ringostat',
                    secrets.ringostat,
                    form ? 'application/x-www-form-urlencoded' : 'application/json',
                  );
          const res = await t.app.request(`/v1/webhooks/${source}/${t.a.tenant.slug}`, {
            method: 'POST',
            headers: h,
            body,
          });
          if (res.status >= 500) throw new Error(`${res.status} for ${source}: ${await res.text()} body=${body}`);
          if (![202, 400].includes(res.status))
            throw new Error(`unexpected ${res.status} for a signed ${source} delivery`);
        },
      ),
      { numRuns: 400 },
    );
  });
});
