// Runs a stored plan against the CRM, one step at a time, each created record written to the
// ledger before the next step. A step that may have reached the CRM without being recorded (its
// answer was lost) is looked for before it is created again.
import type { Analysis } from '@callsight/shared';
import type { Clock } from '../clock';
import type { CallRow } from '../db/repos/calls';
import type { TenantRepo } from '../db/repos/tenants';
import { PermanentJobError } from '../jobs/queue';
import { renderFieldMapping, type FieldMapping } from '../crm/field-mapping';
import type { SyncAction } from '../crm/plan';
import { CrmError, type CrmPort, type CrmRef } from '../crm/port';
import type { SyncLedger } from './ledger';
import { matchContact } from './contact-match';
import { callLog, newContact, newDeal, newTask, type SyncCall } from './records';
import { LOCAL_RATE_LIMIT } from './rate-limits';
import type { StoredPlan } from './sync-plan';

/** How long CRM search may lag a create (Okta's HubSpot guidance: ~10 s), with a margin. */
export const SEARCH_SETTLE_MS = 20_000;

const stepOf = (action: SyncAction): string =>
  action.kind === 'create_contact'
    ? 'contact'
    : action.kind === 'create_deal'
      ? 'deal'
      : action.kind === 'log_call'
        ? 'call'
        : action.kind === 'create_task'
          ? `task:${action.purpose}`
          : 'do_not_call';

export interface SyncProgress {
  /** The first unrecorded step may already exist in the CRM: look before creating it. */
  doubt: boolean;
  /** A create has been sent and not yet recorded. */
  inFlight: boolean;
}

/**
 * Whether a failed request may still have been carried out: no answer (timeout, network), a 5xx or
 * an unknown error may come after the CRM committed; a 4xx (429 included) is a refusal, and our
 * own rate limiter never sent it.
 */
export function uncertainSend(e: unknown): boolean {
  if (e instanceof SearchSettling || e instanceof PermanentJobError) return false;
  if (!(e instanceof CrmError)) return true;
  if (e.code === LOCAL_RATE_LIMIT) return false;
  return e.status === null || e.status >= 500 || e.status === 408;
}

/** A resumed sync must look for a contact it may have created, but search has not caught up yet. */
export class SearchSettling extends Error {
  constructor(
    readonly waitMs: number,
    readonly since: number,
  ) {
    super('resuming an interrupted sync: waiting for CRM search to catch up before looking for the contact');
  }
}

/** What running a plan reads and writes beside the CRM. */
export interface ExecutionContext {
  ledger: SyncLedger;
  tenants: TenantRepo;
  clock: Clock;
}

/**
 * Looks in the CRM for what the first unrecorded step would create, before creating it again.
 * Reads that do not go through the search index (associations, a contact's deals) are exact at
 * once; a contact can only be found by phone search, which lags writes, so that look waits until
 * the index has caught up with the interrupted attempt.
 */
async function recoverCreated(
  { ledger, tenants, clock }: ExecutionContext,
  adapter: CrmPort,
  action: SyncAction,
  call: SyncCall,
  tenantId: string,
  resume: { since: number } | null,
  refOf: (step: string) => CrmRef | null,
): Promise<CrmRef | null> {
  const contact = refOf('contact');
  switch (action.kind) {
    case 'create_contact': {
      if (!call.customerPhoneE164 || !resume) return null;
      const wait = resume.since + SEARCH_SETTLE_MS - clock.now();
      if (wait > 0) throw new SearchSettling(wait, resume.since);
      const tenant = await tenants.byId(tenantId);
      const match = await matchContact(adapter, ledger, {
        tenantId,
        callId: call.id,
        e164: call.customerPhoneE164,
        defaultCountry: tenant?.defaultCountry ?? 'US',
      });
      return match?.contact ?? null;
    }
    case 'create_deal': {
      // The plan found no open deal when it was made: one there now is the one it created.
      return contact ? adapter.findOpenDeal(contact) : null;
    }
    case 'log_call':
      return contact && adapter.findLogged ? adapter.findLogged('call', call.id, contact) : null;
    case 'create_task':
      return contact && adapter.findLogged ? adapter.findLogged('task', `${call.id}:${action.purpose}`, contact) : null;
    case 'set_do_not_call':
      return null;
  }
}

/**
 * Runs the plan's steps in order, each recorded before the next: only the first unrecorded step
 * can have been cut off between the CRM's commit and the ledger write (`progress` says whether it
 * may have been).
 */
export async function executePlan(
  context: ExecutionContext,
  adapter: CrmPort,
  call: CallRow,
  analysis: Analysis | null,
  stored: StoredPlan,
  tenantId: string,
  resume: { since: number } | null,
  progress: SyncProgress,
  mapping: FieldMapping,
): Promise<void> {
  const { ledger, clock } = context;
  const crm = adapter.crm;
  // Contact and deal properties are written only on create; call and task ones on every call.
  const properties = renderFieldMapping(mapping, call, analysis);
  const links = new Map((await ledger.links(tenantId, call.id, crm)).map((l) => [l.step, l]));
  const refOf = (step: string): CrmRef | null => {
    const l = links.get(step);
    return l ? { crm, type: l.objectType, id: l.crmId, url: l.url } : null;
  };
  const record = async (step: string, ref: CrmRef) => {
    const link = { step, objectType: ref.type, crmId: ref.id, url: ref.url };
    await ledger.link(tenantId, call.id, crm, link, clock.now());
    links.set(step, { tenantId, callId: call.id, crm, ...link, createdAt: clock.now() });
    progress.inFlight = false;
  };
  const contactRef = (): CrmRef => {
    const ref = refOf('contact');
    if (!ref) throw new PermanentJobError('the plan has no contact to attach the call to');
    return ref;
  };

  // Steps run in order and each is recorded before the next: only the first unrecorded step
  // can have been cut off between the CRM's commit and the ledger write.
  for (const action of stored.plan.actions) {
    const step = stepOf(action);
    if (links.has(step)) continue;
    if (progress.doubt) {
      const found = await recoverCreated(context, adapter, action, call, tenantId, resume, refOf);
      // What was found may not be ours: while this sync waited, a later call from the number
      // may have created the contact and its deal. The plan assumed none, so look again at the
      // next step before creating it too.
      progress.doubt = found !== null;
      if (found) {
        await record(step, found);
        continue;
      }
    }
    // From here until `record`, a failure that is not a clear refusal leaves the create in doubt.
    progress.inFlight = true;
    switch (action.kind) {
      case 'create_contact': {
        const ref = await adapter.createContact(newContact(call, action.ownerId, properties.contact));
        await record(step, ref);
        if (call.customerPhoneE164) {
          await ledger.cacheContact(
            tenantId,
            crm,
            call.customerPhoneE164,
            { ...ref, ownerId: action.ownerId },
            clock.now(),
          );
        }
        break;
      }
      case 'create_deal':
        await record(
          step,
          await adapter.createDeal(
            newDeal(call, analysis, contactRef(), action.ownerId, action.priority, properties.deal),
          ),
        );
        break;
      case 'log_call': {
        const refs = { contact: contactRef(), deal: action.onDeal ? refOf('deal') : null };
        const log = callLog(call, analysis, refs, action.ownerId, action.notes, properties.call);
        await record(step, await adapter.logCall(log));
        break;
      }
      case 'create_task': {
        const refs = { contact: contactRef(), deal: refOf('deal') };
        const task = newTask(call, analysis, action, refs, stored.plannedAt, properties.task);
        await record(step, await adapter.createTask(task));
        break;
      }
      case 'set_do_not_call': {
        const contact = contactRef();
        await adapter.setDoNotCall(contact);
        await record(step, contact);
        break;
      }
    }
  }
}
