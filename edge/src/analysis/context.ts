/**
 * Is a mention meant? "We're not looking to redo the kitchen", "my neighbor had you do their
 * roof", "we did the kitchen last year", "solar eventually": the word is there, the project is
 * not. These look at the clause around a match in normalised text (see `normalizeSpeech`).
 */

/** Where a clause starts and ends around `at`: punctuation and the words that turn a sentence. */
export function clauseBounds(norm: string, at: number, end = at): { start: number; end: number } {
  const breaker =
    /[.,;:!?¿¡—]|\b(but|however|although|though|instead|actually|so|because|except|pero|and (now|then|we|i|it|they|he|she))\b/g;
  let start = 0;
  let stop = norm.length;
  for (const m of norm.matchAll(breaker)) {
    if (m.index + m[0].length <= at) start = m.index + m[0].length;
    else if (m.index >= end) {
      stop = m.index;
      break;
    }
  }
  return { start, end: stop };
}

const negators =
  /\b(not|never|no longer|don't|doesn't|didn't|won't|wouldn't|isn't|aren't|wasn't|weren't|no need|no plans?|nothing|without|rather than|instead of|other than|no queremos|no quiero|no necesito|no necesitamos)\b/g;
/** Negation words that do not deny the project that follows them. */
const notDenials =
  /\b(not sure|not certain|don't know|didn't know|not only|not just|can't wait|can't afford|doesn't matter|don't mind|wouldn't mind|not too|not that|won't (drain|work|turn|start|stop|close|open|cool|heat|flush)|didn't (work|help))\b/;
/** "The kitchen's fine", "our roof is only three years old". */
const deniedAfter =
  /^('s|\s+(is|are|was|were))\s+(still\s+|totally\s+|perfectly\s+|actually\s+|pretty\s+)?(fine|ok|okay|good|great|new|brand new|in good shape|in great shape|only \w+ years? old|not the (problem|issue))\b/;

/** The mention at [start, end) is denied: "not looking to redo the kitchen", "the kitchen's fine". */
export function isNegated(norm: string, start: number, end: number): boolean {
  const clause = clauseBounds(norm, start, end);
  const lead = norm.slice(Math.max(clause.start, start - 45), start);
  const hits = [...lead.matchAll(negators)];
  if (hits.length > 0) {
    const last = hits[hits.length - 1]!;
    const phrase = lead.slice(last.index, last.index + 25);
    if (!notDenials.test(phrase)) return true;
  }
  return deniedAfter.test(norm.slice(end, clause.end));
}

// Verbs of finished work, not times: "stopped working last night" is a problem still there,
// "we remodeled our kitchen last year" is work done.
const pastCues =
  /\b((did|redid|remodeled|renovated|installed|replaced|finished|built|put in|put on|redone) (our|my|their|the|his|her|a|new|it)|had (it|them|the \w+|\w+ \w+|new \w+) (done|put|installed|replaced|redone)|just (had|got|put|did|finished|replaced|redid|remodeled)|already (had|did|got|replaced|redid|have|done)|(was|were) (done|installed|replaced|finished|redone)|(years?|months?) ago)\b/;
const futureCues =
  /\b(want|wanna|need|needs|would like|looking (to|for|at)|going to|plan|planning|hoping|hope|thinking|interested|now|next|this time|quiero|queremos|necesito)\b/;

/** Work that already happened: "we remodeled our kitchen last year", "you installed our furnace". */
export function isPastWork(norm: string, start: number, end: number): boolean {
  const clause = clauseBounds(norm, start, end);
  const text = norm.slice(clause.start, clause.end);
  return pastCues.test(text) && !futureCues.test(text);
}

const thirdParty =
  /\b(neighbou?rs?|friends?|co-?workers?|someone else|saw (your|an|the) (ad|flyer|mailer|commercial|sign|truck|post)|(ad|ads|flyer|mailer|postcard|commercial)\b[^.]{0,30}\b(about|for))\b/;

/** Someone else's project, or the company's own advertising: "my neighbor's roof", "your ad about kitchens". */
export function isThirdPartyMention(norm: string, start: number, end: number): boolean {
  const clause = clauseBounds(norm, start, end);
  return thirdParty.test(norm.slice(clause.start, clause.end));
}

const somedayCues =
  /\b(eventually|someday|some day|down the road|at some point|maybe later|later on|in the future|one day|algún día)\b/;

/** A wish for later, not the call's project: "we're thinking about solar eventually". */
export function isSomeday(norm: string, start: number, end: number): boolean {
  const clause = clauseBounds(norm, start, end);
  return somedayCues.test(norm.slice(clause.start, clause.end));
}

const projectCues =
  /\b(want|wanna|need|needs|looking (to|for|at|into)|interested in|thinking (about|of)|quote|estimate|replace|replaced|replacing|remodel|remodeling|redo|redone|redoing|install|installed|fix|fixed|repair|update|upgrade|new|calling about|leak|leaking|broken|build|rebuilt|rebuild|finish|tear|quiero|queremos|necesito|necesitamos|remodelar|cambiar|reparar|instalar)\b/;

/** The clause asks for the work: "we want to", "need a new", "quote on". */
export function hasProjectCue(norm: string, start: number, end: number): boolean {
  const clause = clauseBounds(norm, start, end);
  return projectCues.test(norm.slice(clause.start, clause.end));
}

const focusCues =
  /\b(what (i|we) (actually |really )?need|actually need|first (we|i) need|calling about|it's (our|my|the)|it is (our|my|the))\b/;

/** The caller singles this project out: "what I actually need is", "it's our upstairs bathroom". */
export function isFocus(norm: string, start: number): boolean {
  return focusCues.test(norm.slice(Math.max(0, start - 40), start));
}
