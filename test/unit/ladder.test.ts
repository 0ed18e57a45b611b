import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/core/calendar.js';
import { ladderSteps, stepKindOf, type Ladder } from '../../src/workflow/ladder.js';
import { firedStepVerdict } from '../../src/workflow/ladder-timers.js';

// The shared ladder with what cycles never use: working-hour timeouts, repeats and a deputy (a rapid-review
// acknowledgement, a chair's ping about a dispute).
const calendar = new WorkingCalendar();
const london = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' });
const at = (steps: ReturnType<typeof ladderSteps>) => steps.map((s) => [s.key, s.audience, s.at.setZone('Europe/London').toFormat('ccc d LLL HH:mm')]);

const chairPing: Ladder = {
  sendAt: '09:30',
  before: [],
  onStart: false,
  onDueDay: false,
  chaseEvery: null,
  levels: [
    {
      kind: 'ping-chair',
      audience: 'chair',
      who: 'the chair',
      after: { workingHours: 4 },
      repeat: { times: 2, every: { workingHours: 2 } },
      deputy: { audience: 'vice-chair', who: 'the vice-chair' },
    },
    { kind: 'tell-manager', audience: 'manager', who: 'the business manager', after: { workingDays: 2 } },
  ],
};

describe('the shared ladder', () => {
  it('counts working hours from the end of the due day, repeats, then goes to the deputy, skipping the weekend', () => {
    // Due Friday 4 Dec 2026: 4 working hours after 17:00 Friday is 13:00 Monday; repeats every 2 working hours
    // (the second lands on the stroke of 17:00), and the deputy hears 2 working hours after that: 11:00 Tuesday.
    const steps = ladderSteps({ dueOn: '2026-12-04' }, chairPing, calendar, { now: london('2026-12-01T10:00'), state: 'open' });
    expect(at(steps)).toEqual([
      ['ping-chair:4@2026-12-04', 'chair', 'Mon 7 Dec 13:00'],
      ['ping-chair:4:again-1@2026-12-04', 'chair', 'Mon 7 Dec 15:00'],
      ['ping-chair:4:again-2@2026-12-04', 'chair', 'Mon 7 Dec 17:00'],
      ['tell-manager:2@2026-12-04', 'manager', 'Tue 8 Dec 09:30'],
      ['ping-chair:4:deputy@2026-12-04', 'vice-chair', 'Tue 8 Dec 11:00'],
    ]);
    expect(steps.map((s) => stepKindOf(s.key))).toEqual(['ping-chair', 'ping-chair', 'ping-chair', 'tell-manager', 'ping-chair']);
    expect(steps[4]!.rule).toBe('4 working hours overdue, no answer: tell the vice-chair, 09:30');
  });

  it('skips a bank holiday inside a working-hour timeout', () => {
    // Due Thursday 24 Dec 2026: Christmas Day and the Boxing Day substitute (Mon 28) are not working days.
    const [first] = ladderSteps({ dueOn: '2026-12-24' }, chairPing, calendar, { now: london('2026-12-21T10:00'), state: 'open' });
    expect(at([first!])).toEqual([['ping-chair:4@2026-12-24', 'chair', 'Tue 29 Dec 13:00']]);
  });

  it('sends a missed level step once at the next sending time, and never again once sent', () => {
    // The bot was down from Monday morning until Tuesday 10:45: every step due meanwhile goes at Wednesday's 09:30.
    const now = london('2026-12-08T10:45');
    const missed = ladderSteps({ dueOn: '2026-12-04' }, chairPing, calendar, { now, state: 'open' });
    expect(at(missed)).toEqual([
      ['ping-chair:4:deputy@2026-12-04', 'vice-chair', 'Tue 8 Dec 11:00'],
      ['ping-chair:4@2026-12-04', 'chair', 'Wed 9 Dec 09:30'],
      ['ping-chair:4:again-1@2026-12-04', 'chair', 'Wed 9 Dec 09:30'],
      ['ping-chair:4:again-2@2026-12-04', 'chair', 'Wed 9 Dec 09:30'],
      ['tell-manager:2@2026-12-04', 'manager', 'Wed 9 Dec 09:30'],
    ]);
    expect(missed.find((s) => s.key.startsWith('ping-chair:4@'))!.rule).toBe('4 working hours overdue (missed, sent late): tell the chair, 09:30');
    const sent = new Set(missed.map((s) => s.key).filter((key) => !key.includes('deputy')));
    expect(at(ladderSteps({ dueOn: '2026-12-04' }, chairPing, calendar, { now, state: 'open', alreadySent: sent }))).toEqual([
      ['ping-chair:4:deputy@2026-12-04', 'vice-chair', 'Tue 8 Dec 11:00'],
    ]);
  });

  it('a settled subject (acknowledged, resolved) has no steps at all', () => {
    expect(ladderSteps({ dueOn: '2026-12-04' }, chairPing, calendar, { now: london('2026-12-01T10:00'), state: 'settled' })).toEqual([]);
  });

  it('a fired step stands down when the due day moved, and waits for a working day when the calendar changed', () => {
    const friday = london('2026-12-04T09:30');
    expect(firedStepVerdict('ping-chair:4@2026-12-04', '2026-12-04', calendar, friday)).toBe('send');
    expect(firedStepVerdict('ping-chair:4@2026-12-04', '2026-12-11', calendar, friday)).toBe('stale');
    expect(firedStepVerdict('ping-chair:4@2026-12-04', '2026-12-04', calendar, london('2026-12-05T09:30'))).toBe('not-a-working-day');
  });
});
