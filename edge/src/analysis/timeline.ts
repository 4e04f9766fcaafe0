import { type Timeline } from '@callsight/shared';
import {
  addDays,
  daysPerMonth,
  monthNames,
  monthsBetween,
  nextOccasion,
  occasions,
  seasonOf,
  seasonWindow,
  utcDate,
} from './calendar';
import { clauseBounds, isNegated, isPastWork } from './context';
import { findNumbers, tokenize } from './spoken-numbers';
import { isCallerSide, quote, type ParsedTranscript, type Sentence } from './transcript';

/**
 * When the caller wants the work done, as a bucket counted from the call's day. A deadline
 * ("before Thanksgiving") means work finishing about two weeks before it; a lower bound ("after
 * the holidays") only counts when nothing more precise was said. Dates that schedule the
 * estimate visit or a call back are not the project's timeline.
 */

export interface TimelineResult {
  timeline: Timeline;
  evidence: string | null;
  /** Months from the call to the target, when a date or duration was said. */
  months: number | null;
}

interface Candidate {
  months: number;
  priority: number;
  sentence: Sentence;
  match: string;
}

export function bucketFor(months: number): Timeline {
  if (months <= 0.5) return 'immediate';
  if (months <= 3.25) return '1-3_months';
  if (months <= 6.25) return '3-6_months';
  return '6+_months';
}

/** Booking or moving a call or an appointment, or the caller coming to the showroom: never the project's date. */
const scheduling =
  /\b(call (me|you|us)|call back|calling back|appointment|reschedule|move it|confirm|stop by|come in|showroom|visit (you|your))\b/;
/** Asking for someone to come out: a date here says how soon, but a project date said elsewhere wins. */
const visitRequest =
  /\b(consultation|assessment|measure|estimate|inspection|come (out|by|over|take|look)|look at it|get someone out|somebody out|someone out to)\b/;

const asap =
  /\b(asap|a s a p|as soon as (possible|we can|you can)|right away|immediately|urgent(ly)?|emergency|today|tonight|tomorrow|this week(end)?|next (week|few days|couple (of )?days)|within (a|the|one) week|lo antes posible|de inmediato|urgente|hoy)\b/g;

const deadlineWords = /\b(before|by|until|till|til|no later than|ahead of|in time for|antes de|para)\b/;
const lowerBoundWords = /\b(after|once|following|después|despues)\b/;

const unitMonths: Readonly<Record<string, number>> = {
  day: 1 / daysPerMonth,
  days: 1 / daysPerMonth,
  week: 7 / daysPerMonth,
  weeks: 7 / daysPerMonth,
  month: 1,
  months: 1,
  year: 12,
  years: 12,
  días: 1 / daysPerMonth,
  dias: 1 / daysPerMonth,
  semanas: 7 / daysPerMonth,
  meses: 1,
  mes: 1,
  años: 12,
  año: 12,
};

const vagueQuantities: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  couple: 2,
  'a couple': 2,
  'a couple of': 2,
  'couple of': 2,
  few: 3,
  'a few': 3,
  several: 4,
  'half a': 0.5,
};

/** "next 2-3 months", "in a couple of weeks", "three or four weeks", "a year or two out", "en dos meses". */
function durations(norm: string): Array<{ months: number; start: number; end: number }> {
  const out: Array<{ months: number; start: number; end: number }> = [];
  const unit = String.raw`(days?|weeks?|months?|years?|días|dias|semanas|mes|meses|años?)`;
  const lead = String.raw`\b(in|within|over|next|en|dentro de)( the)?( next)?( (like|about|around|maybe|roughly|approximately|say))?\s+`;
  const quantity = String.raw`((?:\d+|[a-z]+)(?:\s*(?:-|–|to|or|o)\s*(?:\d+|[a-z]+))?|a couple( of)?|couple( of)?|a few|few|several|half a)`;
  const re = new RegExp(
    `${lead}${quantity}\\s+${unit}\\b|\\b${quantity}\\s+${unit}\\s+(out|from now)\\b|\\b(a|one)\\s+${unit}\\s+or\\s+two\\b`,
    'g',
  );
  for (const m of norm.matchAll(re)) {
    const text = m[0];
    const unitWord =
      /(days?|weeks?|months?|years?|días|dias|semanas|mes|meses|años?)(?=\s+(out|from now|or two)\b|$)/.exec(text);
    if (!unitWord) continue;
    const perUnit = unitMonths[unitWord[1]!] ?? 0;
    const before = text.slice(0, unitWord.index);
    let count: number | null = null;
    if (/\bor two\b/.test(text)) count = 2;
    for (const [phrase, value] of Object.entries(vagueQuantities)) {
      if (new RegExp(`(^|\\s)${phrase}\\s*$`).test(before)) count = Math.max(count ?? 0, value);
    }
    const numbers = findNumbers(before, tokenize(before)).map((n) => n.value);
    if (numbers.length) count = Math.max(count ?? 0, ...numbers);
    if (count === null || count <= 0 || count > 60) continue;
    if (/\b(business|working) days?\b/.test(norm.slice(m.index, m.index + text.length + 10))) continue;
    out.push({ months: count * perUnit, start: m.index, end: m.index + text.length });
  }
  return out;
}

function monthTarget(from: Date, month: number, part: string): Date {
  const day = /early|beginning|start|first/.test(part) ? 5 : /late|end/.test(part) ? 28 : 15;
  const date = utcDate(from.getUTCFullYear(), month, day);
  return date.getTime() >= from.getTime() ? date : utcDate(from.getUTCFullYear() + 1, month, day);
}

interface DateMention {
  target: Date;
  start: number;
  end: number;
  /** Said at the level of a year ("next year"): less precise than a month or a season. */
  coarse: boolean;
}

function dateMentions(norm: string, from: Date): DateMention[] {
  const out: DateMention[] = [];
  const year = from.getUTCFullYear();
  const months = Object.keys(monthNames).join('|');
  const monthRe = new RegExp(
    String.raw`\b(in|by|before|after|until|till|til|around|early|late|mid|end of|beginning of|start of|first of|middle of|this|next|come|en|para|antes de|después de)\s+(the )?(early |late |mid-?|end of |beginning of )?(${months})\b|\b(${months})\s+\d{1,2}(st|nd|rd|th)?\b`,
    'g',
  );
  for (const m of norm.matchAll(monthRe)) {
    const name = m[4] ?? m[5]!;
    if (name === 'may' && /^(this|come|next)\b/.test(m[0])) continue;
    out.push({
      target: monthTarget(from, monthNames[name]!, m[0]),
      start: m.index,
      end: m.index + m[0].length,
      coarse: false,
    });
  }
  const seasonRe =
    /\b(this|next|the|in the|by the|before( the)?|after( the)?|early|late|until|over the|come|end of( the)?|(en|para|antes de|después de|despues de) (la|el)|(antes|después|despues) del|este|esta)\s+(?<season>spring|springtime|summer|summertime|fall|autumn|winter|primavera|verano|otoño|invierno)\b/g;
  for (const m of norm.matchAll(seasonRe)) {
    const season = seasonOf(m.groups!.season!)!;
    const window = seasonWindow(from, season);
    let target: Date;
    if (/^(after|después|despues)/.test(m[0])) {
      // "after the summer": from the day it ends.
      target = window.end;
    } else if (window.current && !/^next\b/.test(m[0])) {
      target = new Date((from.getTime() + window.end.getTime()) / 2);
    } else {
      const start = window.current ? addDays(window.start, 365) : window.start;
      // "before summer" ends where summer starts; "this summer" is well into it.
      target = /^(before|by|until|antes)/.test(m[0])
        ? start
        : /^(late|end of)/.test(m[0])
          ? addDays(start, 60)
          : addDays(start, 30);
    }
    out.push({ target, start: m.index, end: m.index + m[0].length, coarse: false });
  }
  for (const [re, yearly] of occasions) {
    for (const m of norm.matchAll(new RegExp(re.source, 'g'))) {
      out.push({ target: nextOccasion(from, yearly), start: m.index, end: m.index + m[0].length, coarse: false });
    }
  }
  const relative: ReadonlyArray<[RegExp, () => Date, boolean]> = [
    [/\bnext month\b/, () => addDays(from, 30), false],
    [/\b(this month|end of the month)\b/, () => addDays(from, 12), false],
    [/\bwithin (a|the) month\b/, () => addDays(from, 30), false],
    [/\bearly next year\b/, () => utcDate(year + 1, 1, 1), true],
    [/\b(?<!early )next year\b|\bel (año|ano) que viene\b|\bel próximo año\b/, () => utcDate(year + 1, 2, 1), true],
    [/\b(end of (the )?year|year end|end of this year)\b/, () => utcDate(year, 11, 31), true],
    [
      /\b(later|sometime|some time|at some point) this year\b|\bthis year\b/,
      () => new Date((from.getTime() + utcDate(year, 11, 31).getTime()) / 2),
      true,
    ],
  ];
  for (const [re, target, coarse] of relative) {
    for (const m of norm.matchAll(new RegExp(re.source, 'g'))) {
      if (out.some((o) => o.start <= m.index && m.index < o.end)) continue;
      out.push({ target: target(), start: m.index, end: m.index + m[0].length, coarse });
    }
  }
  return out;
}

const farOff =
  /\b(couple (of )?years|few years|down the road|someday|some day|eventually|long term|not for a while|next couple (of )?years)\b/g;
const answersWhen = /\b(when|timeframe|time frame|timeline|timing|how soon|cuándo|cuando)\b/;
const planWords =
  /\b(start|started|done|do it|do this|finish|finished|install|installed|replaced|timeline|hoping|want|would like|plan|planning|looking to|get it|empezar|terminar)\b/;

function candidatesIn(sentence: Sentence, previous: Sentence | undefined, from: Date): Candidate[] {
  const norm = sentence.norm;
  let base = 2;
  if (previous && previous.role !== sentence.role && answersWhen.test(previous.norm)) base += 1;
  if (planWords.test(norm)) base += 1;
  const out: Candidate[] = [];
  const push = (months: number, priority: number, start: number, end: number) => {
    if (isPastWork(norm, start, end)) return;
    const clause = clauseBounds(norm, start, end);
    const clauseText = norm.slice(clause.start, clause.end);
    if (scheduling.test(clauseText)) return;
    if (visitRequest.test(clauseText)) priority -= base - 0.5;
    const lead = norm.slice(Math.max(clause.start, start - 40), start + 12);
    if (deadlineWords.test(lead)) months -= 14 / daysPerMonth;
    else if (lowerBoundWords.test(lead)) priority -= 1;
    out.push({ months: Math.max(0, months), priority, sentence, match: norm.slice(start, end) });
  };
  for (const m of norm.matchAll(asap)) {
    if (isNegated(norm, m.index, m.index + m[0].length)) continue;
    push(0.1, base, m.index, m.index + m[0].length);
  }
  // "How soon can you come?" says now, but less surely than any date the caller names.
  for (const m of norm.matchAll(/\bhow soon (can|could)\b/g)) push(0.1, base - 0.25, m.index, m.index + m[0].length);
  for (const d of durations(norm)) push(d.months, base, d.start, d.end);
  for (const d of dateMentions(norm, from))
    push(monthsBetween(from, d.target), d.coarse ? base - 0.5 : base, d.start, d.end);
  for (const m of norm.matchAll(farOff)) {
    if (!out.some((c) => c.months >= 6)) push(12, base - 2, m.index, m.index + m[0].length);
  }
  return out;
}

export function extractTimeline(parsed: ParsedTranscript, callDate: Date): TimelineResult {
  const candidates: Candidate[] = [];
  parsed.sentences.forEach((sentence, i) => {
    if (!isCallerSide(sentence)) return;
    candidates.push(...candidatesIn(sentence, parsed.sentences[i - 1], callDate));
  });
  if (candidates.length === 0) return { timeline: 'unknown', evidence: null, months: null };
  const best = candidates.reduce((a, b) => (b.priority > a.priority ? b : a));
  return { timeline: bucketFor(best.months), evidence: quote(best.sentence, best.match), months: best.months };
}
