import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kitchen, syncWorld, type SyncView, type SyncWorld } from './support';

// The routing matrix end to end in Salesforce and Pipedrive: a signed webhook in, the records in
// the CRM's sandbox out, with their links (who, what) as a sales team would find them.
// HubSpot's rows are in hubspot-sync.test.ts.

let w: SyncWorld;
beforeEach(async () => {
  w = await syncWorld();
});
afterEach(() => w.close());

const stepsOf = (sync: SyncView | undefined) => Object.fromEntries((sync?.records ?? []).map((r) => [r.step, r.id]));

async function syncedInto(crm: 'salesforce' | 'pipedrive', callId: string) {
  const sync = (await w.syncOf(callId)).find((s) => s.crm === crm);
  expect(sync?.status).toBe('synced');
  return stepsOf(sync);
}

describe('Salesforce', () => {
  beforeEach(() => w.connectSalesforce());

  it('a new caller becomes a Lead, and the answered call a completed call Task on it', async () => {
    const id = await w.webhook({ id: 'CALSFNEW', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.runner.drain();
    const steps = await syncedInto('salesforce', id);

    const leads = await w.salesforce.records('Lead');
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      Id: steps.contact,
      LastName: 'Caller',
      Phone: expect.stringMatching(/^\+1\d{10}$/),
    });
    const task = await w.salesforce.record(steps.call!);
    expect(task).toMatchObject({
      TaskSubtype: 'Call',
      Status: 'Completed',
      WhoId: steps.contact,
      CallDurationInSeconds: 140,
      Callsight_Call_Id__c: id,
    });
    expect(String(task?.Description)).toContain('Lead score 88/100 (high)');
  });

  it('a missed call gets a callback Task, open and due in 15 minutes', async () => {
    const id = await w.webhook({ id: 'CALSFMISS', answered: false, duration: 0 });
    await w.runner.drain();
    const steps = await syncedInto('salesforce', id);
    const task = await w.salesforce.record(steps['task:callback']!);
    expect(task).toMatchObject({
      TaskSubtype: 'Task',
      Status: 'Not Started',
      WhoId: steps.contact,
      IsReminderSet: true,
    });
    expect(String(task?.Subject)).toMatch(/^Call back .+: missed inbound call$/);
    expect(Date.parse(String(task?.ReminderDateTime))).toBe(w.clock.now() + 15 * 60_000);
  });

  it('a Contact saved as "(303) 623-1131" gets the call; no Lead is created for it', async () => {
    const contact = await w.salesforce.create('Contact', {
      FirstName: 'Pat',
      LastName: 'Known',
      Phone: '(303) 623-1131',
    });
    const id = await w.webhook({ id: 'CALSFKNOWN', phone: '+13036231131', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    const steps = await syncedInto('salesforce', id);
    expect(steps.contact).toBe(contact);
    expect(await w.salesforce.records('Lead')).toHaveLength(0);
    expect((await w.salesforce.record(steps.call!))?.WhoId).toBe(contact);
  });

  it('a caller who asks not to be called is marked DoNotCall', async () => {
    const id = await w.webhook({
      id: 'CALSFDNC',
      duration: 45,
      transcription: 'Stop calling me. Please put me on your do not call list and do not call this number again.',
    });
    await w.runner.drain();
    const steps = await syncedInto('salesforce', id);
    expect(Object.keys(steps).sort()).toEqual(['call', 'contact', 'do_not_call']);
    expect((await w.salesforce.record(steps.contact!))?.DoNotCall).toBe(true);
  });
});

describe('Pipedrive', () => {
  beforeEach(() => w.connectPipedrive());

  it('a new caller becomes a person with a lead, and the answered call a done call activity on both', async () => {
    const id = await w.webhook({ id: 'CALPDNEW', transcription: kitchen, duration: 140, name: 'Dana Caller' });
    await w.runner.drain();
    const steps = await syncedInto('pipedrive', id);

    const persons = await w.pipedrive.items('person');
    expect(persons).toHaveLength(1);
    expect(persons[0]).toMatchObject({ id: Number(steps.contact), name: 'Dana Caller' });
    expect(await w.pipedrive.item('lead', steps.deal!)).toMatchObject({ person_id: Number(steps.contact) });
    const activity = await w.pipedrive.item('activity', steps.call!);
    expect(activity).toMatchObject({ type: 'call', done: true, person_id: Number(steps.contact), lead_id: steps.deal });
    expect(String(activity?.note)).toContain('Lead score 88/100 (high)');
  });

  it('a missed call gets an open follow-up activity on the person', async () => {
    const id = await w.webhook({ id: 'CALPDMISS', answered: false, duration: 0 });
    await w.runner.drain();
    const steps = await syncedInto('pipedrive', id);
    const task = await w.pipedrive.item('activity', steps['task:callback']!);
    expect(task).toMatchObject({ done: false, person_id: Number(steps.contact) });
    expect(String(task?.subject)).toMatch(/^Call back .+: missed inbound call$/);
  });

  it('a person saved as "303-623-1131" gets the call; no second person is created', async () => {
    const person = await w.pipedrive.createPerson({ name: 'Pat Known', phones: ['303-623-1131'] });
    const id = await w.webhook({ id: 'CALPDKNOWN', phone: '+13036231131', transcription: kitchen, duration: 140 });
    await w.runner.drain();
    const steps = await syncedInto('pipedrive', id);
    expect(steps.contact).toBe(String(person));
    expect(await w.pipedrive.items('person')).toHaveLength(1);
    expect((await w.pipedrive.item('activity', steps.call!))?.person_id).toBe(person);
  });

  it('a caller who asks not to be called gets a pinned do-not-call note and no lead', async () => {
    const id = await w.webhook({
      id: 'CALPDDNC',
      duration: 45,
      transcription: 'Stop calling me. Please put me on your do not call list and do not call this number again.',
    });
    await w.runner.drain();
    const steps = await syncedInto('pipedrive', id);
    expect(steps.deal).toBeUndefined();
    expect(await w.pipedrive.items('lead')).toHaveLength(0);
    const notes = await w.pipedrive.items('note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ person_id: Number(steps.contact) });
    expect(String(notes[0]?.content)).toMatch(/do not call/i);
  });
});
