import { type Sentiment } from '@callsight/shared';
import { isNegated } from './context';
import { isCallerSide, quote, type ParsedTranscript, type Sentence } from './transcript';

/** The caller's mood, from words that carry one. Politeness ("thanks") is not enthusiasm. */

export interface SentimentResult {
  sentiment: Sentiment;
  evidence: string | null;
}

const positive =
  /\b(great|love|loved|perfect|awesome|excellent|wonderful|happy|excited|appreciate it|thank you so much|thanks so much|sounds great|looks great|fantastic|amazing|perfecto|excelente)\b/g;
const negative =
  /\b(frustrated|frustrating|annoyed|angry|upset|terrible|awful|horrible|ridiculous|unacceptable|disappointed|nightmare|worst|sick of|fed up|nobody (showed|called)|never showed|stop calling|never asked|scam|rude|waste of)\b/g;

export function extractSentiment(parsed: ParsedTranscript): SentimentResult {
  let score = 0;
  let strongest: { sentence: Sentence; weight: number } | null = null;
  for (const sentence of parsed.sentences.filter(isCallerSide)) {
    let here = 0;
    for (const m of sentence.norm.matchAll(positive))
      here += isNegated(sentence.norm, m.index, m.index + m[0].length) ? -1 : 1;
    here -= [...sentence.norm.matchAll(negative)].length;
    score += here;
    if (here !== 0 && (!strongest || Math.abs(here) > Math.abs(strongest.weight)))
      strongest = { sentence, weight: here };
  }
  if (score > 0) return { sentiment: 'positive', evidence: strongest ? quote(strongest.sentence) : null };
  if (score < 0) return { sentiment: 'negative', evidence: strongest ? quote(strongest.sentence) : null };
  return { sentiment: 'neutral', evidence: null };
}
