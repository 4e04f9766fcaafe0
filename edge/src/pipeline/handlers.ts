import type { JobHandler } from '../jobs/runner';
import { PROCESS_CALL_JOB } from '../ingest/ingest-webhook';
import { processCallHandler } from './process-call';
import { ANALYZE_CALL_JOB, analyzeCallHandler, type AnalyzeCallDeps } from './analyze-call';
import { SYNC_CALL_JOB, syncCallHandler, type SyncDeps } from '../sync/sync-call';

/** Every job kind of a stored call's pipeline, for the runners on Node and Workers. */
export function pipelineHandlers(
  deps: AnalyzeCallDeps & Pick<SyncDeps, 'rateLimits' | 'breakers' | 'breakerOptions'>,
): Record<string, JobHandler> {
  const { secrets } = deps;
  const analyze = analyzeCallHandler(deps);
  return {
    [PROCESS_CALL_JOB]: processCallHandler(deps.db, deps.clock, analyze),
    [ANALYZE_CALL_JOB]: analyze,
    ...(secrets ? { [SYNC_CALL_JOB]: syncCallHandler({ ...deps, secrets }) } : {}),
  };
}
