import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ringostatHeaders } from '../src/demo/sign';
import { ringostatForm } from '../src/demo/samples';
import { normaliseDisposition } from '../src/sources/ringostat';
import { json, secrets, testApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const url = () => `/v1/webhooks/ringostat/${t.a.tenant.slug}`;
const auth = (password = secrets.ringostat, user = 'ringostat') => ringostatHeaders(user, password);
type CallJson = {
  sourceCallId: string;
  outcome: string;
  direction: string;
  customerPhone: { e164: string | null; raw: string };
};
const calls = async () =>
  Object.fromEntries(
    (await json<{ data: CallJson[] }>(await t.get('/v1/calls', t.a.rep))).data.map((c) => [c.sourceCallId, c]),
  );

describe('Ringostat webhooks', () => {
  it('takes form-encoded, JSON and query-string deliveries', async () => {
    const form = await t.app.request(url(), {
      method: 'POST',
      body: ringostatForm({ uniqueid: 'r-form' }),
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    const jsonBody = await t.app.request(url(), {
      method: 'POST',
      body: JSON.stringify({ call_id: 'r-json', caller: '380671234567', disposition: 'VOICEMAIL', call_type: 'in' }),
      headers: { ...auth(), 'content-type': 'application/json' },
    });
    const get = await t.app.request(`${url()}?uniqueid=r-get&caller=0501234567&disposition=NO+ANSWER&call_type=in`, {
      headers: auth(),
    });
    expect([form.status, jsonBody.status, get.status]).toEqual([202, 202, 202]);
    const byId = await calls();
    // Digits without "+" and national numbers both land in E.164 with the tenant's UA default.
    expect(byId['r-form']).toMatchObject({ outcome: 'answered', customerPhone: { e164: '+380501234567' } });
    expect(byId['r-json']).toMatchObject({ outcome: 'voicemail', customerPhone: { e164: '+380671234567' } });
    expect(byId['r-get']).toMatchObject({
      outcome: 'missed',
      customerPhone: { e164: '+380501234567', raw: '0501234567' },
    });
  });

  it('rejects wrong or missing Basic credentials without storing anything', async () => {
    for (const headers of [
      {},
      auth('wrong-password'),
      auth(secrets.ringostat, 'admin'),
      { authorization: 'Basic !!!' },
    ]) {
      const res = await t.app.request(url(), { method: 'POST', body: ringostatForm({ uniqueid: 'x' }), headers });
      expect(res.status).toBe(401);
    }
    expect(Object.keys(await calls())).toHaveLength(0);
  });

  it("uses the tenant's own field names when configured", async () => {
    const put = await t.app.request('/v1/integrations/ringostat', {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.a.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        secret: secrets.ringostat,
        options: { defaultCountry: 'UA', fieldAliases: { callId: ['my_call'], caller: ['client_phone'] } },
      }),
    });
    expect(put.status).toBe(200);
    const res = await t.app.request(url(), {
      method: 'POST',
      body: JSON.stringify({ my_call: 'custom-1', client_phone: '+380 50 123 45 67', disposition: 'ANSWERED' }),
      headers: { ...auth(), 'content-type': 'application/json' },
    });
    expect(res.status).toBe(202);
    expect((await calls())['custom-1']).toMatchObject({ customerPhone: { e164: '+380501234567' } });
  });

  it('400s a delivery without a call id, naming the field it looked for', async () => {
    const res = await t.app.request(url(), {
      method: 'POST',
      body: 'caller=380501234567',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    const body = await json<{ error: { message: string; details: { field: string } } }>(res);
    expect(body.error.details.field).toBe('uniqueid');
    expect(body.error.message).toContain('call_id');
  });

  it('reads outbound calls with the customer as the destination', async () => {
    const res = await t.app.request(
      `${url()}?uniqueid=out-1&caller=380442223344&dst=380671234567&call_type=out&billsec=30`,
      {
        headers: auth(),
      },
    );
    expect(res.status).toBe(202);
    expect((await calls())['out-1']).toMatchObject({
      direction: 'outbound',
      outcome: 'answered',
      customerPhone: { e164: '+380671234567' },
    });
  });

  it.each([
    ['NO+ANSWER', 'NO ANSWER'],
    ['no_answer', 'NO ANSWER'],
    [' Answered ', 'ANSWERED'],
    ['FAILED_FORBIDDEN_DESTINATION', 'FAILED FORBIDDEN DESTINATION'],
  ])('normalises the disposition %s', (raw, expected) => {
    expect(normaliseDisposition(raw)).toBe(expected);
  });
});
