import type { Clock } from '../clock';
import { CallRepo } from '../db/repos/calls';
import type { Db } from '../db/client';
import type { JobHandler } from '../jobs/runner';
import { JobQueue, PermanentJobError } from '../jobs/queue';
import { ANALYZE_CALL_JOB } from './analyze-call';

/**
 * The `process_call` job: enriches a stored call with what only our own history knows (is this
 * the number's first call, how many came before) and marks it `received`. Then it hands the
 * call to analysis.
 */
export function processCallHandler(db: Db, clock: Clock, analyze?: JobHandler): JobHandler {
  const calls = new CallRepo(db);
  const queue = new JobQueue(db);
  return async (job) => {
    const callId = job.payload.callId;
    if (typeof callId !== 'string') throw new PermanentJobError('payload.callId is missing');
    const call = await calls.get(job.tenantId, callId);
    if (!call) throw new PermanentJobError(`call ${callId} does not exist`);
    const prior = await calls.priorCallCount(job.tenantId, call);
    await calls.markReceived(job.tenantId, call.id, prior, clock.now());
    // Analysing in the same job saves a claim, a completion and an enqueue per call (the path
    // every webhook takes); the analysis skips an input it has already analysed, so a retry of
    // this job costs nothing twice.
    if (analyze) return analyze({ ...job, kind: ANALYZE_CALL_JOB, payload: { callId: call.id } });
    // Analysed once per distinct content: a redelivery adds nothing, a new transcript re-analyses.
    await queue.enqueue(
      {
        tenantId: job.tenantId,
        kind: ANALYZE_CALL_JOB,
        payload: { callId: call.id },
        dedupeKey: `${ANALYZE_CALL_JOB}:${call.id}:${call.contentHash}`,
      },
      clock.now(),
    );
  };
}
