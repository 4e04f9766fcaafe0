/**
 * Dates callers plan by: months, seasons, holidays. All in UTC days: a timeline bucket is
 * months wide, so the call's time zone never moves a result.
 */

const dayMs = 86_400_000;
export const daysPerMonth = 30.44;

export function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day));
}

/** The call's day. A date-time keeps only its date; an unparseable value is rejected. */
export function callDay(value: string | Date): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`callDate is not a date: ${String(value)}`);
  return utcDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * dayMs);
}

export function monthsBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / dayMs / daysPerMonth;
}

/** The first date on or after `from` that falls on month/day. */
export function nextOn(from: Date, month: number, day: number): Date {
  const thisYear = utcDate(from.getUTCFullYear(), month, day);
  return thisYear.getTime() >= from.getTime() ? thisYear : utcDate(from.getUTCFullYear() + 1, month, day);
}

function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  const first = utcDate(year, month, 1);
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return utcDate(year, month, 1 + offset + (n - 1) * 7);
}

function lastWeekday(year: number, month: number, weekday: number): Date {
  const last = utcDate(year, month + 1, 0);
  const offset = (last.getUTCDay() - weekday + 7) % 7;
  return utcDate(year, month, last.getUTCDate() - offset);
}

/** Gregorian Easter (anonymous algorithm). */
function easter(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31) - 1;
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utcDate(year, month, day);
}

type YearlyDate = (year: number) => Date;

/** Occasions callers plan around, keyed by how they are said (normalised, lower case). */
export const occasions: ReadonlyArray<[RegExp, YearlyDate]> = [
  [/\bthanksgiving\b/, (y) => nthWeekday(y, 10, 4, 4)],
  [/\b(christmas|xmas|navidad)\b/, (y) => utcDate(y, 11, 25)],
  [/\bthe holidays\b/, (y) => utcDate(y, 11, 20)],
  [/\b(new year'?s?|first of the year|beginning of the year|start of the year|año nuevo)\b/, (y) => utcDate(y, 0, 5)],
  [/\beaster\b/, easter],
  [/\bmemorial day\b/, (y) => lastWeekday(y, 4, 1)],
  [/\b(fourth of july|july (4th|fourth)|independence day)\b/, (y) => utcDate(y, 6, 4)],
  [/\blabor day\b/, (y) => nthWeekday(y, 8, 1, 1)],
  [/\bhalloween\b/, (y) => utcDate(y, 9, 31)],
  [/\b(school starts|start of school|back to school)\b/, (y) => utcDate(y, 7, 25)],
  [/\bspring break\b/, (y) => utcDate(y, 2, 15)],
  [/\b(summer break|school('s| is| gets) out|end of (the )?school year)\b/, (y) => utcDate(y, 5, 5)],
];

/** The next date an occasion falls on, from the call's day. */
export function nextOccasion(from: Date, yearly: YearlyDate): Date {
  const thisYear = yearly(from.getUTCFullYear());
  return thisYear.getTime() >= from.getTime() ? thisYear : yearly(from.getUTCFullYear() + 1);
}

export const monthNames: Readonly<Record<string, number>> = {
  january: 0,
  february: 1,
  march: 2,
  april: 3,
  may: 4,
  june: 5,
  july: 6,
  august: 7,
  september: 8,
  october: 9,
  november: 10,
  december: 11,
  enero: 0,
  febrero: 1,
  marzo: 2,
  abril: 3,
  mayo: 4,
  junio: 5,
  julio: 6,
  agosto: 7,
  septiembre: 8,
  octubre: 9,
  noviembre: 10,
  diciembre: 11,
};

export type Season = 'spring' | 'summer' | 'fall' | 'winter';

/** Astronomical starts, as people in the US speak of them. */
const seasonStart: Readonly<Record<Season, [number, number]>> = {
  spring: [2, 20],
  summer: [5, 21],
  fall: [8, 22],
  winter: [11, 21],
};
const seasonOrder: readonly Season[] = ['spring', 'summer', 'fall', 'winter'];

export function seasonOf(word: string): Season | null {
  if (/^spring/.test(word) || word === 'primavera') return 'spring';
  if (/^summer/.test(word) || word === 'verano') return 'summer';
  if (word === 'fall' || word === 'autumn' || word === 'otoño') return 'fall';
  if (word === 'winter' || word === 'invierno') return 'winter';
  return null;
}

/** The season's next start on or after `from`, and whether `from` is inside the season now. */
export function seasonWindow(from: Date, season: Season): { start: Date; end: Date; current: boolean } {
  const [m, d] = seasonStart[season];
  const following = seasonOrder[(seasonOrder.indexOf(season) + 1) % 4]!;
  const [fm, fd] = seasonStart[following];
  for (const year of [from.getUTCFullYear() - 1, from.getUTCFullYear()]) {
    const start = utcDate(year, m, d);
    const end = utcDate(fm < m ? year + 1 : year, fm, fd);
    if (start.getTime() <= from.getTime() && from.getTime() < end.getTime()) return { start, end, current: true };
  }
  const start = nextOn(from, m, d);
  const end = utcDate(fm < m ? start.getUTCFullYear() + 1 : start.getUTCFullYear(), fm, fd);
  return { start, end, current: false };
}
