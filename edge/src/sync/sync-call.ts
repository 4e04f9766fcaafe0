// The `sync_call` job: one analysed call into one CRM. The plan is made once (first attempt of an
// analysis version) and stored; every object created is written to the ledger before the next
// step, so a retry after a 429, a timeout or a crash resumes where the last attempt stopped.
// Making the plan is sync-plan.ts, running it plan-executor.ts; this is the job around them:
// admission (circuit breaker), state on the call, and what each kind of failure becomes.
import type { Analysis } from '@callsight/shared';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import type { SecretBox } from '../auth/secret-box';
import type { Logger } from '../log';
import { CallRepo } from '../db/repos/calls';
import { AnalysisRepo } from '../db/repos/analyses';
import { IntegrationRepo } from '../db/repos/integrations';
import { TenantRepo } from '../db/repos/tenants';
import { PermanentJobError, RetryLaterError, type JobRow } from '../jobs/queue';
import type { JobHandler } from '../jobs/runner';
import { GIVE_UP_AFTER_MS } from '../jobs/backoff';
import { adapterFor, CrmKindSchema, type FetchLike } from '../crm/connection';
import { fieldMappingOf } from '../crm/field-mapping';
import { CrmError, type CrmKind, type CrmPort } from '../crm/port';
import { SyncLedger } from './ledger';
import { executePlan, SearchSettling, uncertainSend, type SyncProgress } from './plan-executor';
import { makeSyncPlan, type StoredPlan } from './sync-plan';
import { OwnerCache } from './owner-cache';
import { RequestCoalescer } from './request-coalescer';
import { LOCAL_RATE_LIMIT, RateLimits } from './rate-limits';
import { CircuitBreakers, type BreakerOptions } from './circuit-breaker';

export const SYNC_CALL_JOB = 'sync_call';

/**
 * The syncs of one caller into one CRM run one at a time: two at once would both find no contact
 * (the CRM's search lags, the first has not cached it yet) and create two.
 */
export const syncLane = (tenantId: string, crm: string, e164: string | null, callId: string) =>
  `sync:${tenantId}:${crm}:${e164 ?? callId}`;

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
        stored = await makeSyncPlan({ ledger, owners, clock: deps.clock }, adapter, call, analysis, analysisVersion, {
          tenantId,
          defaultCountry: tenant?.defaultCountry ?? 'US',
          options: integration.options,
        });
        await ledger.update(tenantId, callId, crm, { plan: stored as unknown as Record<string, unknown> }, now());
      }
      await executePlan(
        { ledger, tenants, clock: deps.clock },
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
}
