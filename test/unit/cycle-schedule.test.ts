import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/core/calendar.js';
import type { CyclePlan } from '../../src/features/cycles/model.js';
import { parseCyclePlans, type CyclePlanInput } from '../../src/features/cycles/schema.js';
import { isOverdue, planStages, stageDeadline } from '../../src/features/cycles/schedule.js';

const ZONE = 'Europe/London';
const calendar = new WorkingCalendar({ zone: ZONE });
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

function plan(input: CyclePlanInput): CyclePlan {
  const [parsed] = parseCyclePlans([input]);
  if (!parsed) throw new Error('no plan parsed');
  return parsed;
}

const hub = { group: 'quality-learning-improvement-hubs' };
const focusReview = plan({
  key: 'focus-review',
  name: 'Strategic focus review',
  stages: [
    { key: 'scoping', name: 'Scoping', owner: hub, done: 'Scope agreed', duration: { months: 1 } },
    { key: 'audits', name: 'Audits', owner: hub, done: 'Audits done', duration: { months: 1 } },
    { key: 'feedback', name: 'Feedback', owner: hub, done: 'Feedback gathered', duration: { months: 1 } },
    { key: 'recommendations', name: 'Recommendations', owner: hub, done: 'Agreed', duration: { months: 1 } },
    { key: 'impact-6', name: '6-month impact', owner: { group: 'business-team' }, done: 'Reported', after: 'recommendations', offset: { months: 6 }, duration: { months: 1 } },
    { key: 'impact-12', name: '12-month impact', owner: { group: 'business-team' }, done: 'Reported', after: 'recommendations', offset: { months: 12 }, duration: { months: 1 } },
  ],
});

const windows = (stages: { key: string; opensOn: string; dueOn: string }[]) =>
  stages.map(({ key, opensOn, dueOn }) => [key, opensOn, dueOn]);

describe('planStages: a Warwickshire focus review started on Monday 7 September 2026', () => {
  const stages = planStages(focusReview, local('2026-09-07T10:00'), calendar);

  it('gives each month its window, bringing weekend due dates back to the Friday without drifting later months', () => {
    expect(windows(stages)).toEqual([
      ['scoping', '2026-09-07', '2026-10-07'],
      ['audits', '2026-10-07', '2026-11-06'], // 7 Nov is a Saturday: due the Friday before, never later than a month
      ['feedback', '2026-11-09', '2026-12-07'], // opens the Monday; still due the 7th, not 4 or 9 Dec
      ['recommendations', '2026-12-07', '2027-01-07'], // across Christmas and New Year
      ['impact-6', '2027-07-07', '2027-08-06'], // 7 Aug 2027 is a Saturday
      ['impact-12', '2028-01-07', '2028-02-07'],
    ]);
  });

  it('lands the 6- and 12-month impact checks on working days', () => {
    for (const key of ['impact-6', 'impact-12']) {
      const stage = stages.find((s) => s.key === key);
      expect(stage && calendar.isWorkingDay(local(stage.opensOn))).toBe(true);
      expect(stage && calendar.isWorkingDay(local(stage.dueOn))).toBe(true);
    }
  });

  it('sends escalations for a group-owned stage to that group', () => {
    expect(stages.map((s) => s.escalationGroup)).toEqual([
      'quality-learning-improvement-hubs', 'quality-learning-improvement-hubs', 'quality-learning-improvement-hubs',
      'quality-learning-improvement-hubs', 'business-team', 'business-team',
    ]);
  });
});

describe('planStages: moved due dates', () => {
  const start = local('2026-09-07T10:00');

  it('moving the recommendations moves the impact checks measured from them, nothing before', () => {
    const stages = planStages(focusReview, start, calendar, { recommendations: { dueOn: '2027-01-21' } });
    expect(windows(stages)).toEqual([
      ['scoping', '2026-09-07', '2026-10-07'],
      ['audits', '2026-10-07', '2026-11-06'],
      ['feedback', '2026-11-09', '2026-12-07'],
      ['recommendations', '2026-12-07', '2027-01-21'],
      ['impact-6', '2027-07-21', '2027-08-20'], // 21 Aug 2027 is a Saturday
      ['impact-12', '2028-01-21', '2028-02-21'],
    ]);
    expect(stages[3]?.plannedDueOn).toBe('2027-01-07');
  });

  it('giving the audits more time leaves the following months on the plan', () => {
    const stages = planStages(focusReview, start, calendar, { audits: { dueOn: '2026-11-20' } });
    expect(windows(stages).slice(1, 3)).toEqual([
      ['audits', '2026-10-07', '2026-11-20'],
      ['feedback', '2026-11-09', '2026-12-07'],
    ]);
  });

  it('refuses a move for a stage the plan does not have', () => {
    expect(() => planStages(focusReview, start, calendar, { scopin: { dueOn: '2026-10-09' } })).toThrow(/no stage "scopin"/);
  });
});

describe('planStages: fixed dates, meetings and awkward starts', () => {
  const owner = { group: 'pqa' };

  it('keeps a fixed due date, bringing one on a weekend back to the Friday', () => {
    const fixed = plan({
      key: 'annual-report', name: 'Annual report', stages: [
        { key: 'draft', name: 'Draft', owner, done: 'Drafted', due: '2027-03-31' },
        { key: 'sign-off', name: 'Sign-off', owner, done: 'Signed', due: '2027-05-29' }, // Sat; Mon 31 May is a bank holiday
        { key: 'publish', name: 'Publish', owner, done: 'Published', duration: { workingDays: 5 } },
      ],
    });
    expect(windows(planStages(fixed, local('2027-02-01'), calendar))).toEqual([
      ['draft', '2027-02-01', '2027-03-31'],
      ['sign-off', '2027-03-31', '2027-05-28'],
      // Day 0 is the nominal Saturday, so the 5th working day is Mon 7 June (Tue 1 June is the first).
      ['publish', '2027-06-01', '2027-06-07'],
    ]);
  });

  it('opens a stage no later than its fixed due date', () => {
    const early = plan({ key: 'p', name: 'P', stages: [{ key: 'late', name: 'L', owner, done: 'D', due: '2027-01-04' }] });
    expect(windows(planStages(early, local('2027-02-01'), calendar))).toEqual([['late', '2027-01-04', '2027-01-04']]);
  });

  it('places papers before a meeting when the cycle is started with the meeting date', () => {
    const meeting = plan({
      key: 'pqa-meeting', name: 'PQA meeting', startDateIs: 'the meeting date', stages: [
        { key: 'papers', name: 'Papers', owner, done: 'In', after: 'start', offset: { workingDays: -15 }, duration: { workingDays: 10 } },
        { key: 'circulate', name: 'Circulate', owner, done: 'Sent', duration: { workingDays: 2 } },
        { key: 'meeting', name: 'Meeting', owner, done: 'Held', after: 'start', duration: { workingDays: 0 } },
        { key: 'minutes', name: 'Minutes', owner, done: 'Out', duration: { workingDays: 10 } },
      ],
    });
    // Meeting Thursday 11 March 2027: papers 5 working days before, circulated 3 before.
    expect(windows(planStages(meeting, local('2027-03-11'), calendar))).toEqual([
      ['papers', '2027-02-18', '2027-03-04'],
      ['circulate', '2027-03-04', '2027-03-08'],
      ['meeting', '2027-03-11', '2027-03-11'],
      ['minutes', '2027-03-11', '2027-03-25'],
    ]);
  });

  it('opens a cycle started on a Saturday on the Monday but measures months from the Saturday', () => {
    const [scoping] = planStages(focusReview, local('2026-09-05'), calendar);
    expect(scoping && [scoping.opensOn, scoping.dueOn]).toEqual(['2026-09-07', '2026-10-05']);
  });

  it('takes the start date in the partnership time zone, not UTC', () => {
    // 23:30 UTC on 6 Sep 2026 is 00:30 on 7 Sep in London (BST).
    const [scoping] = planStages(focusReview, DateTime.fromISO('2026-09-06T23:30:00Z', { zone: 'utc' }), calendar);
    expect(scoping?.opensOn).toBe('2026-09-07');
  });
});

describe('planStages: a calendar-day due date on a non-working day (dueOnNonWorkingDay)', () => {
  const owner = { group: 'practice-review' };
  const within28Days = (rules: Partial<Pick<CyclePlanInput, 'dueOnNonWorkingDay'>> = {}, stageRule?: 'earlier' | 'later') => plan({
    key: 'rapid-review', name: 'Rapid review', ...rules, stages: [
      { key: 'review', name: 'Review', owner, done: 'Sent to the panel', duration: { days: 28 }, ...(stageRule ? { dueOnNonWorkingDay: stageRule } : {}) },
      { key: 'follow-up', name: 'Follow-up', owner, done: 'Done', duration: { workingDays: 5 } },
    ],
  });
  // 28 days from Monday 9 March 2026 is Monday 6 April 2026, Easter Monday.
  const start = local('2026-03-09');

  it('never lands later than the statutory limit: Easter Monday moves back to Thursday 2 April (Good Friday is a holiday too)', () => {
    const [review] = planStages(within28Days(), start, calendar);
    expect(review && [review.dueOn, review.plannedDueOn]).toEqual(['2026-04-02', '2026-04-02']);
  });

  it('keeps the old move to the next working day when the plan asks for later', () => {
    const [review] = planStages(within28Days({ dueOnNonWorkingDay: 'later' }), start, calendar);
    expect(review?.dueOn).toBe('2026-04-07');
  });

  it('lets a stage override its plan, either way', () => {
    expect(planStages(within28Days({}, 'later'), start, calendar)[0]?.dueOn).toBe('2026-04-07');
    expect(planStages(within28Days({ dueOnNonWorkingDay: 'later' }, 'earlier'), start, calendar)[0]?.dueOn).toBe('2026-04-02');
  });

  it('counts the following working-day stage from the nominal date, whatever the rule', () => {
    // Day 0 is Easter Monday; the 5th working day after it is Monday 13 April.
    for (const rule of ['earlier', 'later'] as const) {
      const [, followUp] = planStages(within28Days({ dueOnNonWorkingDay: rule }), start, calendar);
      expect(followUp && [followUp.opensOn, followUp.dueOn]).toEqual(['2026-04-07', '2026-04-13']);
    }
  });

  it('leaves a due date on a working day where it is', () => {
    const [review] = planStages(within28Days(), local('2026-03-10'), calendar);
    expect(review?.dueOn).toBe('2026-04-07');
  });
});

describe('stageDeadline and isOverdue', () => {
  const stage = { dueOn: '2026-10-25' }; // the day the clocks go back

  it('is on time until the end of the due date, local time', () => {
    expect(stageDeadline(stage, calendar).toUTC().toISO()).toBe('2026-10-25T23:59:59.999Z');
    expect(isOverdue(stage, local('2026-10-25T23:59'), calendar)).toBe(false);
    expect(isOverdue(stage, local('2026-10-26T00:00'), calendar)).toBe(true);
  });
});
