/**
 * Numbers as speech-to-text writes them: "$30,000", "25k", "forty grand", "thirty five hundred",
 * "one hundred seventy five thousand", "veinte mil". Written here rather than taken from
 * `words-to-numbers`, which reads "thirty five hundred" as 530 and "a hundred and twenty
 * thousand" as 20100, and pulls in babel-runtime 6.
 */

/** Single spoken digits, as callers read out card and account numbers one digit at a time. */
export const digitWords: Readonly<Record<string, number>> = {
  zero: 0,
  oh: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  cero: 0,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
};

const units: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  // Spanish "un"/"uno" and "once" (11) are left out: they are everyday words in both languages.
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciséis: 16,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veintiuno: 21,
  veintidós: 22,
  veintidos: 22,
  veintitrés: 23,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiséis: 26,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
};

const tens: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  veinte: 20,
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
};

const hundredsEs: Readonly<Record<string, number>> = {
  cien: 100,
  ciento: 100,
  doscientos: 200,
  trescientos: 300,
  cuatrocientos: 400,
  quinientos: 500,
  seiscientos: 600,
  setecientos: 700,
  ochocientos: 800,
  novecientos: 900,
};

const scales: Readonly<Record<string, number>> = {
  thousand: 1_000,
  grand: 1_000,
  k: 1_000,
  mil: 1_000,
  million: 1_000_000,
  millions: 1_000_000,
  mill: 1_000_000,
  millón: 1_000_000,
  millon: 1_000_000,
  millones: 1_000_000,
};

export interface Token {
  /** Lower-cased text of the token. */
  text: string;
  start: number;
  end: number;
}

/** Words, digit groups (with their `$`, commas, decimals and a `k` suffix) and lone `$` signs. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\$?\d+(?:[.,]\d+)*(?:k(?![a-z]))?|[a-záéíóúñü]+(?:['’][a-z]+)?|\$/gi;
  for (const m of text.matchAll(re)) {
    out.push({ text: m[0].toLowerCase().replace('’', "'"), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export interface NumberPhrase {
  value: number;
  start: number;
  end: number;
  /** Index of the first and one past the last token of the phrase in the tokenized text. */
  firstToken: number;
  endToken: number;
  /** A thousand/k/grand/million word or suffix was part of it: "30k", "forty grand". */
  scaled: boolean;
  /** Written or spoken with a dollar sign, "dollars" or "bucks" right after. */
  currency: boolean;
}

const currencyWords = new Set(['dollars', 'dollar', 'bucks', 'usd', 'dólares', 'dolares']);

type Part =
  | { kind: 'digits'; value: number; scaled: boolean; currency: boolean }
  | { kind: 'unit' | 'tens' | 'hundreds'; value: number }
  | { kind: 'hundred' }
  | { kind: 'scale'; value: number };

function partOf(token: string): Part | null {
  const digits = /^(\$)?(\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)(k)?$/.exec(token);
  if (digits) {
    const value = Number(digits[2]!.replace(/,/g, ''));
    if (!Number.isFinite(value)) return null;
    return { kind: 'digits', value: digits[3] ? value * 1000 : value, scaled: !!digits[3], currency: !!digits[1] };
  }
  if (token in units) return { kind: 'unit', value: units[token]! };
  if (token in tens) return { kind: 'tens', value: tens[token]! };
  if (token in hundredsEs) return { kind: 'hundreds', value: hundredsEs[token]! };
  if (token === 'hundred' || token === 'hundreds') return { kind: 'hundred' };
  if (token in scales) return { kind: 'scale', value: scales[token]! };
  return null;
}

/** Only spaces and hyphens may sit inside one spoken number; a comma or full stop ends it. */
function joinedBySpace(text: string, a: Token, b: Token): boolean {
  return /^[\s-]*$/.test(text.slice(a.end, b.start));
}

/**
 * Every number phrase in the text, left to right. Sequences of single digits ("four five five
 * six") stay separate numbers: they are read-out digits, not an amount.
 */
export function findNumbers(text: string, tokens: Token[] = tokenize(text)): NumberPhrase[] {
  const out: NumberPhrase[] = [];
  let i = 0;
  while (i < tokens.length) {
    const phrase = readNumber(text, tokens, i);
    if (phrase) {
      out.push(phrase);
      i = phrase.endToken;
    } else {
      i++;
    }
  }
  return out;
}

function readNumber(text: string, tokens: Token[], from: number): NumberPhrase | null {
  let total = 0;
  let current = 0;
  let scaled = false;
  let currency = false;
  let last: Part['kind'] | null = null;
  let lastScale = Infinity;
  let seen = false;
  let i = from;
  // "a hundred", "a thousand", "a grand"
  const afterA = tokens[i]?.text === 'a' && tokens[i + 1] ? partOf(tokens[i + 1]!.text) : null;
  if (afterA?.kind === 'hundred' || afterA?.kind === 'scale') {
    current = 1;
    seen = true;
    last = 'unit';
    i++;
  }
  if (tokens[i]?.text === '$') {
    currency = true;
    i++;
  }
  const start = tokens[from]!.start;
  let end = start;
  for (; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (seen && !joinedBySpace(text, tokens[i - 1]!, token)) break;
    const part = partOf(token.text);
    // "hundred and twenty", "treinta y cinco": a connective only inside a number.
    if (!part && seen && (token.text === 'and' || token.text === 'y')) {
      const next = tokens[i + 1] ? partOf(tokens[i + 1]!.text) : null;
      const joins =
        token.text === 'and'
          ? (last === 'hundred' || last === 'scale') && next !== null && next.kind !== 'digits' && next.kind !== 'scale'
          : last === 'tens' && next?.kind === 'unit';
      if (joins) continue;
      break;
    }
    if (!part) break;
    if (part.kind === 'digits') {
      if (seen) break;
      current = part.value;
      scaled = part.scaled;
      currency = currency || part.currency;
    } else if (part.kind === 'unit') {
      // "four five" is two read-out digits; "twenty five" and "hundred five" compose.
      if (last === 'unit' || last === 'digits') break;
      if (last === 'tens' && part.value >= 10) break;
      current += part.value;
    } else if (part.kind === 'tens') {
      if (last === 'unit' || last === 'tens' || last === 'digits') break;
      current += part.value;
    } else if (part.kind === 'hundreds') {
      if (seen && last !== 'scale') break;
      current += part.value;
    } else if (part.kind === 'hundred') {
      if (!seen || last === 'hundred' || last === 'scale') break;
      current = (current || 1) * 100;
    } else {
      if (!seen || last === 'scale' || part.value >= lastScale) break;
      total += (current || 1) * part.value;
      current = 0;
      scaled = true;
      lastScale = part.value;
    }
    last = part.kind;
    seen = true;
    end = token.end;
  }
  if (!seen) return null;
  // A trailing "and"/"y" was looked at but is not part of the number.
  let endToken = i;
  while (endToken > from && tokens[endToken - 1]!.end > end) endToken--;
  const after = tokens[endToken];
  if (after && currencyWords.has(after.text) && joinedBySpace(text, tokens[endToken - 1]!, after)) {
    currency = true;
    end = after.end;
    endToken++;
  }
  return { value: total + current, start, end, firstToken: from, endToken, scaled, currency };
}
