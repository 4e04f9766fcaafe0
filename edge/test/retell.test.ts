import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { calls } from '../src/db/schema';
import { retellHeaders } from '../src/demo/sign';
import { retellCall } from '../src/demo/samples';
import { json, secrets, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const url = () => `/v1/webhooks/retell/${t.a.tenant.slug}`;
async function send(body: string, signedAt = t.clock.now(), key = secrets.retell) {
  return t.app.request(url(), { method: 'POST', body, headers: await retellHeaders(key, body, signedAt) });
}
const event = (name: string, callId = 'call_abc123') =>
  JSON.stringify(retellCall(name, { callId, startMs: Date.UTC(2026, 10, 22, 11, 58) }));

describe('Retell AI webhooks', () => {
  it('accepts call_started, call_ended and call_analyzed into one call that keeps Retell’s analysis', async () => {
    for (const name of ['call_started', 'call_ended', 'call_analyzed'])
      expect((await send(event(name))).status).toBe(202);
    const list = await json<{ data: Record<string, unknown>[] }>(await t.get('/v1/calls', t.a.rep));
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      source: 'retell',
      sourceCallId: 'call_abc123',
      outcome: 'answered',
      durationSeconds: 95,
      customerPhone: { e164: '+12137771234' },
      customerName: 'John Doe',
      startedAt: '2026-11-22T11:58:00.000Z',
      sourceAnalysis: { call_analysis: { user_sentiment: 'Positive', call_successful: true } },
    });
  });

  it('a late call_ended does not undo call_analyzed', async () => {
    await send(event('call_analyzed'));
    await send(event('call_ended'));
    await send(event('call_started'));
    const [call] = (await json<{ data: Record<string, unknown>[] }>(await t.get('/v1/calls', t.a.rep))).data;
    expect(call).toMatchObject({ outcome: 'answered', sourceAnalysis: { call_analysis: { call_successful: true } } });
  });

  it('rejects a signature outside the 5-minute window, either way', async () => {
    const body = event('call_ended');
    expect((await send(body, t.clock.now() - 5 * 60_000 - 1)).status).toBe(401);
    expect((await send(body, t.clock.now() + 5 * 60_000 + 1)).status).toBe(401);
    expect(await json(await send(body, t.clock.now() - 6 * 60_000))).toMatchObject({
      error: { code: 'stale_signature' },
    });
    expect((await send(body, t.clock.now() - 4 * 60_000)).status).toBe(202);
  });

  it('rejects a wrong key, a malformed header and a changed body', async () => {
    const body = event('call_ended');
    expect((await send(body, t.clock.now(), 'key_someone_else')).status).toBe(401);
    const headers = await retellHeaders(secrets.retell, body, t.clock.now());
    const tampered = await t.app.request(url(), {
      method: 'POST',
      body: body.replace('user_hangup', 'agent_hangup'),
      headers,
    });
    expect(tampered.status).toBe(401);
    for (const header of ['d=abc', 'v=1,d=zz', `v=${t.clock.now()}`, 'garbage']) {
      const res = await t.app.request(url(), { method: 'POST', body, headers: { 'x-retell-signature': header } });
      expect(res.status, header).toBe(401);
    }
    expect((await t.db.select({ n: count() }).from(calls).get())?.n).toBe(0);
  });

  it('a retried delivery (same body, new signature time) is a duplicate', async () => {
    const body = event('call_ended');
    expect(await json(await send(body))).toMatchObject({ duplicate: false });
    t.clock.advance(10_000);
    expect(await json(await send(body))).toMatchObject({ duplicate: true });
  });

  it('names the missing field', async () => {
    const cases: [string, string][] = [
      [JSON.stringify({ call: { call_id: 'x' } }), 'event'],
      [JSON.stringify({ event: 'call_ended' }), 'call'],
      [JSON.stringify({ event: 'call_ended', call: { direction: 'inbound' } }), 'call_id'],
    ];
    for (const [body, field] of cases) {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: 'invalid_payload', details: { field } } });
    }
  });

  it('keeps a call whose timestamps are out of range, without a start time', async () => {
    const odd = retellCall('call_ended', { callId: 'c_odd', startMs: 1e20 });
    const res = await send(JSON.stringify(odd));
    expect(res.status).toBe(202);
    const call = await json(await t.get(`/v1/calls/${(await json<{ callId: string }>(res)).callId}`, t.a.rep));
    expect(call).toMatchObject({ sourceCallId: 'c_odd', startedAt: null });
  });

  it('maps dial failures to missed calls and voicemail_reached to voicemail', async () => {
    const missed = retellCall('call_ended', { callId: 'c_missed', startMs: t.clock.now() });
    Object.assign(missed.call, {
      disconnection_reason: 'dial_no_answer',
      call_status: 'not_connected',
      direction: 'outbound',
    });
    const vm = retellCall('call_ended', { callId: 'c_vm', startMs: t.clock.now() });
    Object.assign(vm.call, { disconnection_reason: 'voicemail_reached' });
    await send(JSON.stringify(missed));
    await send(JSON.stringify(vm));
    const list = await json<{
      data: { sourceCallId: string; outcome: string; direction: string; customerPhone: { e164: string } }[];
    }>(await t.get('/v1/calls', t.a.rep));
    const byId = Object.fromEntries(list.data.map((c) => [c.sourceCallId, c]));
    expect(byId.c_missed).toMatchObject({
      outcome: 'missed',
      direction: 'outbound',
      customerPhone: { e164: '+12137771235' },
    });
    expect(byId.c_vm?.outcome).toBe('voicemail');
  });
});
