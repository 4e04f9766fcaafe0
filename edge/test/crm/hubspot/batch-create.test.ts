import { afterEach, describe, expect, it } from 'vitest';
import type { CrmRef } from '../../../src/crm/port';
import { CrmError } from '../../../src/crm/port';
import type { FetchLike } from '../../../src/crm/hubspot/http';
import { RequestCoalescer } from '../../../src/sync/request-coalescer';
import { hubspotApi, hubspotHarness, newCallLog, newContact, type Harness } from './support/harness';

// Calls logged by several syncs at the same moment go to HubSpot as one batch create: one request
// against the rate limit, and still one record per call, each with its own outcome.

let h: Harness;
afterEach(() => h.close());

/** A harness whose adapter shares creates through a coalescer, with the requests it sent. */
async function batchingHarness(rewrite?: (path: string, body: Record<string, unknown>) => Record<string, unknown>) {
  const sent: string[] = [];
  const coalescer = new RequestCoalescer();
  h = await hubspotHarness({
    adapter: {
      portalId: 1,
      coalesce: (what, item, many, maxBatch) => coalescer.run(`t:hubspot:${what}`, item, many, maxBatch),
    },
    wrapFetch:
      (inner: FetchLike): FetchLike =>
      async (input, init) => {
        const path = new URL(String(input)).pathname;
        sent.push(`${init?.method ?? 'GET'} ${path}`);
        const res = await inner(input, init);
        if (!rewrite || !path.endsWith('/batch/create') || res.status !== 201) return res;
        const body = rewrite(path, (await res.json()) as Record<string, unknown>);
        return new Response(JSON.stringify(body), { status: 201, headers: { 'content-type': 'application/json' } });
      },
  });
  await h.adapter.setupProperties();
  sent.length = 0;
  return sent;
}

interface CallRecord {
  id: string;
  properties: Record<string, string>;
  associations?: { contacts?: { results: { id: string }[] } };
}

async function callRecord(id: string): Promise<CallRecord> {
  const res = await hubspotApi<CallRecord>(
    h,
    'GET',
    `/crm/v3/objects/calls/${id}?properties=callsight_call_id,hs_call_title&associations=contacts`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

async function allCalls(): Promise<CallRecord[]> {
  const res = await hubspotApi<{ results: CallRecord[] }>(
    h,
    'GET',
    '/crm/v3/objects/calls?limit=100&properties=callsight_call_id',
  );
  return res.body.results;
}

async function threeContacts(): Promise<CrmRef[]> {
  const phones = ['+13036231131', '+13036231132', '+13036231133'];
  const out: CrmRef[] = [];
  for (const p of phones) out.push(await h.adapter.createContact(newContact(p)));
  return out;
}

describe('HubSpot batch create of calls and tasks', () => {
  it('logs calls of the same moment in one request, each on its own contact', async () => {
    const sent = await batchingHarness();
    const contacts = await threeContacts();
    sent.length = 0;
    const first = h.adapter.logCall(newCallLog('call_a', contacts[0]!));
    await Promise.resolve();
    // These two arrive while the first is under way: they go out together.
    const refs = await Promise.all([
      first,
      h.adapter.logCall(newCallLog('call_b', contacts[1]!)),
      h.adapter.logCall(newCallLog('call_c', contacts[2]!)),
    ]);
    expect(sent).toEqual(['POST /crm/v3/objects/calls', 'POST /crm/v3/objects/calls/batch/create']);
    expect(new Set(refs.map((r) => r.id)).size).toBe(3);
    for (const [i, id] of ['call_a', 'call_b', 'call_c'].entries()) {
      const record = await callRecord(refs[i]!.id);
      expect(record.properties.callsight_call_id).toBe(id);
      expect(record.associations?.contacts?.results.map((r) => r.id)).toEqual([contacts[i]!.id]);
    }
    expect(await allCalls()).toHaveLength(3);
  });

  it('batches tasks the same way', async () => {
    const sent = await batchingHarness();
    const [a, b, c] = await threeContacts();
    sent.length = 0;
    const task = (externalId: string, contact: CrmRef) =>
      h.adapter.createTask({
        externalId,
        contact,
        deal: null,
        ownerId: null,
        subject: 'Call back',
        body: 'Missed call',
        dueAt: '2026-11-22T15:15:00Z',
        priority: 'medium',
      });
    const refs = await Promise.all([task('t_a', a!), task('t_b', b!), task('t_c', c!)]);
    expect(sent).toEqual(['POST /crm/v3/objects/tasks/batch/create']);
    expect(refs.map((r) => r.type)).toEqual(['task', 'task', 'task']);
    expect(new Set(refs.map((r) => r.id)).size).toBe(3);
  });

  it('one bad call in a batch: the others are logged once, the bad one gets HubSpot’s words', async () => {
    const sent = await batchingHarness();
    const [a, b, c] = await threeContacts();
    sent.length = 0;
    const outcomes = await Promise.allSettled([
      h.adapter.logCall(newCallLog('call_a', a!)),
      h.adapter.logCall(newCallLog('call_bad', b!, { startedAt: 'last tuesday' })),
      h.adapter.logCall(newCallLog('call_c', c!)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (outcomes[1] as PromiseRejectedResult).reason as CrmError;
    expect(error).toBeInstanceOf(CrmError);
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    expect(error.crmMessage).toContain('hs_timestamp');
    // The refused batch, then each call alone.
    expect(sent[0]).toBe('POST /crm/v3/objects/calls/batch/create');
    expect(sent.slice(1)).toEqual(Array(3).fill('POST /crm/v3/objects/calls'));
    expect((await allCalls()).map((r) => r.properties.callsight_call_id).sort()).toEqual(['call_a', 'call_c']);
  });

  it('a throttled batch is retried by each sync and creates nothing', async () => {
    await batchingHarness();
    const [a, b] = await threeContacts();
    h.sandbox.rateLimitStorm({ policyName: 'TEN_SECONDLY_ROLLING', times: 1 });
    const outcomes = await Promise.allSettled([
      h.adapter.logCall(newCallLog('call_a', a!)),
      h.adapter.logCall(newCallLog('call_b', b!)),
    ]);
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toMatchObject({ kind: 'retryable', status: 429 });
    }
    expect(await allCalls()).toHaveLength(0);
  });

  it('matches results by their trace id when HubSpot answers in another order', async () => {
    await batchingHarness((_, body) => ({ ...body, results: [...(body.results as unknown[])].reverse() }));
    const [a, b, c] = await threeContacts();
    const refs = await Promise.all([
      h.adapter.logCall(newCallLog('call_a', a!)),
      h.adapter.logCall(newCallLog('call_b', b!)),
      h.adapter.logCall(newCallLog('call_c', c!)),
    ]);
    const ids = await Promise.all(refs.map(async (r) => (await callRecord(r.id)).properties.callsight_call_id));
    expect(ids).toEqual(['call_a', 'call_b', 'call_c']);
  });

  it('an answer that leaves a call out: that sync fails in doubt, and finds the record instead of writing it again', async () => {
    await batchingHarness((_, body) => ({
      ...body,
      results: (body.results as { objectWriteTraceId?: string }[]).filter((r) => r.objectWriteTraceId !== '1'),
    }));
    const [a, b] = await threeContacts();
    const outcomes = await Promise.allSettled([
      h.adapter.logCall(newCallLog('call_a', a!)),
      h.adapter.logCall(newCallLog('call_b', b!)),
    ]);
    expect(outcomes[0]!.status).toBe('fulfilled');
    // No status: the sync treats it as a send whose answer was lost, and looks before writing.
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ kind: 'retryable', status: null });
    const found = await h.adapter.findLogged!('call', 'call_b', b!);
    expect(found?.type).toBe('call');
    expect(await allCalls()).toHaveLength(2);
  });
});
