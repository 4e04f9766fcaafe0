// The `sync_call` job: one analysed call into one CRM. The plan is made once (first attempt of an
// analysis version) and stored; every object created is written to the ledger before the next
// step, so a retry after a 429, a timeout or a crash resumes where the last attempt stopped.
import type { Analysis } from '@callsight/shared';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import type { SecretBox } from '../auth/secret-box';
import type { Logger } from '../log';
import { CallRepo, type CallRow } from '../db/repos/calls';
import { AnalysisRepo } from '../db/repos/analyses';
import { IntegrationRepo } from '../db/repos/integrations';
import { TenantRepo } from '../db/repos/tenants';
import { PermanentJobError, RetryLaterError, type JobRow } from '../jobs/queue';
import type { JobHandler } from '../jobs/runner';
import { GIVE_UP_AFTER_MS } from '../jobs/backoff';
import { adapterFor, CrmKindSchema, routingOf, type FetchLike } from '../crm/connection';
import { fieldMappingOf, renderFieldMapping, type FieldMapping } from '../crm/field-mapping';
import { planSync, type PlanInput, type SyncAction, type SyncPlan } from '../crm/plan';
import { CrmError, type CrmKind, type CrmPort, type CrmRef } from '../crm/port';
import { SyncLedger } from './ledger';
import { matchContact, TRUST_RECENT_MS, type ContactMatch } from './contact-match';
import { OwnerCache } from './owner-cache';
import { RequestCoalescer } from './request-coalescer';
import { callLog, newContact, newDeal, newTask, type SyncCall } from './records';
import { LOCAL_RATE_LIMIT, RateLimits } from './rate-limits';
import { CircuitBreakers, type BreakerOptions } from './circuit-breaker';

export const SYNC_CALL_JOB = 'sync_call';

/**
 * The syncs of one caller into one CRM run one at a time: two at once would both find no contact
 * (the CRM's search lags, the first has not cached it yet) and create two.
 */
export const syncLane = (tenantId: string, crm: string, e164: string | null, callId: string) =>
  `sync:${tenantId}:${crm}:${e164 ?? callId}`;

/** How long CRM search may lag a create (Okta's HubSpot guidance: ~10 s), with a margin. */
export const SEARCH_SETTLE_MS = 20_000;

/** Every sync job of a call and CRM shares this prefix: retry finds the one in flight by it. */
export const syncJobPrefix = (callId: string, crm: string) => `${SYNC_CALL_JOB}:${callId}:${crm}:`;

export interface SyncDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  secrets: SecretBox;
  /** How adapters reach the CRMs (the sandboxes in tests and `npm start`); global fetch otherwise. */
  crmFetch?: FetchLike;
  rateLimits?: RateLimits;
  owners?: OwnerCache;
  coalescer?: RequestCoalescer;
  breakers?: CircuitBreakers;
  breakerOptions?: Partial<BreakerOptions>;
}

/** What is stored with the plan: the plan, what it was made from, and the records it matched. */
export interface StoredPlan {
  analysisVersion: number | null;
  plannedAt: number;
  plan: SyncPlan;
  inputs: PlanInput;
  contact: (CrmRef & { ownerId: string | null }) | null;
  openDeal: CrmRef | null;
  matchedVia: ContactMatch['via'] | null;
}

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

interface SyncProgress {
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
function uncertainSend(e: unknown): boolean {
  if (e instanceof SearchSettling || e instanceof PermanentJobError) return false;
  if (!(e instanceof CrmError)) return true;
  if (e.code === LOCAL_RATE_LIMIT) return false;
  return e.status === null || e.status >= 500 || e.status === 408;
}

/** A resumed sync must look for a contact it may have created, but search has not caught up yet. */
class SearchSettling extends Error {
  constructor(
    readonly waitMs: number,
    readonly since: number,
  ) {
    super('resuming an interrupted sync: waiting for CRM search to catch up before looking for the contact');
  }
}

export function syncCallHandler(deps: SyncDeps): JobHandler {
  const calls = new CallRepo(deps.db);
  const analyses = new AnalysisRepo(deps.db);
  const integrations = new IntegrationRepo(deps.db, deps.secrets);
  const tenants = new TenantRepo(deps.db);
  const ledger = new SyncLedger(deps.db);
  const rateLimits = deps.rateLimits ?? new RateLimits({ clock: deps.clock });
  const breakers = deps.breakers ?? new CircuitBreakers(deps.clock, deps.breakerOptions);
  const owners = deps.owners ?? new OwnerCache(deps.clock);
  const coalescer = deps.coalescer ?? new RequestCoalescer();
  const baseFetch: FetchLike = deps.crmFetch ?? ((input, init) => fetch(input, init));

  return async (job) => {
    const { callId, crm: crmRaw } = job.payload;
    if (typeof callId !== 'string') throw new PermanentJobError('payload.callId is missing');
    const kind = CrmKindSchema.safeParse(crmRaw);
    if (!kind.success) throw new PermanentJobError(`payload.crm ${String(crmRaw)} is not a CRM`);
    const crm: CrmKind = kind.data;
    const tenantId = job.tenantId;
    const now = () => deps.clock.now();
    const breakerKey = `${tenantId}:${crm}`;

    const [state, analysisRow] = await Promise.all([
      ledger.get(tenantId, callId, crm),
      analyses.latest(tenantId, callId),
    ]);
    const analysisVersion = analysisRow?.version ?? null;
    // Handled by a person: only their own Retry brings it back (it sets the row to pending).
    if (state?.status === 'resolved') return;
    // Already done for this analysis (a late duplicate job); a newer analysis still gets its turn.
    const plannedVersion = (state?.plan as Partial<StoredPlan> | null | undefined)?.analysisVersion;
    if (state?.status === 'synced' && plannedVersion === analysisVersion) return;

    // Whether this attempt may leave a create in the CRM that the ledger does not know of.
    const progress: SyncProgress = { doubt: false, inFlight: false };
    const doubtAfter = (e: unknown) => progress.doubt || (progress.inFlight && uncertainSend(e));

    const failPermanently = async (message: string, crmMessage: string | null, inDoubt = false) => {
      await ledger.update(
        tenantId,
        callId,
        crm,
        { status: 'failed', lastError: message, crmMessage, nextAttemptAt: null, inDoubt },
        now(),
      );
      throw new PermanentJobError(message);
    };

    const [call, integration, tenant] = await Promise.all([
      calls.get(tenantId, callId),
      integrations.get(tenantId, crm),
      tenants.byId(tenantId),
    ]);
    if (!call) return failPermanently(`call ${callId} does not exist`, null);
    if (!integration) return failPermanently(`${crm} is not connected`, null);

    const verdict = breakers.admit(breakerKey);
    if (!verdict.allowed) {
      await retryLater(
        job,
        tenantId,
        callId,
        crm,
        `${crm} is failing: paused after repeated errors`,
        null,
        verdict.retryAfterMs,
      );
    }

    const attempts = (state?.attempts ?? 0) + 1;
    const wasInDoubt = state?.status === 'processing' || state?.inDoubt === true;
    // In doubt until this attempt says otherwise: a process that dies mid-attempt leaves it so.
    await ledger.update(tenantId, callId, crm, { status: 'processing', attempts, inDoubt: true }, now());
    let adapter: CrmPort;
    try {
      adapter = adapterFor(crm, integration.secret, integration.options, {
        fetch: rateLimits.wrap(tenantId, crm, baseFetch),
        clock: deps.clock,
        coalesce: (what, item, many, maxBatch) => coalescer.run(`${breakerKey}:${what}`, item, many, maxBatch),
      });
    } catch (e) {
      // Options saved before a schema change, say: an admin must fix them, retrying cannot.
      breakers.released(breakerKey);
      return failPermanently(
        `${crm} connection options are invalid: ${e instanceof Error ? e.message : String(e)}`,
        null,
      );
    }
    const analysis = (analysisRow?.result ?? null) as Analysis | null;

    try {
      let stored = state?.plan as StoredPlan | null | undefined;
      // An earlier attempt ran this plan and its last create may have reached the CRM unrecorded.
      const samePlan = stored?.analysisVersion === analysisVersion;
      const resume = wasInDoubt && samePlan && state ? { since: state.updatedAt } : null;
      progress.doubt = resume !== null;
      if (!stored || stored.analysisVersion !== analysisVersion) {
        stored = await makePlan(adapter, call, analysis, analysisVersion, {
          tenantId,
          defaultCountry: tenant?.defaultCountry ?? 'US',
          options: integration.options,
        });
        await ledger.update(tenantId, callId, crm, { plan: stored as unknown as Record<string, unknown> }, now());
      }
      await execute(
        adapter,
        call,
        analysis,
        stored,
        tenantId,
        resume,
        progress,
        fieldMappingOf(crm, integration.options),
      );
      breakers.succeeded(breakerKey);
      await ledger.update(
        tenantId,
        callId,
        crm,
        { status: 'synced', lastError: null, crmMessage: null, nextAttemptAt: null, inDoubt: false },
        now(),
      );
      deps.log.info('call synced', { tenant: tenantId, call: callId, crm, attempt: attempts });
    } catch (e) {
      if (e instanceof SearchSettling) {
        breakers.released(breakerKey);
        // Nothing was sent: the row keeps the interrupted attempt's time, which the wait counts from.
        const patch = { status: 'retrying' as const, lastError: e.message, crmMessage: null, inDoubt: true };
        await ledger.update(tenantId, callId, crm, { ...patch, nextAttemptAt: now() + e.waitMs }, e.since);
        throw new RetryLaterError(e.message, e.waitMs, true);
      }
      const inDoubt = doubtAfter(e);
      if (e instanceof PermanentJobError) {
        breakers.released(breakerKey);
        return failPermanently(e.message, null, inDoubt);
      }
      if (!(e instanceof CrmError)) {
        breakers.released(breakerKey);
        const message = e instanceof Error ? e.message : String(e);
        await ledger.update(tenantId, callId, crm, { status: 'retrying', lastError: message, inDoubt }, now());
        throw e;
      }
      if (e.kind === 'permanent') {
        breakers.released(breakerKey);
        return failPermanently(e.message, e.crmMessage, inDoubt);
      }
      // Throttling (our own limiter asking for room, or the CRM's 429) is not the CRM failing: no
      // strike against the circuit, and the wait it named is kept to the millisecond (the
      // rate-limit window spreads the retries out; jitter would only waste the room).
      const throttled = e.code === LOCAL_RATE_LIMIT || e.status === 429;
      if (throttled) breakers.released(breakerKey);
      else breakers.failed(breakerKey);
      await retryLater(job, tenantId, callId, crm, e.message, e.crmMessage, e.retryAfterMs, throttled, inDoubt);
    }
  };

  async function retryLater(
    job: JobRow,
    tenantId: string,
    callId: string,
    crm: CrmKind,
    message: string,
    crmMessage: string | null,
    retryAfterMs: number | null,
    exact = false,
    inDoubt = false,
  ): Promise<never> {
    const now = deps.clock.now();
    // The runner gives up on a job failing for 24 hours: say so on the call, where people look.
    const givingUp = now - job.createdAt >= GIVE_UP_AFTER_MS;
    await ledger.update(
      tenantId,
      callId,
      crm,
      {
        status: givingUp ? 'dead' : 'retrying',
        lastError: message,
        crmMessage,
        // The queue adds jitter on top; GET /v1/calls/:id shows the job's real run time.
        nextAttemptAt: givingUp ? null : now + (retryAfterMs ?? 30_000),
        inDoubt,
      },
      now,
    );
    throw new RetryLaterError(message, retryAfterMs, exact);
  }

  /**
   * The contact's open deal. A deal this tenant's sync used for the same contact minutes ago is
   * still the one (the ledger knows it); otherwise the CRM is asked, which costs two requests.
   */
  async function openDealOf(adapter: CrmPort, tenantId: string, match: ContactMatch): Promise<CrmRef | null> {
    if (match.via !== 'search') {
      const since = deps.clock.now() - TRUST_RECENT_MS;
      const recent = await ledger.recentDeal(tenantId, adapter.crm, match.contact.id, since);
      if (recent) return { crm: adapter.crm, type: recent.objectType, id: recent.crmId, url: recent.url };
    }
    return adapter.findOpenDeal(match.contact);
  }

  async function makePlan(
    adapter: CrmPort,
    call: SyncCall,
    analysis: Analysis | null,
    analysisVersion: number | null,
    ctx: { tenantId: string; defaultCountry: string; options: Record<string, unknown> },
  ): Promise<StoredPlan> {
    const routing = routingOf(ctx.options);
    const match = await matchContact(adapter, ledger, {
      tenantId: ctx.tenantId,
      callId: call.id,
      e164: call.customerPhoneE164,
      defaultCountry: ctx.defaultCountry,
      now: deps.clock.now(),
    });
    const owner = (email: string | null) =>
      email ? owners.lookup(ctx.tenantId, adapter.crm, email, () => adapter.findOwnerByEmail(email)) : null;
    const [agentOwner, topManager, openDeal] = await Promise.all([
      owner(call.agentEmail),
      owner(routing.topManagerEmail),
      match ? openDealOf(adapter, ctx.tenantId, match) : null,
    ]);
    const inputs: PlanInput = {
      call: {
        direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
        outcome:
          call.outcome === 'missed' || call.outcome === 'voicemail' || call.outcome === 'in_progress'
            ? call.outcome
            : 'answered',
        customerPhone: call.customerPhoneE164,
        agentEmail: call.agentEmail,
        agentName: call.agentName,
      },
      analysis: analysis ? { band: analysis.band, disposition: analysis.disposition, spam: analysis.spam } : null,
      existing: {
        contact: match ? { id: match.contact.id, ownerId: match.contact.ownerId } : null,
        openDeal: openDeal ? { id: openDeal.id } : null,
        matches: match?.matches ?? 0,
        agentOwnerId: agentOwner?.id ?? null,
      },
      config: {
        topManagerOwnerId: topManager?.id ?? null,
        createDeals: routing.createDeals,
        junkPolicy: routing.junkPolicy,
        callbackDueMinutes: routing.callbackDueMinutes,
      },
    };
    const plannedAt = deps.clock.now();
    // What was matched goes into the ledger now: a retry then resumes on the same records.
    if (match) {
      const c = match.contact;
      await ledger.link(
        ctx.tenantId,
        call.id,
        adapter.crm,
        { step: 'contact', objectType: c.type, crmId: c.id, url: c.url },
        plannedAt,
      );
      // Only what the CRM just confirmed restarts the time the cache is trusted.
      if (call.customerPhoneE164 && match.via !== 'recent')
        await ledger.cacheContact(ctx.tenantId, adapter.crm, call.customerPhoneE164, c, plannedAt);
    }
    if (openDeal) {
      await ledger.link(
        ctx.tenantId,
        call.id,
        adapter.crm,
        { step: 'deal', objectType: openDeal.type, crmId: openDeal.id, url: openDeal.url },
        plannedAt,
      );
    }
    return {
      analysisVersion,
      plannedAt,
      plan: planSync(inputs),
      inputs,
      contact: match?.contact ?? null,
      openDeal,
      matchedVia: match?.via ?? null,
    };
  }

  /**
   * Looks in the CRM for what the first unrecorded step would create, before creating it again.
   * Reads that do not go through the search index (associations, a contact's deals) are exact at
   * once; a contact can only be found by phone search, which lags writes, so that look waits until
   * the index has caught up with the interrupted attempt.
   */
  async function recoverCreated(
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
        const wait = resume.since + SEARCH_SETTLE_MS - deps.clock.now();
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
        return contact && adapter.findLogged
          ? adapter.findLogged('task', `${call.id}:${action.purpose}`, contact)
          : null;
      case 'set_do_not_call':
        return null;
    }
  }

  async function execute(
    adapter: CrmPort,
    call: CallRow,
    analysis: Analysis | null,
    stored: StoredPlan,
    tenantId: string,
    resume: { since: number } | null,
    progress: SyncProgress,
    mapping: FieldMapping,
  ): Promise<void> {
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
      await ledger.link(tenantId, call.id, crm, link, deps.clock.now());
      links.set(step, { tenantId, callId: call.id, crm, ...link, createdAt: deps.clock.now() });
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
        const found = await recoverCreated(adapter, action, call, tenantId, resume, refOf);
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
              deps.clock.now(),
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
}
