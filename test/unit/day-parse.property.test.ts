// Hostile input to date parsing (`cycle start … on <day>`, `cycle move`, action due dates): parseDay never throws,
// answers only real calendar days, and reads back every way the bot writes a day and the ways people type one.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../../src/core/day-format.js';

const ZONE = 'Europe/London';
const day = fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateLike = fc.string({ unit: fc.constantFrom(...'0123456789/- JanFebMayDecTue,.'.split('')), maxLength: 20 });

describe('parseDay on anything typed', () => {
  it('never throws and answers undefined or a real YYYY-MM-DD day', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), dateLike), fc.constantFrom(ZONE, 'UTC', 'Pacific/Kiritimati'), (text, zone) => {
        const parsed = parseDay(text, zone);
        if (parsed !== undefined) {
          expect(parsed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(DateTime.fromISO(parsed, { zone: 'UTC' }).isValid).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses impossible days rather than rolling them over', () => {
    for (const text of ['2027-02-29', '31/4/2027', '30 Feb 2028', '0/1/2027', '2027-13-01', '32-1-2027', 'Mon 12 Jan 2027']) expect(parseDay(text, ZONE)).toBeUndefined();
  });

  it('copes with a megabyte of digits', () => {
    expect(parseDay('1'.repeat(1_000_000), ZONE)).toBeUndefined();
  });
});

describe('parseDay reads back', () => {
  it('every way people type a real day', () => {
    fc.assert(
      fc.property(day, (iso) => {
        const d = DateTime.fromISO(iso, { zone: ZONE }).setLocale('en-GB');
        for (const typed of [iso, d.toFormat('d/M/yyyy'), d.toFormat('dd/MM/yyyy'), d.toFormat('d-M-yyyy'), d.toFormat('d LLL yyyy'), d.toFormat('d LLLL yyyy'), ` ${iso} `]) {
          expect(parseDay(typed, ZONE)).toBe(iso);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a day as the bot writes it (formatDay, e.g. "Tue 12 Jan 2027"), so a date copied from a card can be typed back', () => {
    fc.assert(
      fc.property(day, (iso) => {
        expect(parseDay(formatDay(iso, ZONE), ZONE)).toBe(iso);
      }),
      { numRuns: 300 },
    );
  });
});
