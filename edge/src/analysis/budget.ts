import { type Budget } from '@callsight/shared';
import { findNumbers, tokenize, type NumberPhrase } from './spoken-numbers';
import { isCallerSide, quote, type ParsedTranscript, type Sentence } from './transcript';

/**
 * The caller's own budget in USD. Prices the agent quotes, quotes from other companies, bills,
 * monthly payments, deposits and square footage are not a budget, even when the caller repeats
 * them ("the $14,500 one", "around eighteen hundred installed, that's fine").
 */

export interface BudgetResult {
  budget: Budget;
  evidence: string | null;
}

/** Words that make an amount the caller's budget. */
const budgetWords =
  /\b(budget|budgeted|spend|spending|afford|set aside|saved|savings|finance|financing|borrow|loan|approved for|up to|no more than|not more than|max|maximum|tops|willing to|comfortable|hoping to (be|stay|keep|spend)|keep it|closer to|thinking|figured|range|presupuesto|gastar|ahorrados)\b/;
/** Words that make an amount someone's price, not the caller's figure. */
const priceWords =
  /\b(quote|quoted|estimate|estimated|bid|charged|charge|paid|pay|payment|deposit|invoice|refund|bill|fee|fees|cost me|came in at|runs?|typically|usually|average|starts? at|packages?|per|each|installed|that's fine)\b/;
/** What follows a count, not an amount of money: "$280 a month", "200 square feet", "six weeks". */
const perUnitAfter =
  /^\s*(a|per|\/|each|every)\s*(month|mo|year|yr|week|square|sq|window|door|foot|ft|hour|visit)\b|^\s*-?\s*(monthly|yearly|annually|percent|%|square|sq|years?|months?|weeks?|days?|hours?|minutes?|gallons?|degrees|miles|calls|times|o'clock|am|pm|a\.m|p\.m|bedrooms?|bathrooms?|rooms?|windows?|doors?|kids|children|feet|foot|ft|inches|stor(y|ies)|people|units?|panels?|squares)\b/;
const maxOnly =
  /\b(under|below|less than|no more than|not more than|up to|at most|max|maximum|tops|cap|exceed|go over|stay under|keep it under)\s*(about|around|like|maybe)?\s*$/;
const minOnly = /\b(at least|north of|upwards of|over|more than|minimum|starting at)\s*(about|around|like|maybe)?\s*$/;
/** "don't want to spend more than five thousand" is a ceiling; "willing to spend more than" is a floor. */
const deniedMore = /(n't|\bnot|\bno|\bnever)\b[^.]*\b(more than|over)\s*(about|around|like|maybe)?\s*$/;
const maxAfter = /^\s*(max|maximum|tops|at the most|at most)\b/;
const rangeJoin = /^\s*(-?\s*ish|or so)?\s*,?\s*(-|–|to|and|or|through|maybe|maybe even|or maybe|y|a)\s*$/;

interface Amount {
  value: number;
  phrase: NumberPhrase;
  money: boolean;
}

function amountsIn(norm: string): Amount[] {
  const tokens = tokenize(norm);
  return findNumbers(norm, tokens).map((phrase) => ({
    value: phrase.value,
    phrase,
    money: phrase.currency || phrase.scaled,
  }));
}

/** "fifteen and twenty thousand", "30-40k", "seven, maybe eight grand": the unscaled end takes the other's scale. */
function joinRange(norm: string, a: Amount, b: Amount): [number, number] | null {
  const gap = norm.slice(a.phrase.end, b.phrase.start);
  if (!rangeJoin.test(gap)) return null;
  let low = a.value;
  let high = b.value;
  if (!a.money && b.money && b.value >= 1000) {
    const scale = b.value >= 1_000_000 && low < 1000 ? 1_000_000 : 1000;
    if (low < 1000) low *= scale;
  } else if (a.money && !b.money && a.value >= 1000 && high < 1000) {
    high *= a.value >= 1_000_000 ? 1_000_000 : 1000;
  } else if (!a.money && !b.money) {
    return null;
  }
  if (low <= 0 || high <= 0 || low > high || high > low * 4) return null;
  return [low, high];
}

interface Candidate {
  budget: Budget;
  priority: number;
  sentence: Sentence;
  focus: string;
}

function isThousandsTalk(parsed: ParsedTranscript): boolean {
  return parsed.sentences.some((s) => amountsIn(s.norm).some((a) => a.value >= 1000));
}

function candidatesIn(sentence: Sentence, previous: Sentence | undefined, thousandsTalk: boolean): Candidate[] {
  const norm = sentence.norm;
  const amounts = amountsIn(norm).filter((a) => !perUnitAfter.test(norm.slice(a.phrase.end, a.phrase.end + 16)));
  if (amounts.length === 0) return [];
  const stated = budgetWords.test(norm) || (!!previous && /\b(budget|spend|afford|presupuesto)\b/.test(previous.norm));
  const priced =
    priceWords.test(norm) ||
    (!stated && !!previous && /\b(cost|run|price|charge|how much)\b/.test(previous.norm) && previous.role !== 'agent');
  if (priced && !stated) return [];
  // Bare numbers count only as a budget's own words: "budget is like 20", "hoping to be around ten to twelve".
  const usable = amounts
    .map((a) => {
      if (a.money) return a;
      if (stated && thousandsTalk && a.value >= 3 && a.value < 1000)
        return { ...a, value: a.value * 1000, money: true };
      return { ...a, money: false };
    })
    .filter((a, i, all) => a.money || (all[i + 1]?.money ?? false) || (all[i - 1]?.money ?? false));
  const out: Candidate[] = [];
  const priority = stated ? 3 : 2;
  for (let i = 0; i < usable.length; i++) {
    const a = usable[i]!;
    const next = usable[i + 1];
    const range = next ? joinRange(norm, a, next) : null;
    const lead = norm.slice(Math.max(0, a.phrase.start - 40), a.phrase.start);
    const focus = norm.slice(a.phrase.start, (range ? next! : a).phrase.end);
    if (range) {
      out.push({ budget: { min: range[0], max: range[1] }, priority, sentence, focus });
      i++;
      continue;
    }
    if (!a.money || a.value < 100) continue;
    const tail = norm.slice(a.phrase.end, a.phrase.end + 16);
    if (maxOnly.test(lead) || maxAfter.test(tail) || deniedMore.test(lead))
      out.push({ budget: { min: null, max: a.value }, priority, sentence, focus });
    else if (minOnly.test(lead)) out.push({ budget: { min: a.value, max: null }, priority, sentence, focus });
    else out.push({ budget: { min: a.value, max: a.value }, priority, sentence, focus });
  }
  return out;
}

export function extractBudget(parsed: ParsedTranscript): BudgetResult {
  const thousandsTalk = isThousandsTalk(parsed);
  const candidates: Candidate[] = [];
  parsed.sentences.forEach((sentence, i) => {
    if (!isCallerSide(sentence)) return;
    candidates.push(...candidatesIn(sentence, parsed.sentences[i - 1], thousandsTalk));
  });
  if (candidates.length === 0) return { budget: { min: null, max: null }, evidence: null };
  const top = Math.max(...candidates.map((c) => c.priority));
  const best = candidates.find((c) => c.priority === top)!;
  return { budget: best.budget, evidence: quote(best.sentence, best.focus) };
}
