import type { Clock } from '../clock';
import { CallRepo } from '../db/repos/calls';
import type { Db } from '../db/client';
import type { JobHandler } from '../jobs/runner';
import { PermanentJobError } from '../jobs/queue';

/**
 * The `process_call` job: enriches a stored call with what only our own history knows (is this
 * the number's first call, how many came before) and marks it `received`. The analysis issue
 * hands over from here.
 */
export function processCallHandler(db: Db, clock: Clock): JobHandler {
  const calls = new CallRepo(db);
  return async (job) => {
    const callId = job.payload.callId;
    if (typeof callId !== 'string') throw new PermanentJobError('payload.callId is missing');
    const call = await calls.get(job.tenantId, callId);
    if (!call) throw new PermanentJobError(`call ${callId} does not exist`);
    const prior = await calls.priorCallCount(job.tenantId, call);
    await calls.markReceived(job.tenantId, call.id, prior, clock.now());
  };
}
