import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/core/calendar.js';

const calendar = new WorkingCalendar();

/** Local wall-clock time in London, e.g. london('2026-12-24T09:30'). */
function london(localIso: string): DateTime {
  return DateTime.fromISO(localIso, { zone: 'Europe/London' });
}

function utc(at: DateTime): string | null {
  return at.toUTC().toISO();
}

function weekdaysOffWork(year: number): string[] {
  const off: string[] = [];
  for (let day = DateTime.utc(year, 1, 1); day.year === year; day = day.plus({ days: 1 })) {
    if (day.weekday <= 5 && !calendar.isWorkingDay(day.setZone('Europe/London', { keepLocalTime: true }))) {
      off.push(day.toISODate() ?? '');
    }
  }
  return off;
}

describe('England & Wales bank holidays', () => {
  it('are exactly the 2026 list, with the Boxing Day substitute on Monday 28 December', () => {
    expect(weekdaysOffWork(2026)).toEqual([
      '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04',
      '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
    ]);
  });

  it('are exactly the 2027 list, with both Christmas substitutes on 27 and 28 December', () => {
    expect(weekdaysOffWork(2027)).toEqual([
      '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03',
      '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
    ]);
  });

  it('are named, and a holiday falling on a weekend is not itself a bank holiday', () => {
    expect(calendar.bankHolidayName(london('2026-08-31T12:00'))).toBe('Summer bank holiday');
    expect(calendar.bankHolidayName(london('2026-12-28T12:00'))).toBe('Boxing Day (substitute day)');
    expect(calendar.bankHolidayName(london('2026-12-26T12:00'))).toBeUndefined();
    expect(calendar.bankHolidayName(london('2026-12-29T12:00'))).toBeUndefined();
  });
});

describe('isWorkingDay', () => {
  it('excludes plain weekends', () => {
    expect(calendar.isWorkingDay(london('2026-05-08T12:00'))).toBe(true);
    expect(calendar.isWorkingDay(london('2026-05-09T12:00'))).toBe(false);
    expect(calendar.isWorkingDay(london('2026-05-10T12:00'))).toBe(false);
    expect(calendar.isWorkingDay(london('2026-05-11T12:00'))).toBe(true);
  });

  it("judges the partnership's local date, not the UTC date", () => {
    // 23:30Z on Sunday 30 August 2026 is 00:30 BST on the August bank holiday.
    expect(calendar.isWorkingDay(DateTime.fromISO('2026-08-30T23:30:00Z'))).toBe(false);
    // 23:30Z on the bank holiday is 00:30 BST on Tuesday 1 September.
    expect(calendar.isWorkingDay(DateTime.fromISO('2026-08-31T23:30:00Z'))).toBe(true);
  });

  it('honours extra non-working days from the partnership settings', () => {
    const withExtra = new WorkingCalendar({ extraNonWorkingDays: ['2026-06-15'] });
    expect(withExtra.isWorkingDay(london('2026-06-15T12:00'))).toBe(false);
    expect(withExtra.addWorkingDays(london('2026-06-12T10:00'), 1).toISODate()).toBe('2026-06-16');
    expect(calendar.addWorkingDays(london('2026-06-12T10:00'), 1).toISODate()).toBe('2026-06-15');
  });

  it('rejects a malformed extra day or an unknown zone rather than silently ignoring it', () => {
    expect(() => new WorkingCalendar({ extraNonWorkingDays: ['15/06/2026'] })).toThrow(/15\/06\/2026/);
    expect(() => new WorkingCalendar({ extraNonWorkingDays: ['2026-02-30'] })).toThrow(/2026-02-30/);
    expect(() => new WorkingCalendar({ zone: 'Europe/Atlantis' })).toThrow(/Europe\/Atlantis/);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['Christmas 2026', '2026-12-24T10:00', 1, '2026-12-29T10:00'],
    ['Christmas 2027', '2027-12-24T10:00', 1, '2027-12-29T10:00'],
    ['New Year 2027', '2026-12-31T10:00', 1, '2027-01-04T10:00'],
    ['New Year 2028 substitute', '2027-12-31T10:00', 1, '2028-01-04T10:00'],
    ['Easter 2026', '2026-04-02T10:00', 1, '2026-04-07T10:00'],
    ['Easter 2027', '2027-03-25T10:00', 1, '2027-03-30T10:00'],
    ['August bank holiday 2026', '2026-08-28T10:00', 1, '2026-09-01T10:00'],
    ['August bank holiday 2027', '2027-08-27T10:00', 1, '2027-08-31T10:00'],
    ['Christmas 2026, backwards', '2026-12-29T10:00', -1, '2026-12-24T10:00'],
    ['Easter 2026, backwards', '2026-04-07T10:00', -1, '2026-04-02T10:00'],
    ['a week over New Year', '2026-12-24T10:00', 5, '2027-01-05T10:00'],
    ['a week over New Year, backwards', '2027-01-05T10:00', -5, '2026-12-24T10:00'],
    ['from a Saturday, +1 is Monday', '2026-05-09T10:00', 1, '2026-05-11T10:00'],
    ['from a Saturday, -1 is Friday', '2026-05-09T10:00', -1, '2026-05-08T10:00'],
    ['from a bank holiday, +1 is the next working day', '2026-12-25T10:00', 1, '2026-12-29T10:00'],
  ])('%s: %s %+d working days is %s', (_label, from, days, expected) => {
    const result = calendar.addWorkingDays(london(from), days);
    expect(result.toISO({ includeOffset: false })).toBe(`${expected}:00.000`);
    expect(result.zoneName).toBe('Europe/London');
  });

  it('keeps local 09:30 across each DST change, so the UTC time moves by an hour', () => {
    // Clocks go forward Sun 29 Mar 2026: Fri 09:30 GMT -> Mon 09:30 BST.
    expect(utc(calendar.addWorkingDays(DateTime.fromISO('2026-03-27T09:30:00Z'), 1))).toBe('2026-03-30T08:30:00.000Z');
    // Clocks go back Sun 25 Oct 2026: Fri 09:30 BST -> Mon 09:30 GMT.
    expect(utc(calendar.addWorkingDays(DateTime.fromISO('2026-10-23T08:30:00Z'), 1))).toBe('2026-10-26T09:30:00.000Z');
    // Clocks go forward on Easter Sunday 28 Mar 2027: Thu 09:30 GMT -> Tue 09:30 BST.
    expect(utc(calendar.addWorkingDays(DateTime.fromISO('2027-03-25T09:30:00Z'), 1))).toBe('2027-03-30T08:30:00.000Z');
    // Clocks go back Sun 31 Oct 2027: Fri 09:30 BST -> Mon 09:30 GMT.
    expect(utc(calendar.addWorkingDays(DateTime.fromISO('2027-10-29T08:30:00Z'), 1))).toBe('2027-11-01T09:30:00.000Z');
    // And backwards over the spring change.
    expect(utc(calendar.addWorkingDays(DateTime.fromISO('2026-03-30T08:30:00Z'), -1))).toBe('2026-03-27T09:30:00.000Z');
  });

  it('rejects fractional days', () => {
    expect(() => calendar.addWorkingDays(london('2026-05-11T10:00'), 1.5)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after the first date up to and including the second', () => {
    // Tue 29, Wed 30, Thu 31 Dec, (Fri 1 Jan off), Mon 4, Tue 5 Jan.
    expect(calendar.workingDaysBetween(london('2026-12-24T17:00'), london('2027-01-05T08:00'))).toBe(5);
    expect(calendar.workingDaysBetween(london('2027-01-05T08:00'), london('2026-12-24T17:00'))).toBe(-5);
    expect(calendar.workingDaysBetween(london('2026-12-24T08:00'), london('2026-12-24T17:00'))).toBe(0);
    expect(calendar.workingDaysBetween(london('2026-12-24T08:00'), london('2026-12-28T17:00'))).toBe(0);
  });

  it('agrees with addWorkingDays in both directions', () => {
    const from = london('2026-12-24T10:00');
    expect(calendar.workingDaysBetween(from, calendar.addWorkingDays(from, 5))).toBe(5);
    expect(calendar.workingDaysBetween(from, calendar.addWorkingDays(from, -5))).toBe(-5);
  });
});

describe('nextWorkingDay, workingDayOnOrAfter and workingDayOnOrBefore', () => {
  it('nextWorkingDay is strictly after the local date', () => {
    expect(calendar.nextWorkingDay(london('2026-04-02T10:00')).toISODate()).toBe('2026-04-07');
  });

  it('workingDayOnOrAfter keeps a working day and moves a holiday on, keeping the time', () => {
    expect(calendar.workingDayOnOrAfter(london('2026-04-02T10:00')).toISO({ includeOffset: false })).toBe('2026-04-02T10:00:00.000');
    expect(calendar.workingDayOnOrAfter(london('2026-04-03T10:00')).toISO({ includeOffset: false })).toBe('2026-04-07T10:00:00.000');
  });

  it('workingDayOnOrBefore keeps a working day and moves Easter Monday back over the weekend and Good Friday, keeping the time', () => {
    expect(calendar.workingDayOnOrBefore(london('2026-04-02T10:00')).toISO({ includeOffset: false })).toBe('2026-04-02T10:00:00.000');
    expect(calendar.workingDayOnOrBefore(london('2026-04-06T10:00')).toISO({ includeOffset: false })).toBe('2026-04-02T10:00:00.000');
  });
});

describe('atLocalTime and nextWorkingTimeAt', () => {
  it('puts a local time on the local date of the given instant', () => {
    // 23:30Z on 30 June is already 1 July in London.
    expect(utc(calendar.atLocalTime(DateTime.fromISO('2026-06-30T23:30:00Z'), '09:00'))).toBe('2026-07-01T08:00:00.000Z');
    expect(utc(calendar.atLocalTime(DateTime.fromISO('2026-01-15T12:00:00Z'), '09:00'))).toBe('2026-01-15T09:00:00.000Z');
  });

  it('moves a time skipped by the spring change forward by an hour', () => {
    expect(utc(calendar.atLocalTime(london('2026-03-29T12:00'), '01:30'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('rejects a malformed time', () => {
    expect(() => calendar.atLocalTime(london('2026-05-11T10:00'), '9am')).toThrow(/9am/);
    expect(() => calendar.atLocalTime(london('2026-05-11T10:00'), '24:00')).toThrow(RangeError);
  });

  it('gives today at that time when it is still to come on a working day', () => {
    expect(utc(calendar.nextWorkingTimeAt(london('2026-04-02T08:00'), '09:00'))).toBe('2026-04-02T08:00:00.000Z');
    expect(utc(calendar.nextWorkingTimeAt(london('2026-04-02T09:00'), '09:00'))).toBe('2026-04-02T08:00:00.000Z');
  });

  it('skips to the next working day once the time has passed or the day is a holiday', () => {
    expect(utc(calendar.nextWorkingTimeAt(london('2026-04-02T09:01'), '09:00'))).toBe('2026-04-07T08:00:00.000Z');
    expect(utc(calendar.nextWorkingTimeAt(london('2026-04-03T07:00'), '09:00'))).toBe('2026-04-07T08:00:00.000Z');
    // Friday evening in GMT to Monday morning in BST.
    expect(utc(calendar.nextWorkingTimeAt(london('2026-03-27T18:00'), '09:00'))).toBe('2026-03-30T08:00:00.000Z');
  });
});

describe('endOfWorkingDayDeadline', () => {
  it('"within 5 working days" of a Friday before a bank holiday Monday ends the following Monday night', () => {
    // Day 0 Fri 22 May 2026; Mon 25 May is a bank holiday; Tue 26 ... Mon 1 Jun is the 5th working day.
    const deadline = calendar.endOfWorkingDayDeadline(london('2026-05-22T16:45'), 5);
    expect(deadline.toISO()).toBe('2026-06-01T23:59:59.999+01:00');
    expect(utc(deadline)).toBe('2026-06-01T22:59:59.999Z');
  });

  it('counts from the local date of awareness, even late at night', () => {
    // 23:30Z Thu 27 Aug 2026 is 00:30 BST Fri 28 Aug: day 0 is the Friday before the August bank holiday.
    const deadline = calendar.endOfWorkingDayDeadline(DateTime.fromISO('2026-08-27T23:30:00Z'), 5);
    expect(deadline.toISO()).toBe('2026-09-07T23:59:59.999+01:00');
  });

  it('runs over Christmas and New Year in GMT', () => {
    expect(utc(calendar.endOfWorkingDayDeadline(london('2026-12-24T11:00'), 5))).toBe('2027-01-05T23:59:59.999Z');
  });

  it('rejects a negative number of working days', () => {
    expect(() => calendar.endOfWorkingDayDeadline(london('2026-05-22T16:45'), -1)).toThrow(RangeError);
  });
});
