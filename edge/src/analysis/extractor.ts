import { type CallDirection, type Signals } from '@callsight/shared';

/** One call as every extractor sees it. The transcript is already redacted (see `redactPii`). */
export interface CallInput {
  transcript: string | null;
  direction: CallDirection;
  answered: boolean;
  durationSeconds: number | null;
  /** When the call happened: relative dates ("before Thanksgiving", "next spring") count from it. */
  callDate: string | Date;
  /** The tenant's intent labels; the default home-services list when absent. */
  taxonomy?: readonly string[];
}

/**
 * Anything that turns a call into signals: the rules here, an LLM later (DESIGN §5). Both
 * return the same `Signals`, so scoring and storage never know which one ran.
 */
export interface SignalExtractor {
  readonly name: string;
  readonly version: string;
  extract(input: CallInput): Promise<Signals>;
}
