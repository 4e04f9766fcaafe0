import type { JobHandler } from '../jobs/runner';
import { PROCESS_CALL_JOB } from '../ingest/ingest-webhook';
import { processCallHandler } from './process-call';
import { ANALYZE_CALL_JOB, analyzeCallHandler, type AnalyzeCallDeps } from './analyze-call';

/** Every job kind of a stored call's pipeline, for the runners on Node and Workers. */
export function pipelineHandlers(deps: AnalyzeCallDeps): Record<string, JobHandler> {
  return {
    [PROCESS_CALL_JOB]: processCallHandler(deps.db, deps.clock),
    [ANALYZE_CALL_JOB]: analyzeCallHandler(deps),
  };
}
