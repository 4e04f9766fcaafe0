// The analysis core's public surface: what jobs, routes and the CLI wire up.
export { analyzeTranscript, redactSignals, type AnalyzeOptions } from './analyze';
export { type CallInput, type SignalExtractor } from './extractor';
export { redactPii, redactionMarkers, type RedactionCounts, type RedactionResult } from './redact';
export { extractSignals, rulesExtractor, rulesExtractorVersion } from './rules-extractor';
export {
  defaultScoreWeights,
  mergeWeights,
  scoreLead,
  type CallMetadata,
  type CustomScoreRule,
  type LeadScore,
  type ScoreInput,
  type ScoreWeights,
  type ScoreWeightsOverride,
} from './score';
