import { ManualClock } from '../../../src/clock';
import { createPipedriveAdapter, type FetchLike, type PipedriveAdapterOptions } from '../../../src/crm/pipedrive';
import type { CallLog, CrmRef, NewContact } from '../../../src/crm/port';
import { createPipedriveSandbox, type PipedriveSandboxOptions } from '../../../src/sandbox/pipedrive';

export const BASE = 'https://callsight-dev.pipedrive.com';

/**
 * A sandbox and an adapter talking to it through `app.request`. The burst limit is raised unless a
 * test sets it: the manual clock never moves on its own, so every request lands in one 2-second window.
 */
export async function pipedriveWorld(
  sandboxOptions: PipedriveSandboxOptions = {},
  adapterOptions: Partial<PipedriveAdapterOptions> = {},
) {
  const clock = new ManualClock();
  const sandbox = createPipedriveSandbox({ clock, burstLimit: 1000, searchBurstLimit: 1000, ...sandboxOptions });
  await sandbox.ready;
  const paths: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    paths.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
    return sandbox.app.request(input, init);
  };
  const adapter = createPipedriveAdapter({
    baseUrl: BASE,
    apiToken: sandbox.apiToken,
    fetch,
    clock,
    ...adapterOptions,
  });
  return { clock, sandbox, adapter, paths, fetch };
}

export const newContact = (overrides: Partial<NewContact> = {}): NewContact => ({
  phone: '+14155550100',
  firstName: 'Kaylah',
  lastName: 'Mills',
  email: null,
  ownerId: null,
  properties: {},
  ...overrides,
});

export const callLog = (contact: CrmRef, overrides: Partial<CallLog> = {}): CallLog => ({
  externalId: 'call_01HZX',
  contact,
  deal: null,
  ownerId: null,
  direction: 'inbound',
  outcome: 'answered',
  startedAt: '2026-11-22T11:40:00.000Z',
  durationSeconds: 184,
  recordingUrl: 'https://calls.example/rec/01HZX.mp3',
  title: 'Inbound call: kitchen remodel (score 86)',
  body: 'Wants a kitchen remodel within 3 months.\n\nBudget $40k.',
  properties: {},
  ...overrides,
});
