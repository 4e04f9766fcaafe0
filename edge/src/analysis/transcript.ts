import { type CallDirection } from '@callsight/shared';

/**
 * A transcript as the extractors read it: sentences with the speaker's role. Sources write
 * speakers as "Agent:"/"Caller:" (CallRail), "Agent:"/"User:" (Retell), "Speaker 1:" or not at
 * all, so roles are guessed from what each speaker says when the label does not tell.
 */

export type SpeakerRole = 'agent' | 'caller' | 'unknown';

export interface Sentence {
  role: SpeakerRole;
  /** As written, for evidence quotes. */
  text: string;
  /** Lower-cased, fillers dropped, common speech-to-text splits joined: what patterns match. */
  norm: string;
  turn: number;
  index: number;
}

export interface ParsedTranscript {
  /** Speaker labels were found, so `role` is known for every sentence. */
  labelled: boolean;
  sentences: Sentence[];
  /** Words said, fillers and greetings aside: too few means there was no conversation. */
  contentWords: number;
  /** The same, on the caller's side only (all of them when there are no labels). */
  callerContentWords: number;
}

const agentLabels = new Set([
  'agent',
  'rep',
  'representative',
  'assistant',
  'ai',
  'bot',
  'csr',
  'receptionist',
  'operator',
  'staff',
  'sales',
  'advisor',
  'dispatcher',
  'office',
  'company',
  'business',
]);
const callerLabels = new Set([
  'caller',
  'user',
  'customer',
  'client',
  'homeowner',
  'prospect',
  'lead',
  'contact',
  'callee',
]);

const knownLabel =
  /(^|\n|[.!?]\s+)\s*(agent|rep|representative|assistant|ai|bot|csr|receptionist|operator|caller|user|customer|client|homeowner|prospect|callee|speaker\s?[0-9a-z])\s*:\s*/gi;

/** What a business says and a caller does not: greetings, offers, confirmations, quotes. */
const agentCues =
  /\b(thank(s| you) for calling|how (can|may) i help|this is \w+( \w+)? (from|with)\b|we (can|could) (have|get|send|do|come|be)\b|our (consultant|designer|estimator|technician|crew|team|advisor|project manager|records)|typically runs?|usually (runs?|costs?)|(you're|you are) (all set|booked|scheduled|rescheduled|on the)|i('ll| will) (have|send|email|put you|check back|follow up)|let me (check|get|pull)|no (sir|ma'am)|we're a \w+ company|gracias por llamar)/;

const fillers = /\b(u+m+|u+h+m*|e+r+m+|hm+|mm+|uh-huh)\b[,.]?\s*/g;

const sttFixes: ReadonlyArray<[RegExp, string]> = [
  [/[’‘]/g, "'"],
  [/\bbath rooms?\b/g, 'bathroom'],
  [/\bcounter tops?\b/g, 'countertops'],
  [/\bup stairs\b/g, 'upstairs'],
  [/\bdown stairs\b/g, 'downstairs'],
  [/\b(a\/c|a c)\b/g, 'ac'],
  [/\b(h vac|h v a c|h-vac)\b/g, 'hvac'],
  [/\bwont\b/g, "won't"],
  [/\bdont\b/g, "don't"],
  [/\bcant\b/g, "can't"],
  [/\btheres\b/g, "there's"],
  [/\bim\b/g, "i'm"],
  [/\bive\b/g, "i've"],
  [/\bwe'd\b/g, 'we would'],
  [/\bi'd\b/g, 'i would'],
  [/\bgonna\b/g, 'going to'],
  [/\bwanna\b/g, 'want to'],
  [/\bgotta\b/g, 'got to'],
  [/\bkinda\b/g, 'kind of'],
  [/\boclock\b/g, "o'clock"],
];

export function normalizeSpeech(text: string): string {
  let s = text.toLowerCase();
  for (const [re, to] of sttFixes) s = s.replace(re, to);
  s = s.replace(
    /\b(didnt|doesnt|isnt|arent|wasnt|werent|wouldnt|couldnt|shouldnt|havent|hasnt)\b/g,
    (m) => m.slice(0, -2) + "n't",
  );
  s = s.replace(fillers, '');
  // Stutters: "and and", "the the".
  s = s.replace(/\b(\w+)(\s+\1\b)+/g, '$1');
  return s.replace(/\s+/g, ' ').trim();
}

interface RawTurn {
  label: string | null;
  text: string;
}

function splitTurns(transcript: string): RawTurn[] {
  const text = transcript.replace(/\r\n?/g, '\n').trim();
  const known = [...text.matchAll(knownLabel)];
  if (known.length > 0 && known[0]!.index === 0) {
    const turns: RawTurn[] = [];
    for (let i = 0; i < known.length; i++) {
      const m = known[i]!;
      const bodyStart = m.index + m[0].length;
      const bodyEnd = i + 1 < known.length ? known[i + 1]!.index + known[i + 1]![1]!.length : text.length;
      turns.push({ label: m[2]!.toLowerCase().replace(/\s+/g, ' '), text: text.slice(bodyStart, bodyEnd).trim() });
    }
    return turns;
  }
  // Names as labels ("Dana: ...", "John Smith: ..."): only when most lines carry one.
  const lines = text.split('\n').filter((l) => l.trim());
  const named = lines.map((l) => /^\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?)\s*:\s+(.*)$/.exec(l));
  const names = new Set(named.filter((m) => m).map((m) => m![1]!.toLowerCase()));
  if (lines.length >= 2 && named.filter((m) => m).length >= lines.length * 0.6 && names.size <= 4) {
    const turns: RawTurn[] = [];
    lines.forEach((line, i) => {
      const m = named[i];
      if (m) turns.push({ label: m[1]!.toLowerCase(), text: m[2]!.trim() });
      else if (turns.length) turns[turns.length - 1]!.text += ' ' + line.trim();
    });
    return turns;
  }
  return [{ label: null, text }];
}

/** Which labels are the business: known names first, then who sounds like the business. */
function rolesOf(turns: RawTurn[], direction: CallDirection): Map<string, SpeakerRole> {
  const roles = new Map<string, SpeakerRole>();
  const unresolved: string[] = [];
  for (const { label } of turns) {
    if (label === null || roles.has(label) || unresolved.includes(label)) continue;
    if (agentLabels.has(label)) roles.set(label, 'agent');
    else if (callerLabels.has(label)) roles.set(label, 'caller');
    else unresolved.push(label);
  }
  if (unresolved.length === 0) return roles;
  const agentScore = new Map<string, number>();
  for (const { label, text } of turns) {
    if (label === null || !unresolved.includes(label)) continue;
    const cues = normalizeSpeech(text).match(new RegExp(agentCues.source, 'g'))?.length ?? 0;
    agentScore.set(label, (agentScore.get(label) ?? 0) + cues);
  }
  const hasAgent = [...roles.values()].includes('agent');
  const ranked = [...unresolved].sort((a, b) => (agentScore.get(b) ?? 0) - (agentScore.get(a) ?? 0));
  const best = ranked[0]!;
  const tie = ranked.length > 1 && agentScore.get(best) === agentScore.get(ranked[1]!);
  // With no cue either way: the business answers an inbound call, the callee answers an outbound one.
  const firstSpeaker = turns.find((t) => t.label !== null && unresolved.includes(t.label))!.label!;
  const agent = hasAgent
    ? null
    : tie
      ? direction === 'inbound'
        ? firstSpeaker
        : ranked.find((l) => l !== firstSpeaker)
      : best;
  for (const label of unresolved) roles.set(label, label === agent ? 'agent' : 'caller');
  return roles;
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const noContent = /^(hello|hi|hey|yes|yeah|no|ok|okay|bye|goodbye|um|uh|hm+|oh|sorry|silence|inaudible|the|a)$/;

export function parseTranscript(transcript: string | null, direction: CallDirection): ParsedTranscript {
  if (!transcript || !transcript.trim())
    return { labelled: false, sentences: [], contentWords: 0, callerContentWords: 0 };
  const turns = splitTurns(transcript);
  const labelled = turns.some((t) => t.label !== null);
  const roles = rolesOf(turns, direction);
  const sentences: Sentence[] = [];
  let contentWords = 0;
  let callerContentWords = 0;
  turns.forEach((turn, t) => {
    const role: SpeakerRole = turn.label === null ? 'unknown' : (roles.get(turn.label) ?? 'unknown');
    for (const text of splitSentences(turn.text)) {
      const norm = normalizeSpeech(text);
      const words = norm.split(/[^a-z0-9'áéíóúñ]+/).filter((w) => w && !noContent.test(w)).length;
      contentWords += words;
      if (role !== 'agent') callerContentWords += words;
      sentences.push({ role, text, norm, turn: t, index: sentences.length });
    }
  });
  return { labelled, sentences, contentWords, callerContentWords };
}

/** An unlabelled sentence that reads like the business talking (greeting, quote, confirmation). */
export function soundsLikeAgent(sentence: Sentence): boolean {
  if (sentence.role !== 'unknown') return sentence.role === 'agent';
  return agentCues.test(sentence.norm);
}

/** The customer's side: labelled caller lines, or unlabelled lines that do not sound like the business. */
export function isCallerSide(sentence: Sentence): boolean {
  if (sentence.role === 'caller') return true;
  if (sentence.role === 'agent') return false;
  return !agentCues.test(sentence.norm);
}

/** Trim a sentence to a quote of at most `max` characters around `focus` (a lower-cased phrase). */
export function quote(sentence: Sentence, focus?: string, max = 200): string {
  const text = sentence.text.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const at = focus ? Math.max(0, text.toLowerCase().indexOf(focus)) : 0;
  let start = Math.max(0, at - Math.floor(max / 3));
  start = start === 0 ? 0 : text.indexOf(' ', start) + 1;
  let end = Math.min(text.length, start + max);
  if (end < text.length) end = text.lastIndexOf(' ', end);
  return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
}
