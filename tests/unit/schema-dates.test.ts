/** src/schema/dates.ts: the dates analysts write in timelines, as the intervals they sort by. */
import { describe, expect, it } from 'vitest';
import { parseLooseDate } from '../../src/schema/dates.js';

/** Days since 1970-01-01 of an ISO date. */
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const span = (from: string, to: string) => ({ start: day(from), end: day(to) });

describe('a single date', () => {
  it('is a day, a month or a year, written ISO', () => {
    expect(parseLooseDate('2026-03-15')).toEqual(span('2026-03-15', '2026-03-15'));
    expect(parseLooseDate('2024-02-29')).toEqual(span('2024-02-29', '2024-02-29'));
    expect(parseLooseDate('1969-12-31')).toEqual(span('1969-12-31', '1969-12-31'));
    expect(parseLooseDate('2026-02')).toEqual(span('2026-02-01', '2026-02-28'));
    expect(parseLooseDate('2026-01')).toEqual(span('2026-01-01', '2026-01-31'));
    expect(parseLooseDate('2026-12')).toEqual(span('2026-12-01', '2026-12-31'));
    expect(parseLooseDate('2026')).toEqual(span('2026-01-01', '2026-12-31'));
    expect(parseLooseDate(' 2026-03 ')).toEqual(span('2026-03-01', '2026-03-31'));
  });

  it('is read in years before 100 as written, not as 19xx', () => {
    const year50 = new Date(0);
    year50.setUTCFullYear(50, 0, 1);
    expect(parseLooseDate('0050-01-01')?.start).toBe(year50.getTime() / 86_400_000);
    expect(parseLooseDate('0050')).toEqual({ start: parseLooseDate('0050-01-01')!.start, end: parseLooseDate('0050-12-31')!.end });
    expect(parseLooseDate('0050-03')!.start).toBeLessThan(parseLooseDate('1950-03')!.start - 690_000);
    expect(parseLooseDate('0004-02-29')).toBeDefined();
  });

  it('is the whole text, not a date with something before or after it', () => {
    for (const bad of ['12026-01-01', '2026-01-011', 'x2026-01', 'March 20266', 'x March 2026', 'early smarch 2026', 'mid-soon 2026']) {
      expect(parseLooseDate(bad), bad).toBeUndefined();
    }
  });

  it('is not a day that the calendar lacks, nor a month 0 or 13', () => {
    for (const bad of ['2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32', '2026-13', '2026-00', '26-01-01', '2026-1-1', '20261']) {
      expect(parseLooseDate(bad), bad).toBeUndefined();
    }
  });

  it('is a month written in words, whole or cut to three letters or more, in any case', () => {
    expect(parseLooseDate('March 2026')).toEqual(span('2026-03-01', '2026-03-31'));
    expect(parseLooseDate('MAR 2026')).toEqual(span('2026-03-01', '2026-03-31'));
    expect(parseLooseDate('sept 2026')).toEqual(span('2026-09-01', '2026-09-30'));
    expect(parseLooseDate('jan 2026')).toEqual(span('2026-01-01', '2026-01-31'));
    expect(parseLooseDate('December 2026')).toEqual(span('2026-12-01', '2026-12-31'));
    expect(parseLooseDate('February 2028')).toEqual(span('2028-02-01', '2028-02-29'));
    // Two letters name no one month ("ju": June or July?).
    expect(parseLooseDate('ju 2026')).toBeUndefined();
    expect(parseLooseDate('ma 2026')).toBeUndefined();
    expect(parseLooseDate('smarch 2026')).toBeUndefined();
    expect(parseLooseDate('Marchy 2026')).toBeUndefined();
  });

  it('is a season of the northern hemisphere, winter running into the next year', () => {
    expect(parseLooseDate('spring 2026')).toEqual(span('2026-03-01', '2026-05-31'));
    expect(parseLooseDate('Summer 2026')).toEqual(span('2026-06-01', '2026-08-31'));
    expect(parseLooseDate('autumn 2026')).toEqual(span('2026-09-01', '2026-11-30'));
    expect(parseLooseDate('fall 2026')).toEqual(span('2026-09-01', '2026-11-30'));
    expect(parseLooseDate('winter 2026')).toEqual(span('2026-12-01', '2027-02-28'));
    expect(parseLooseDate('winter 2027')).toEqual(span('2027-12-01', '2028-02-29'));
  });

  it('is the first, middle or last third of a month or season with early, mid or late', () => {
    const month = span('2026-03-01', '2026-03-31');
    const early = parseLooseDate('early March 2026')!;
    const mid = parseLooseDate('mid-March 2026')!;
    const late = parseLooseDate('late March 2026')!;
    expect(parseLooseDate('mid March 2026')).toEqual(mid);
    expect(early.start).toBe(month.start);
    expect(late.end).toBe(month.end);
    // Thirds of 31 days: about the 1st to the 10th, the 11th to the 20th, the 21st to the 31st.
    for (const [part, from, to] of [
      [early, '2026-03-01', '2026-03-11'],
      [mid, '2026-03-10', '2026-03-21'],
      [late, '2026-03-20', '2026-03-31'],
    ] as const) {
      expect(part.start).toBeGreaterThanOrEqual(day(from));
      expect(part.end).toBeLessThanOrEqual(day(to));
      expect(part.end - part.start).toBeGreaterThanOrEqual(8);
    }
    expect(early.end).toBeLessThanOrEqual(mid.start);
    expect(mid.end).toBeLessThanOrEqual(late.start);
    const lateWinter = parseLooseDate('late winter 2026')!;
    expect(lateWinter.end).toBe(day('2027-02-28'));
    expect(lateWinter.start).toBeGreaterThanOrEqual(day('2027-01-25'));
    expect(parseLooseDate('early 2026')).toBeUndefined();
    expect(parseLooseDate('soon March 2026')).toBeUndefined();
  });
});

describe('a range', () => {
  it('runs from the start of its first date to the end of its last, written with /, "to" or a dash', () => {
    const q1 = span('2026-01-01', '2026-03-31');
    expect(parseLooseDate('2026-01/2026-03')).toEqual(q1);
    expect(parseLooseDate('2026-01 / 2026-03')).toEqual(q1);
    expect(parseLooseDate('2026-01 to 2026-03')).toEqual(q1);
    expect(parseLooseDate('January 2026 – March 2026')).toEqual(q1);
    expect(parseLooseDate('2026-01 — 2026-03')).toEqual(q1);
    expect(parseLooseDate('early September 2026 to late November 2027')).toEqual({ start: day('2026-09-01'), end: day('2027-11-30') });
    expect(parseLooseDate('2026-01-05/2026-01-05')).toEqual(span('2026-01-05', '2026-01-05'));
  });

  it('is not a date when it runs backwards, has three ends, or either end is not a date', () => {
    for (const bad of ['2026-03/2026-01', '2026-01-06/2026-01-05', '2026/2027/2028', '2026-01/soon', 'soon/2026-01', '2026-01 to', '2026-01-2026-03']) {
      expect(parseLooseDate(bad), bad).toBeUndefined();
    }
  });

  it('is read up to 100 characters, and no further', () => {
    const padded = `${' '.repeat(96)}2026`;
    expect(padded).toHaveLength(100);
    expect(parseLooseDate(padded)).toEqual(span('2026-01-01', '2026-12-31'));
    expect(parseLooseDate(` ${padded}`)).toBeUndefined();
  });
});
