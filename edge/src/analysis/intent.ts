import { type CallDirection, type Intent } from '@callsight/shared';
import { hasProjectCue, isFocus, isNegated, isPastWork, isSomeday, isThirdPartyMention } from './context';
import { intentLexicon, termsForLabel, type IntentTerm } from './intent-lexicon';
import { quote, soundsLikeAgent, type ParsedTranscript, type Sentence } from './transcript';

/**
 * Which project the call is about. Every mention counts for its project, weighted by who said
 * it (agents list services) and how (denied, past, someone else's, someday, or asked for).
 * The project with the most weight wins; below a floor, there is none.
 */

export interface IntentMention {
  intent: string;
  weight: number;
  sentence: Sentence;
  match: string;
  past: boolean;
  /** Someone else's project or the company's ad: "my neighbor got solar", "your mailer about baths". */
  secondHand: boolean;
}

export interface IntentResult {
  intent: Intent;
  /** The winner's weight; 0 for none. */
  confidence: number;
  evidence: string | null;
  /** Projects other than the winner that the caller also wants (weight ≥ the floor). */
  others: string[];
  /** The winner's mentions were all about work already done (existing customers). */
  pastOnly: boolean;
  mentions: IntentMention[];
}

/** Below this weight a mention is noise: one agent word, one "tile". */
export const intentFloor = 0.6;

function lexiconFor(taxonomy: readonly string[]): Record<string, readonly IntentTerm[]> {
  const out: Record<string, readonly IntentTerm[]> = {};
  for (const [intent, terms] of Object.entries(intentLexicon)) out[intent] = terms;
  for (const label of taxonomy) {
    if (label === 'none' || label in out) continue;
    out[label] = termsForLabel(label);
  }
  return out;
}

/**
 * Callers say what they want; agents answering the phone list what they sell. On an outbound
 * call the agent names the lead's own project ("following up on your bathroom quote"), so it
 * counts for more there.
 */
function roleFactor(sentence: Sentence, direction: CallDirection): number {
  const agent = direction === 'outbound' ? 0.7 : 0.4;
  if (sentence.role === 'caller') return 1.5;
  if (sentence.role === 'agent') return agent;
  return soundsLikeAgent(sentence) ? agent : 1;
}

export function mentionsIn(
  parsed: ParsedTranscript,
  taxonomy: readonly string[],
  direction: CallDirection,
): IntentMention[] {
  const mentions: IntentMention[] = [];
  const lexicon = lexiconFor(taxonomy);
  for (const sentence of parsed.sentences) {
    const norm = sentence.norm;
    for (const [intent, terms] of Object.entries(lexicon)) {
      for (const term of terms) {
        for (const m of norm.matchAll(term.re)) {
          const start = m.index;
          const end = start + m[0].length;
          let weight = term.weight * roleFactor(sentence, direction);
          const past = isPastWork(norm, start, end);
          const secondHand = isThirdPartyMention(norm, start, end);
          // A denied mention counts against its project, but less than a wanted one counts for it:
          // "not the windows, a new front door" is still a windows-and-doors call.
          if (!term.symptom && isNegated(norm, start, end)) weight = -0.5 * weight;
          else if (past || secondHand) weight *= 0.15;
          else if (isSomeday(norm, start, end)) weight *= 0.35;
          else {
            if (hasProjectCue(norm, start, end)) weight *= 1.4;
            if (isFocus(norm, start)) weight *= 1.5;
          }
          mentions.push({ intent, weight, sentence, match: m[0].trim(), past, secondHand });
        }
      }
    }
  }
  return mentions;
}

function totals(mentions: IntentMention[], include: (m: IntentMention) => boolean): Map<string, number> {
  const sums = new Map<string, number>();
  for (const m of mentions) if (include(m)) sums.set(m.intent, (sums.get(m.intent) ?? 0) + m.weight);
  return sums;
}

/** The heaviest project; on a tie, a named project beats `other_project`. */
function best(sums: Map<string, number>): [string, number] | null {
  let top: [string, number] | null = null;
  for (const entry of sums) {
    if (!top || entry[1] > top[1] || (entry[1] === top[1] && top[0] === 'other_project')) top = entry;
  }
  return top;
}

/** A label outside the tenant's list is still a project: `other_project` when the list has it. */
function inTaxonomy(intent: string, taxonomy: readonly string[]): Intent {
  if (taxonomy.includes(intent)) return intent;
  return taxonomy.includes('other_project') ? 'other_project' : 'none';
}

export function extractIntent(
  parsed: ParsedTranscript,
  taxonomy: readonly string[],
  direction: CallDirection = 'inbound',
): IntentResult {
  const mentions = mentionsIn(parsed, taxonomy, direction);
  const sums = totals(mentions, () => true);
  const top = best(sums);
  if (top && top[1] >= intentFloor) {
    const [intent, confidence] = top;
    const own = mentions.filter((m) => m.intent === intent && m.weight > 0).sort((a, b) => b.weight - a.weight);
    const others = [...sums].filter(([i, w]) => i !== intent && w >= intentFloor).map(([i]) => i);
    return {
      intent: inTaxonomy(intent, taxonomy),
      confidence,
      evidence: own[0] ? quote(own[0].sentence, own[0].match.toLowerCase()) : null,
      others,
      pastOnly: own.every((m) => m.past),
      mentions,
    };
  }
  return { intent: 'none', confidence: 0, evidence: null, others: [], pastOnly: false, mentions };
}

/**
 * A caller who names no project of their own but mentions one second-hand ("I got your mailer
 * about bathroom remodels, call me tomorrow", "my neighbor just got solar") is calling about it.
 */
export function intentOfSecondHand(result: IntentResult, taxonomy: readonly string[]): IntentResult {
  if (result.intent !== 'none') return result;
  const top = best(totals(result.mentions, (m) => m.secondHand && m.weight > 0));
  if (!top) return result;
  const own = result.mentions.filter((m) => m.intent === top[0] && m.secondHand);
  return {
    ...result,
    intent: inTaxonomy(top[0], taxonomy),
    confidence: top[1],
    evidence: own[0] ? quote(own[0].sentence, own[0].match.toLowerCase()) : null,
  };
}

/**
 * Existing customers talk about work already done ("you replaced our roof and now there's a leak
 * over the kitchen"): that work is what the call is about, even though a new lead's mention of
 * it would not count.
 */
export function intentOfPastWork(result: IntentResult, taxonomy: readonly string[]): IntentResult {
  const undiscounted = totals(result.mentions, (m) => m.past && m.weight > 0);
  const top = best(undiscounted);
  if (!top) return result;
  const own = result.mentions.filter((m) => m.intent === top[0] && m.past);
  return {
    ...result,
    intent: inTaxonomy(top[0], taxonomy),
    confidence: top[1],
    evidence: own[0] ? quote(own[0].sentence, own[0].match.toLowerCase()) : null,
    pastOnly: true,
  };
}
