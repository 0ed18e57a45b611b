import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/core/calendar.js';

const ZONE = 'Europe/London';
const calendar = new WorkingCalendar();

// Written out by hand (gov.uk lists; 2028 from Easter on 16 April) so the oracle does not share code with the calendar.
const BANK_HOLIDAYS = new Set([
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
  '2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26',
]);

function isWorkingDayByHand(at: DateTime): boolean {
  const local = at.setZone(ZONE);
  return local.weekday <= 5 && !BANK_HOLIDAYS.has(local.toISODate() ?? '');
}

function wallClock(at: DateTime): string {
  return at.setZone(ZONE).toFormat('HH:mm:ss.SSS');
}

// Starts far enough inside 2026–2028 that ±40 working days stay within the hand-written years.
const instant = fc
  .integer({ min: Date.UTC(2026, 2, 1), max: Date.UTC(2028, 9, 15) })
  .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }));
const workingDays = fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0);
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

describe('WorkingCalendar properties over 2026–2028', () => {
  it('addWorkingDays always lands on a working day and keeps the local time of day', () => {
    fc.assert(
      fc.property(instant, workingDays, (from, n) => {
        const result = calendar.addWorkingDays(from, n);
        expect(isWorkingDayByHand(result)).toBe(true);
        expect(wallClock(result)).toBe(wallClock(from));
        expect(n > 0 ? result > from : result < from).toBe(true);
      }),
    );
  });

  it('workingDaysBetween undoes addWorkingDays, and a negative step undoes a positive one, from a working day', () => {
    fc.assert(
      fc.property(instant, workingDays, (from, n) => {
        fc.pre(isWorkingDayByHand(from));
        const result = calendar.addWorkingDays(from, n);
        expect(calendar.workingDaysBetween(from, result)).toBe(n);
        expect(calendar.workingDaysBetween(result, from)).toBe(-n);
        expect(calendar.addWorkingDays(result, -n).toMillis()).toBe(from.toMillis());
      }),
    );
  });

  it('nextWorkingTimeAt is the first HH:mm on a working day at or after the given instant', () => {
    fc.assert(
      fc.property(instant, hhmm, (from, time) => {
        const result = calendar.nextWorkingTimeAt(from, time);
        expect(result >= from).toBe(true);
        expect(isWorkingDayByHand(result)).toBe(true);
        expect(result.setZone(ZONE).toFormat('HH:mm')).toBe(time);
        // Nothing earlier qualifies: every local date from `from`'s up to the result's, exclusive, is
        // either a non-working day or (only for `from`'s own date) already past HH:mm.
        const fromDate = from.setZone(ZONE).startOf('day');
        for (let day = fromDate; day < result.setZone(ZONE).startOf('day'); day = day.plus({ days: 1 })) {
          const candidate = calendar.atLocalTime(day, time);
          expect(isWorkingDayByHand(day) && candidate >= from).toBe(false);
        }
      }),
    );
  });
});
