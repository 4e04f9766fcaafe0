import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { calls, jobs, webhookDeliveries, webhookRejections } from '../src/db/schema';
import { callrailHeaders } from '../src/demo/sign';
import { callrailCall } from '../src/demo/samples';
import { callrailFixture, json, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const post = (path: string, body: string, headers: Record<string, string>) =>
  t.app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const url = () => `/v1/webhooks/callrail/${t.a.tenant.slug}`;

describe('CallRail webhooks', () => {
  it("accepts CallRail's own signed sample as is and stores a normalised call", async () => {
    const res = await post(url(), callrailFixture.body, { Signature: callrailFixture.signature });
    expect(res.status).toBe(202);
    const { callId, duplicate } = await json<{ callId: string; duplicate: boolean }>(res);
    expect(duplicate).toBe(false);

    const call = await json(await t.get(`/v1/calls/${callId}`, t.a.rep));
    expect(call).toMatchObject({
      source: 'callrail',
      sourceCallId: '766970532',
      direction: 'inbound',
      outcome: 'voicemail',
      status: 'pending',
      customerName: 'Kaylah Mills',
      customerPhone: { e164: '+12148654559', valid: true },
      trackingNumber: { e164: '+14045558514' },
      durationSeconds: 13,
      startedAt: '2018-02-19T18:41:00.236Z',
      attribution: { utmSource: 'google', utmMedium: 'cpc', sourceName: 'Google AdWords' },
    });
    expect(call.events).toHaveLength(1);
  });

  it('rejects the sample after any one-byte change to the body', async () => {
    const body = callrailFixture.body;
    // A spread of positions: the first byte, a value inside the JSON, the last byte.
    for (const i of [0, 20, body.indexOf('Kaylah'), body.length - 1]) {
      const changed = body.slice(0, i) + (body[i] === 'a' ? 'b' : 'a') + body.slice(i + 1);
      const res = await post(url(), changed, { Signature: callrailFixture.signature });
      expect(res.status, `byte ${i}`).toBe(401);
    }
    const [stored] = await t.db.select({ n: count() }).from(calls);
    expect(stored?.n).toBe(0);
  });

  it('rejects the sample after any one-byte change to the signature, padding bits included', async () => {
    const sig = callrailFixture.signature;
    for (let i = 0; i < sig.length; i++) {
      const changed = sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
      const res = await post(url(), callrailFixture.body, { Signature: changed });
      expect(res.status, `signature byte ${i}`).toBe(401);
    }
    // "…V64=" and "…V65=" decode to the same 20 bytes: only the canonical text may pass.
    const res = await post(url(), callrailFixture.body, { Signature: sig.replace('V64=', 'V65=') });
    expect(res.status).toBe(401);
  });

  it('accepts the x-callrail-signature header name too', async () => {
    const res = await post(url(), callrailFixture.body, { 'x-callrail-signature': callrailFixture.signature });
    expect(res.status).toBe(202);
  });

  it('answers at the configured address with x-tenant-id (slug or id)', async () => {
    for (const tenantRef of [t.a.tenant.slug, t.a.tenant.id]) {
      const res = await post('/v1/callrail/webhook', callrailFixture.body, {
        Signature: callrailFixture.signature,
        'x-tenant-id': tenantRef,
      });
      expect(res.status).toBe(202);
    }
    const missing = await post('/v1/callrail/webhook', callrailFixture.body, { Signature: callrailFixture.signature });
    expect(missing.status).toBe(400);
    expect((await json<{ error: { details: { field: string } } }>(missing)).error.details.field).toBe('x-tenant-id');
  });

  it('401s a missing signature and counts rejections per tenant and source', async () => {
    const res = await post(url(), callrailFixture.body, {});
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: { code: 'missing_signature' } });
    await post(url(), callrailFixture.body, { Signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    await post(url(), callrailFixture.body, { Signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    const rows = await t.db.select().from(webhookRejections).where(eq(webhookRejections.tenantId, t.a.tenant.id));
    expect(Object.fromEntries(rows.map((r) => [r.reason, r.count]))).toEqual({
      missing_signature: 1,
      bad_signature: 2,
    });
    // Admins see the counts beside the integration, never the secret.
    const list = await json<{ data: { kind: string; rejections: { reason: string; count: number }[] }[] }>(
      await t.get('/v1/integrations', t.a.admin),
    );
    expect(list.data.find((i) => i.kind === 'callrail')?.rejections).toContainEqual(
      expect.objectContaining({ reason: 'bad_signature', count: 2 }),
    );
    expect(JSON.stringify(list)).not.toContain(callrailFixture.token);
  });

  it("does not accept tenant A's signed delivery at tenant B's address", async () => {
    const res = await post(`/v1/webhooks/callrail/${t.b.tenant.slug}`, callrailFixture.body, {
      Signature: (await callrailHeaders('a-different-token', callrailFixture.body)).signature!,
    });
    expect(res.status).toBe(401);
    const unknown = await post('/v1/webhooks/callrail/no-such-tenant', callrailFixture.body, {
      Signature: callrailFixture.signature,
    });
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ error: { code: 'tenant_not_found' } });
  });

  it('a repeated delivery changes nothing', async () => {
    const first = await json<{ callId: string }>(
      await post(url(), callrailFixture.body, { Signature: callrailFixture.signature }),
    );
    const before = await t.db.select().from(calls).where(eq(calls.id, first.callId)).get();
    t.clock.advance(60_000);
    const again = await post(url(), callrailFixture.body, { Signature: callrailFixture.signature });
    expect(again.status).toBe(202);
    expect(await json(again)).toMatchObject({ callId: first.callId, duplicate: true });
    const after = await t.db.select().from(calls).where(eq(calls.id, first.callId)).get();
    expect(after).toEqual(before);
    expect((await t.db.select({ n: count() }).from(jobs).get())?.n).toBe(1);
    const [delivery] = await t.db.select().from(webhookDeliveries);
    expect(delivery?.duplicateCount).toBe(1);
  });

  it('a Call Modified with a new transcript updates the stored call and processes it again', async () => {
    const body = JSON.stringify(callrailCall({ id: 'CAL42', answered: false }));
    const first = await post(url(), body, await callrailHeaders(callrailFixture.token, body));
    const { callId } = await json<{ callId: string }>(first);
    await t.runner.drain();

    const modified = JSON.stringify(
      callrailCall({
        id: 'CAL42',
        answered: false,
        transcription: 'Please call me back about the roof.',
        changes: ['transcription_text'],
      }),
    );
    const res = await post(url(), modified, await callrailHeaders(callrailFixture.token, modified));
    expect(res.status).toBe(202);
    const call = await json<{ transcript: string; status: string; events: { eventType: string }[] }>(
      await t.get(`/v1/calls/${callId}`, t.a.rep),
    );
    expect(call.transcript).toBe('Please call me back about the roof.');
    expect(call.status).toBe('pending');
    expect(call.events.map((e) => e.eventType)).toEqual(['post_call', 'call_modified']);
    // process_call, which analyses the new transcript in the same job.
    expect(await t.runner.drain()).toBe(1);
    const analysed = await json<{ status: string; analysis: { version: number; actionItems: string[] } }>(
      await t.get(`/v1/calls/${callId}`, t.a.rep),
    );
    expect(analysed.status).toBe('analyzed');
    expect(analysed.analysis.version).toBe(2);
  });

  it('takes outbound post-call events with the customer as the other party', async () => {
    const body = JSON.stringify(callrailCall({ id: 'CAL77', direction: 'outbound', phone: '(303) 623-1131' }));
    const res = await post(url(), body, await callrailHeaders(callrailFixture.token, body));
    const call = await json(await t.get(`/v1/calls/${(await json<{ callId: string }>(res)).callId}`, t.a.rep));
    expect(call).toMatchObject({
      direction: 'outbound',
      customerPhone: { e164: '+13036231131', raw: '(303) 623-1131' },
    });
    expect(call.events).toMatchObject([{ eventType: 'outbound_post_call' }]);
  });

  it('keeps an unparseable number, flagged, instead of dropping the call', async () => {
    const body = JSON.stringify(callrailCall({ id: 'CAL78', phone: 'Anonymous' }));
    const res = await post(url(), body, await callrailHeaders(callrailFixture.token, body));
    expect(res.status).toBe(202);
    const call = await json(await t.get(`/v1/calls/${(await json<{ callId: string }>(res)).callId}`, t.a.rep));
    expect(call.customerPhone).toEqual({ e164: null, raw: 'Anonymous', valid: false, country: null });
  });

  it('400s malformed input, naming the field, and keeps the signed delivery for replay', async () => {
    const cases: [string, string][] = [
      ['{"answered":true', 'body'],
      ['[1,2,3]', 'body'],
      [JSON.stringify({ answered: true, direction: 'inbound' }), 'id'],
      [JSON.stringify({ id: 'CAL1', direction: 'sideways' }), 'direction'],
    ];
    for (const [body, field] of cases) {
      const res = await post(url(), body, await callrailHeaders(callrailFixture.token, body));
      expect(res.status, body).toBe(400);
      const err = await json<{ error: { code: string; message: string; details: { field: string } } }>(res);
      expect(err.error.code).toBe('invalid_payload');
      expect(err.error.details.field).toBe(field);
      expect(err.error.message).toContain(field);
    }
    const kept = await t.db.select().from(webhookDeliveries);
    expect(kept.map((d) => d.verdict)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect((await t.db.select({ n: count() }).from(calls).get())?.n).toBe(0);
  });

  it('413s a body over 1 MB, with or without a content-length', async () => {
    const big = JSON.stringify({ id: 'CAL1', note: 'x'.repeat(1024 * 1024) });
    const res = await post(url(), big, await callrailHeaders(callrailFixture.token, big));
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ error: { code: 'payload_too_large' } });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await t.app.request(url(), {
      method: 'POST',
      body: stream,
      headers: { Signature: 'x' },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('only accepts POST', async () => {
    const res = await t.app.request(url(), { method: 'GET' });
    expect(res.status).toBe(404);
  });
});
