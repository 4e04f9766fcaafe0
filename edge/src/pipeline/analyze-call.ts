import type { Analysis, CallOutcome } from '@callsight/shared';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import { CallRepo, type CallRow } from '../db/repos/calls';
import { AnalysisRepo } from '../db/repos/analyses';
import { analyzeTranscript, redactPii, rulesExtractor, type SignalExtractor } from '../analysis';
import type { Transcriber } from '../analysis/transcriber';
import { sha256Hex } from '../auth/digest';
import type { JobHandler } from '../jobs/runner';
import { PermanentJobError } from '../jobs/queue';
import type { Logger } from '../log';
import { ScoringSettingsRepo, type EffectiveScoring } from './scoring-settings';
import type { SecretBox } from '../auth/secret-box';
import type { FetchLike } from '../crm/connection';
import { enqueueSyncs } from '../sync/enqueue';

export const ANALYZE_CALL_JOB = 'analyze_call';

export interface AnalyzeCallDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** The LLM extractor when one is configured; the rules extractor otherwise. */
  extractor?: SignalExtractor & { modelId?: string };
  /** Only on Workers (Whisper is remote-only). */
  transcriber?: Transcriber;
  /** Opens CRM secrets: with it, analysed calls are synced to every connected CRM. */
  secrets?: SecretBox;
  /** How CRM adapters reach their APIs (the sandboxes locally and in tests). */
  crmFetch?: FetchLike;
}

/** What an analysis depends on: the same inputs are not analysed twice unless someone asks. */
async function inputHash(call: CallRow, scoring: EffectiveScoring, extractor: SignalExtractor): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      call.transcript,
      call.direction,
      call.outcome,
      call.durationSeconds,
      call.firstCall,
      call.priorCalls,
      scoring,
      extractor.name,
      extractor.version,
    ]),
  );
}

/** Runs the same analysis the job does, for one stored call. */
export async function analyzeStoredCall(
  call: CallRow,
  scoring: EffectiveScoring,
  extractor: SignalExtractor,
  notes: string[] = [],
): Promise<Analysis> {
  const analysis = await analyzeTranscript(
    {
      transcript: call.transcript,
      direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
      answered: call.outcome === 'answered',
      durationSeconds: call.durationSeconds,
      callDate: new Date(call.startedAt ?? call.createdAt),
      taxonomy: scoring.taxonomy,
    },
    {
      extractor,
      weights: scoring.override,
      rules: scoring.rules,
      call: {
        outcome: call.outcome as CallOutcome,
        firstCall: call.firstCall,
        priorCalls: call.priorCalls,
        source: call.attribution.sourceName ?? call.source,
      },
    },
  );
  return { ...analysis, notes: [...analysis.notes, ...notes] };
}

/**
 * The `analyze_call` job: (transcribe) → redact → extract → score → store a new analysis
 * version and its headline on the call. Runs after `process_call`, again when a transcript
 * arrives or changes, and when a manager asks for it (`force`).
 */
export function analyzeCallHandler(deps: AnalyzeCallDeps): JobHandler {
  const calls = new CallRepo(deps.db);
  const analyses = new AnalysisRepo(deps.db);
  const settings = new ScoringSettingsRepo(deps.db);
  const extractor = deps.extractor ?? rulesExtractor;
  return async (job) => {
    const callId = job.payload.callId;
    if (typeof callId !== 'string') throw new PermanentJobError('payload.callId is missing');
    let call = await calls.get(job.tenantId, callId);
    if (!call) throw new PermanentJobError(`call ${callId} does not exist`);

    const notes: string[] = [];
    if (!call.transcript && call.recordingUrl) {
      if (!deps.transcriber) {
        notes.push(
          'The recording was not transcribed here (transcription runs on Workers AI): scored from call metadata.',
        );
      } else {
        try {
          const text = await deps.transcriber.transcribe(call.recordingUrl);
          if (text) {
            await calls.setTranscript(job.tenantId, call.id, redactPii(text).text, deps.clock.now());
            call = (await calls.get(job.tenantId, callId)) ?? call;
            notes.push(`Transcribed from the recording by ${deps.transcriber.modelId}.`);
          }
        } catch (e) {
          notes.push(
            `Transcription failed (${e instanceof Error ? e.message : String(e)}): scored from call metadata.`,
          );
        }
      }
    }

    const scoring = await settings.get(job.tenantId);
    const hash = await inputHash(call, scoring, extractor);
    const latest = await analyses.latest(job.tenantId, call.id);
    if (latest && latest.inputHash === hash && job.payload.force !== true) return;

    const started = Date.now();
    const analysis = await analyzeStoredCall(call, scoring, extractor, notes);
    const latencyMs = Date.now() - started;
    const usedLlm = analysis.extractor.name === extractor.name && extractor !== rulesExtractor;
    await analyses.save(
      job.tenantId,
      call.id,
      analysis,
      {
        extractor: analysis.extractor.name,
        extractorVersion: analysis.extractor.version,
        model: usedLlm ? (deps.extractor?.modelId ?? null) : null,
        latencyMs,
        inputHash: hash,
      },
      deps.clock.now(),
    );
    deps.log.info('call analyzed', { tenant: job.tenantId, call: call.id, score: analysis.leadScore, ms: latencyMs });
    // Only where the sync job can run (it needs the secrets): otherwise the jobs would die unhandled.
    if (deps.secrets) {
      const saved = await analyses.latest(job.tenantId, call.id);
      await enqueueSyncs(deps.db, job.tenantId, call.id, saved?.version ?? null, deps.clock.now());
    }
  };
}
