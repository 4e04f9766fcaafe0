import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, calls, webhookDeliveries } from '../src/db/schema';
import { callrailHeaders } from '../src/demo/sign';
import { callrailCall } from '../src/demo/samples';
import { callrailFixture, json, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const kitchen =
  "Hi, I'm interested in remodeling my kitchen. I've been thinking about it for a while and I'm ready to get some estimates. The kitchen is about 200 square feet and I'm looking to do this in the next 2-3 months. My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?";

async function post(o: Parameters<typeof callrailCall>[0]) {
  const body = JSON.stringify(callrailCall(o));
  const res = await t.app.request(`/v1/webhooks/callrail/${t.a.tenant.slug}`, {
    method: 'POST',
    body,
    headers: await callrailHeaders(callrailFixture.token, body),
  });
  expect(res.status).toBe(202);
  return (await json<{ callId: string }>(res)).callId;
}

type CallWithAnalysis = {
  status: string;
  transcript: string;
  analysis: {
    intent: string;
    leadScore: number;
    band: string;
    timeline: string;
    budget: { min: number; max: number };
    urgency: string;
    version: number;
    breakdown: { factor: string; points: number; evidence: string | null }[];
    scoredFrom: string;
    notes: string[];
  } | null;
};

describe('analysis of a stored call', () => {
  it('scores the kitchen call high, with the reasons, from webhook to API', async () => {
    const id = await post({ id: 'CALK1', transcription: kitchen, duration: 140 });
    await t.runner.drain();
    const call = await json<CallWithAnalysis>(await t.get(`/v1/calls/${id}`, t.a.rep));
    expect(call.status).toBe('analyzed');
    expect(call.analysis).toMatchObject({
      intent: 'kitchen_remodel',
      timeline: '1-3_months',
      budget: { min: 30000, max: 40000 },
      band: 'high',
      urgency: 'high',
      scoredFrom: 'transcript',
      version: 1,
    });
    expect(call.analysis!.leadScore).toBeGreaterThanOrEqual(80);
    expect(call.analysis!.leadScore).toBeLessThanOrEqual(90);
    expect(call.analysis!.breakdown.reduce((s, b) => s + b.points, 0)).toBe(call.analysis!.leadScore);
    expect(call.analysis!.breakdown.find((b) => b.factor.includes('budget'))?.evidence).toContain('$30,000');
    // The list carries the analysis too.
    const list = await json<{ data: CallWithAnalysis[] }>(await t.get('/v1/calls', t.a.rep));
    expect(list.data[0]?.analysis?.band).toBe('high');
  });

  it('scores a missed call without a transcript from metadata, and says so', async () => {
    const missed = await post({ id: 'CALM1', answered: false });
    const voicemail = await post({ id: 'CALM2', answered: false, voicemail: true });
    await t.runner.drain();
    const read = async (id: string) =>
      (await json<CallWithAnalysis>(await t.get(`/v1/calls/${id}`, t.a.rep))).analysis!;
    const a = await read(missed);
    expect(a.scoredFrom).toBe('metadata');
    expect(a.band).not.toBe('high');
    expect(a.breakdown[0]?.factor).toMatch(/metadata|transcript/i);
    // A recording without a transcript: on Node nothing transcribes it, and the analysis says so.
    expect((await read(voicemail)).notes.join(' ')).toMatch(/not transcribed/);
  });

  it('masks a card number before the transcript or the raw delivery is stored', async () => {
    const spoken =
      'Caller: I want to pay the deposit for the roof, my card is 4111 1111 1111 1111 expiring 09/28. Call me at 303-623-1131.';
    const id = await post({ id: 'CALPII', transcription: spoken });
    const row = await t.db.select().from(calls).where(eq(calls.id, id)).get();
    expect(row?.transcript).not.toContain('4111 1111 1111 1111');
    expect(row?.transcript).toContain('[REDACTED CARD]');
    expect(row?.transcript).toContain('303-623-1131');
    const [delivery] = await t.db.select().from(webhookDeliveries);
    expect(delivery?.rawBody).not.toContain('4111 1111 1111 1111');
    expect(JSON.parse(delivery!.rawBody).id).toBe('CALPII');
  });

  it('re-analyses on request (manager), once however often the button is pressed', async () => {
    const id = await post({ id: 'CALR1', transcription: kitchen });
    await t.runner.drain();
    const press = () =>
      t.app.request(`/v1/calls/${id}/reanalyze`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.a.manager}` },
      });
    expect((await press()).status).toBe(202);
    expect(await json(await press())).toMatchObject({ alreadyQueued: true });
    expect(await t.runner.drain()).toBe(1);
    const call = await json<CallWithAnalysis>(await t.get(`/v1/calls/${id}`, t.a.rep));
    expect(call.analysis?.version).toBe(2);
    const rep = await t.app.request(`/v1/calls/${id}/reanalyze`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.a.rep}` },
    });
    expect(rep.status).toBe(403);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'call.reanalyze'));
    expect(audit).toHaveLength(1);
  });

  it("applies a tenant's weights and phrase rules, validated and audited", async () => {
    const put = (key: string, body: unknown) =>
      t.app.request('/v1/settings/scoring', {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put(t.a.manager, { rules: [] })).status).toBe(403);
    const bad = await put(t.a.admin, { weights: { timeline: { soon: 5 } } });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({
      error: { code: 'invalid_request', details: { field: 'weights.timeline' } },
    });
    const tooMuch = await put(t.a.admin, { rules: [{ phrase: 'financing', points: 500 }] });
    expect(await json(tooMuch)).toMatchObject({ error: { details: { field: 'rules.0.points' } } });

    const before = await post({ id: 'CALW1', transcription: kitchen });
    await t.runner.drain();
    const scoreBefore = (await json<CallWithAnalysis>(await t.get(`/v1/calls/${before}`, t.a.rep))).analysis!.leadScore;

    const ok = await put(t.a.admin, {
      weights: { intent: { project: 30 } },
      rules: [{ phrase: 'estimate', points: 5 }],
    });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({
      rules: [{ phrase: 'estimate', points: 5 }],
      weights: { intent: { project: 30 } },
    });
    const after = await post({ id: 'CALW2', transcription: kitchen });
    await t.runner.drain();
    const analysis = (await json<CallWithAnalysis>(await t.get(`/v1/calls/${after}`, t.a.rep))).analysis!;
    expect(analysis.leadScore).toBe(scoreBefore - 12 + 5);
    expect(analysis.breakdown.some((b) => b.factor.includes('estimate') && b.points === 5)).toBe(true);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'settings.scoring'));
    expect(audit).toHaveLength(1);
    // Tenant B is untouched.
    expect(await json(await t.get('/v1/settings/scoring', t.b.admin))).toMatchObject({ rules: [] });
  });
});
