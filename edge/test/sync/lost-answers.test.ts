import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kitchen, syncWorld, type SyncWorld } from './support';

// The CRM did the write, then its answer was lost (a gateway error after the commit): the retry
// must find what was written, not write it again. HubSpot's cases are in hubspot-sync.test.ts;
// these are Salesforce (Tasks are upserts by Callsight's id; a Lead is found again by phone) and
// Pipedrive (the activity carries a tag the retry looks for; persons and leads are found again).

let w: SyncWorld;
beforeEach(async () => {
  w = await syncWorld();
});
afterEach(() => w.close());

const gatewayError = { status: 502, body: { message: 'Bad gateway' } };

/** A kitchen lead whose first sync attempt meets the lost answer; returns its sync once settled. */
async function syncPastLostAnswer(sourceId: string) {
  const id = await w.webhook({ id: sourceId, transcription: kitchen, duration: 140, name: 'Dana Caller' });
  await w.runner.drain();
  expect((await w.syncOf(id))[0]?.status).toBe('retrying');
  await w.settle();
  const [sync] = await w.syncOf(id);
  expect(sync?.status).toBe('synced');
  return sync;
}

describe('when Salesforce saves a record but its answer is lost', () => {
  it.each([
    ['the Lead', 'POST', '/services/data/*/sobjects/Lead'],
    ['the call Task', 'PATCH', '/services/data/*/sobjects/Task/**'],
  ])('finds %s instead of writing a second one', async (_, method, path) => {
    await w.connectSalesforce();
    w.salesforce.faults.add({ method, path, times: 1, afterCommit: true, respond: gatewayError });
    const sync = await syncPastLostAnswer(`CALSFLOST${method}`);
    expect(await w.salesforce.records('Lead')).toHaveLength(1);
    const tasks = await w.salesforce.records('Task');
    expect(tasks).toHaveLength(1);
    expect(sync?.records.find((r) => r.step === 'call')?.id).toBe(String(tasks[0]!.Id));
  });
});

describe('when Pipedrive saves a record but its answer is lost', () => {
  it.each([
    ['the person', '/api/v2/persons'],
    ['the lead', '/api/v1/leads'],
    ['the call activity', '/api/v2/activities'],
  ])('finds %s instead of writing a second one', async (_, path) => {
    await w.connectPipedrive();
    w.pipedrive.faults.add({ method: 'POST', path, times: 1, afterCommit: true, respond: gatewayError });
    await syncPastLostAnswer(`CALPDLOST${path.length}`);
    expect(await w.pipedrive.items('person')).toHaveLength(1);
    expect(await w.pipedrive.items('lead')).toHaveLength(1);
    expect(await w.pipedrive.items('activity')).toHaveLength(1);
  });
});
