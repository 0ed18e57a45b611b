import { describe, expect, it } from 'vitest';
import { occurrenceDates } from '../../src/workflow/recurrence.js';
import { recurrenceSchema } from '../../src/workflow/recurrence-schema.js';

const recurs = (raw: unknown) => recurrenceSchema.parse(raw);
const year2027 = { from: '2027-01-01', to: '2027-12-31' };

describe('recurring plan dates', () => {
  it('monthly from the 31st keeps to the last day of shorter months', () => {
    expect(occurrenceDates(recurs({ every: { months: 1 }, from: '2027-01-31' }), undefined, { from: '2027-01-01', to: '2027-04-30' }))
      .toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
  });

  it('quarterly, and every N months, count from the first date', () => {
    expect(occurrenceDates(recurs({ every: { months: 3 }, from: '2027-01-14' }), undefined, year2027))
      .toEqual(['2027-01-14', '2027-04-14', '2027-07-14', '2027-10-14']);
    expect(occurrenceDates(recurs({ every: { months: 5 }, from: '2026-11-02' }), undefined, year2027))
      .toEqual(['2027-04-02', '2027-09-02']);
  });

  it('yearly on a date, and every two years, still give the next date beyond the window', () => {
    expect(occurrenceDates(recurs({ every: { years: 1 }, from: '2024-02-29' }), undefined, { from: '2027-01-01', to: '2028-12-31' }))
      .toEqual(['2027-02-28', '2028-02-29']);
    const everyTwo = recurs({ every: { years: 2 }, from: '2027-04-01' });
    expect(occurrenceDates(everyTwo, undefined, { from: '2027-05-01', to: '2027-12-31', atLeast: 2 })).toEqual(['2029-04-01', '2031-04-01']);
  });

  it('a rule such as the second Tuesday of January, March, May...', () => {
    const rule = recurs({ rule: 'FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=2TU', from: '2027-01-01' });
    expect(occurrenceDates(rule, undefined, year2027))
      .toEqual(['2027-01-12', '2027-03-09', '2027-05-11', '2027-07-13', '2027-09-14', '2027-11-09']);
  });

  it('an explicit list, trimmed to the window and to until', () => {
    const listed = recurs({ dates: ['2027-03-11', '2027-01-14', '2027-05-13'], until: '2027-04-30' });
    expect(occurrenceDates(listed, undefined, { from: '2027-02-01', to: '2027-12-31' })).toEqual(['2027-03-11']);
  });

  it("a group's meetingsPerYear gives its default rhythm", () => {
    const meetings = recurs({ meetings: 'per-year', from: '2027-01-12' }); // the second Tuesday
    expect(occurrenceDates(meetings, 4, year2027)).toEqual(['2027-01-12', '2027-04-13', '2027-07-13', '2027-10-12']);
    expect(occurrenceDates(meetings, 8, year2027)).toHaveLength(8);
    expect(occurrenceDates(meetings, 8, year2027).slice(0, 2)).toEqual(['2027-01-12', '2027-03-02']);
    expect(occurrenceDates(meetings, undefined, year2027)).toEqual([]);
  });

  it('explains bad recurrences', () => {
    const problems = (raw: unknown) => recurrenceSchema.safeParse(raw).error?.issues.map((i) => i.message) ?? [];
    expect(problems({ from: '2027-01-01' })).toContain('say when it recurs: one of every, rule, dates or meetings');
    expect(problems({ every: { months: 1 } })).toContain('give the first date as from: YYYY-MM-DD');
    expect(problems({ rule: 'FREQ=SOMETIMES', from: '2027-01-01' })[0]).toMatch(/not a recurrence rule/);
    expect(problems({ every: { months: 1 }, from: '2027-01-01', title: '{plan} {colour}' })[0]).toMatch(/unknown placeholder \{colour\}/);
    expect(problems({ every: { months: 1, weeks: 2 }, from: '2027-01-01' })[0]).toMatch(/exactly one of months, weeks, years/);
  });
});
