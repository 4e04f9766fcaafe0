import { type CallDirection, type Signals } from '@callsight/shared';
import { extractSignals } from '../../src/analysis/rules-extractor';

export const kitchenExample =
  "Hi, I'm interested in remodeling my kitchen. I've been thinking about it for a while and I'm ready to get some estimates. The kitchen is about 200 square feet and I'm looking to do this in the next 2-3 months. My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?";

export interface CallOptions {
  direction?: CallDirection;
  answered?: boolean;
  callDate?: string;
  taxonomy?: readonly string[];
}

/** Rules signals for a transcript on an answered inbound call, 2026-03-02 unless told. */
export function signalsOf(transcript: string, options: CallOptions = {}): Signals {
  return extractSignals({
    transcript,
    direction: options.direction ?? 'inbound',
    answered: options.answered ?? true,
    durationSeconds: 120,
    callDate: options.callDate ?? '2026-03-02',
    taxonomy: options.taxonomy,
  });
}
