import { type RedactionKind } from '@callsight/shared';
import { digitWords } from './spoken-numbers';

/**
 * PII masking (DESIGN §5): card numbers, card security codes, SSNs, bank routing and account
 * numbers are masked before a transcript is stored, analysed or sent anywhere. Phone numbers,
 * emails, prices, ZIP codes and order numbers stay: the business needs them and they are not
 * financial secrets.
 *
 * Speech-to-text writes numbers both ways ("4111 1111 1111 1111", "four one one one, one one
 * ..."), so digits are read as runs of digit units, whatever their spelling.
 */

export type RedactionCounts = Record<RedactionKind, number>;

export interface RedactionResult {
  text: string;
  counts: RedactionCounts;
  total: number;
}

export const redactionMarkers: Readonly<Record<RedactionKind, string>> = {
  card: '[REDACTED CARD]',
  card_security_code: '[REDACTED SECURITY CODE]',
  ssn: '[REDACTED SSN]',
  routing_number: '[REDACTED ROUTING NUMBER]',
  bank_account: '[REDACTED ACCOUNT NUMBER]',
};

export function emptyRedactionCounts(): RedactionCounts {
  return { card: 0, card_security_code: 0, ssn: 0, routing_number: 0, bank_account: 0 };
}

interface DigitUnit {
  digits: string;
  start: number;
  end: number;
}

/** Digit groups and spoken digits; "double four" is "44". */
function digitUnits(text: string): DigitUnit[] {
  const units: DigitUnit[] = [];
  const words = [...text.matchAll(/\d+|[a-z]+/gi)];
  for (let i = 0; i < words.length; i++) {
    const m = words[i]!;
    const word = m[0].toLowerCase();
    if (/^\d+$/.test(word)) {
      units.push({ digits: word, start: m.index, end: m.index + word.length });
      continue;
    }
    const repeat = word === 'double' ? 2 : word === 'triple' ? 3 : 0;
    const next = words[i + 1];
    const nextDigit = next ? digitWords[next[0].toLowerCase()] : undefined;
    if (repeat && next && nextDigit !== undefined && /^\s+$/.test(text.slice(m.index + word.length, next.index))) {
      units.push({ digits: String(nextDigit).repeat(repeat), start: m.index, end: next.index + next[0].length });
      i++;
      continue;
    }
    const digit = digitWords[word];
    if (digit !== undefined) units.push({ digits: String(digit), start: m.index, end: m.index + word.length });
  }
  return units;
}

/** Units that follow each other with only spaces, commas, full stops or dashes between. */
function digitRuns(text: string): DigitUnit[][] {
  const runs: DigitUnit[][] = [];
  let run: DigitUnit[] = [];
  for (const unit of digitUnits(text)) {
    const prev = run[run.length - 1];
    if (prev && /^[\s,.\-–]*$/.test(text.slice(prev.end, unit.start))) {
      run.push(unit);
    } else {
      if (run.length) runs.push(run);
      run = [unit];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and lengths (Visa, Mastercard, Amex, Discover, Diners, JCB). */
export function looksLikeCardNumber(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19 || !luhnValid(digits)) return false;
  if (digits.startsWith('4')) return n === 13 || n === 16 || n === 19;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return n === 16;
  if (two === 34 || two === 37) return n === 15;
  if (
    digits.startsWith('6011') ||
    two === 65 ||
    (Number(digits.slice(0, 3)) >= 644 && Number(digits.slice(0, 3)) <= 649)
  )
    return n >= 16;
  if (two === 36 || two === 38 || (Number(digits.slice(0, 3)) >= 300 && Number(digits.slice(0, 3)) <= 305))
    return n >= 14;
  if (four >= 3528 && four <= 3589) return n >= 16;
  return false;
}

/** ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function abaRoutingValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0 && !/^0+$/.test(digits);
}

/** SSA never issues area 000, 666 or 900-999, group 00 or serial 0000. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

const cardContext = /\b(card|visa|master ?card|amex|american express|discover|credit|debit)\b/;
const ssnContext = /\b(social|ssn|s s n|social security)\b/;
const routingContext = /\b(routing|aba|transit number|bank)\b/;
const accountContext = /\b(account|acct|checking|savings|cuenta)\b[^.?!\d]{0,25}$/;
const securityCodeContext =
  /\b(security code|cvv|cvc|csc|code on the back|three digit code|3 digit code)\b[^.?!\d]{0,25}$/;

interface Span {
  start: number;
  end: number;
  kind: RedactionKind;
}

function before(text: string, at: number, chars: number): string {
  return text.slice(Math.max(0, at - chars), at).toLowerCase();
}

function joined(run: DigitUnit[], from: number, to: number): string {
  return run
    .slice(from, to + 1)
    .map((u) => u.digits)
    .join('');
}

/** The longest sub-run that is a card number: a leading "oh" or a trailing expiry must not hide it. */
function cardSpans(text: string, run: DigitUnit[]): Span[] {
  const spans: Span[] = [];
  let a = 0;
  while (a < run.length) {
    let found = -1;
    for (let b = run.length - 1; b >= a; b--) {
      const digits = joined(run, a, b);
      if (digits.length < 13 || digits.length > 19) continue;
      const context = cardContext.test(before(text, run[a]!.start, 80));
      if (looksLikeCardNumber(digits) || (context && luhnValid(digits))) {
        found = b;
        break;
      }
    }
    if (found >= 0) {
      spans.push({ start: run[a]!.start, end: run[found]!.end, kind: 'card' });
      a = found + 1;
    } else {
      a++;
    }
  }
  return spans;
}

function ninesDigitSpan(text: string, run: DigitUnit[]): Span | null {
  const digits = joined(run, 0, run.length - 1);
  if (digits.length !== 9) return null;
  const start = run[0]!.start;
  const end = run[run.length - 1]!.end;
  const ctx = before(text, start, 80);
  const near = before(text, start, 30);
  if (accountContext.test(near) && !/routing|aba/.test(near)) return null;
  if (routingContext.test(ctx) && abaRoutingValid(digits)) return { start, end, kind: 'routing_number' };
  const written = text.slice(start, end);
  if (ssnValid(digits) && (ssnContext.test(ctx) || /^\d{3}[- ]\d{2}[- ]\d{4}$/.test(written))) {
    return { start, end, kind: 'ssn' };
  }
  return null;
}

/** "$150,000", "150,000 dollars", "40 grand": money, never an account or ID number. */
function looksLikeAmount(text: string, start: number, end: number): boolean {
  if (text[start - 1] === '$') return true;
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text.slice(start, end))) return true;
  return /^\s*(dollars|bucks|grand|thousand|k\b|usd)/i.test(text.slice(end, end + 12));
}

export function redactPii(text: string): RedactionResult {
  const counts = emptyRedactionCounts();
  if (!text) return { text, counts, total: 0 };
  const spans: Span[] = [];
  for (const run of digitRuns(text)) {
    const cards = cardSpans(text, run);
    if (cards.length) {
      spans.push(...cards);
      continue;
    }
    const start = run[0]!.start;
    const end = run[run.length - 1]!.end;
    if (looksLikeAmount(text, start, end)) continue;
    const digits = joined(run, 0, run.length - 1);
    const nine = ninesDigitSpan(text, run);
    if (nine) {
      spans.push(nine);
      continue;
    }
    const near = before(text, start, 40);
    if (digits.length >= 6 && digits.length <= 17 && accountContext.test(near)) {
      spans.push({ start, end, kind: 'bank_account' });
      continue;
    }
    if ((digits.length === 3 || digits.length === 4) && securityCodeContext.test(near)) {
      spans.push({ start, end, kind: 'card_security_code' });
    }
  }
  // A security code is often said on its own turn, after the question.
  for (const m of text.matchAll(/\b(security code|cvv|cvc)\b[^\n]*\n[^:\n]{0,30}:\s*/gi)) {
    const lineStart = m.index + m[0].length;
    const run = digitRuns(text.slice(lineStart, lineStart + 40))[0];
    if (!run || run[0]!.start !== 0) continue;
    const digits = joined(run, 0, run.length - 1);
    if (digits.length !== 3 && digits.length !== 4) continue;
    const span: Span = { start: lineStart, end: lineStart + run[run.length - 1]!.end, kind: 'card_security_code' };
    if (!spans.some((s) => s.start < span.end && span.start < s.end)) spans.push(span);
  }
  spans.sort((x, y) => y.start - x.start);
  let out = text;
  for (const span of spans) {
    out = out.slice(0, span.start) + redactionMarkers[span.kind] + out.slice(span.end);
    counts[span.kind]++;
  }
  return { text: out, counts, total: spans.length };
}
