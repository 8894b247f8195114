/**
 * Dates as analysts write them: full or partial ISO dates, ranges, months and seasons.
 * Each parses to a sortable interval; the text itself is always shown as written.
 */

export interface DateSpan {
  start: number; // days since 1970-01-01, for sorting
  end: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const SEASONS: Record<string, [number, number]> = {
  // Northern-hemisphere meteorological seasons: [first month, last month] (0-based).
  spring: [2, 4],
  summer: [5, 7],
  autumn: [8, 10],
  fall: [8, 10],
  winter: [11, 13],
};
const QUALIFIERS: Record<string, [number, number]> = { early: [0, 0.33], mid: [0.33, 0.66], late: [0.66, 1] };

const MAX_DATE_LENGTH = 100;

/** Days since 1970 of a UTC date; month and day may run over, as in Date.UTC. */
function days(year: number, month: number, day: number): number {
  return Math.floor(utcDate(year, month, day).getTime() / 86_400_000);
}

/** Date.UTC reads a year from 0 to 99 as 1900 to 1999: the year 50 would sort as 1950. */
function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date;
}

function monthSpan(year: number, month: number): DateSpan {
  return { start: days(year, month, 1), end: days(year, month + 1, 0) };
}

function parseOne(raw: string): DateSpan | undefined {
  const value = raw.trim().toLowerCase();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    const date = utcDate(y, mo, d);
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo || date.getUTCDate() !== d) return undefined;
    const n = days(y, mo, d);
    return { start: n, end: n };
  }
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) {
    const mo = Number(m[2]) - 1;
    return mo >= 0 && mo < 12 ? monthSpan(Number(m[1]), mo) : undefined;
  }
  m = /^(\d{4})$/.exec(value);
  if (m) return { start: days(Number(m[1]), 0, 1), end: days(Number(m[1]), 11, 31) };
  m = /^(?:(early|mid|late)[ -])?([a-z]+) (\d{4})$/.exec(value);
  if (m) {
    const year = Number(m[3]);
    const word = m[2]!;
    const monthIndex = MONTHS.findIndex((name) => name === word || (word.length >= 3 && name.startsWith(word)));
    let span: DateSpan | undefined;
    if (monthIndex >= 0) span = monthSpan(year, monthIndex);
    else if (SEASONS[word]) {
      const [first, last] = SEASONS[word]!;
      span = { start: days(year, first, 1), end: days(year, last + 1, 0) };
    }
    if (!span) return undefined;
    const q = m[1] ? QUALIFIERS[m[1]] : undefined;
    if (q) {
      const length = span.end - span.start;
      span = { start: span.start + Math.floor(length * q[0]), end: span.start + Math.floor(length * q[1]) };
    }
    return span;
  }
  return undefined;
}

/** Parse a date or a range (`A/B`, `A to B`, `A – B`); undefined when it is not a date. */
export function parseLooseDate(raw: string): DateSpan | undefined {
  // The longest date there is ("early September 2026 to late November 2027") is some 45
  // characters; the splitting below tries every run of blanks, which made a long one quadratic
  // (7.5 s for one timeline date).
  if (raw.length > MAX_DATE_LENGTH) return undefined;
  const parts = raw.split(/\s*\/\s*|\s+to\s+|\s+[–—]\s+/);
  if (parts.length === 1) return parseOne(raw);
  if (parts.length !== 2) return undefined;
  const a = parseOne(parts[0]!);
  const b = parseOne(parts[1]!);
  if (!a || !b || b.end < a.start) return undefined;
  return { start: a.start, end: b.end };
}
