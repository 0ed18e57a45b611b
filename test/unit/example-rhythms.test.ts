import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPartnershipFile } from '../../src/app/partnership-file.js';
import { WorkingCalendar } from '../../src/core/calendar.js';
import type { CyclePlan } from '../../src/features/cycles/model.js';
import { occurrenceDates } from '../../src/workflow/recurrence.js';
import { planStages } from '../../src/features/cycles/schedule.js';
import { plansIn } from '../../src/features/cycles/schema.js';

// The example partnerships run the year their seeds describe (/work/shared/seeds, issue 8 section 3): checked on the
// dates their recurring plans give in 2027.
const dir = join(import.meta.dirname, '../../examples/partnerships');
const calendar = new WorkingCalendar();
const year2027 = { from: '2027-01-01', to: '2027-12-31' };

async function load(name: string) {
  const file = await loadPartnershipFile(join(dir, `${name}.yaml`));
  const plans = plansIn(file);
  const plan = (key: string): CyclePlan => {
    const found = plans.find((p) => p.key === key);
    if (!found) throw new Error(`${name} has no plan ${key}`);
    return found;
  };
  const meetingsPerYear = (group: string) => file.groups.find((g) => g.key === group)?.meetingsPerYear ?? undefined;
  const datesOf = (key: string, group?: string) => occurrenceDates(plan(key).recurs!, meetingsPerYear(group ?? plan(key).group ?? ''), year2027);
  /** Every group a recurring meeting plan runs for, with its dates in 2027. */
  const meetingDates = () => {
    const byGroup = new Map<string, string[]>();
    for (const p of plans.filter((p) => p.recurs?.pattern.kind === 'meetings')) {
      const groups = p.forEachGroup && 'groups' in p.forEachGroup ? p.forEachGroup.groups : [p.group!];
      for (const g of groups) byGroup.set(g, [...(byGroup.get(g) ?? []), ...occurrenceDates(p.recurs!, meetingsPerYear(g), year2027)]);
    }
    return byGroup;
  };
  return { file, plan, datesOf, meetingDates };
}

const stagesOf = (plan: CyclePlan, date: string) => planStages(plan, DateTime.fromISO(date, { zone: calendar.zone }), calendar);

describe('Swindon (seed 004)', () => {
  it('every group with a meeting rhythm meets that often: the Executive 8 times, the boards, PQA and the subgroups 4 times each', async () => {
    const { file, meetingDates } = await load('swindon');
    const meetings = meetingDates();
    const rhythmic = file.groups.filter((g) => g.meetingsPerYear !== undefined);
    expect(rhythmic.map((g) => g.key).sort()).toEqual([...meetings.keys()].sort());
    for (const group of rhythmic) expect(meetings.get(group.key), group.key).toHaveLength(group.meetingsPerYear!);
    expect(rhythmic.filter((g) => g.meetingsPerYear === 4)).toHaveLength(8); // the seven groups, and PQA
  });

  it('has the chair of every Priority Focus Group in the Delivery Group', async () => {
    const { file } = await load('swindon');
    const delivery = file.groups.find((g) => g.key === 'delivery-group')!;
    const pfgChairs = file.groups.filter((g) => g.kind === 'task_and_finish').map((g) => g.chair);
    expect(pfgChairs.length).toBeGreaterThan(0);
    for (const chair of pfgChairs) expect(delivery.members).toContain(chair);
  });
});

describe('Warwickshire (seed 001)', () => {
  it('runs three review windows a year, each closed by a learning event and the partnership groups meeting after the recommendations are due', async () => {
    const { plan, datesOf } = await load('warwickshire');
    const reviews = datesOf('focus-review');
    const events = datesOf('focus-review-learning-event');
    const children = datesOf('childrens-partnership-group-meeting');
    const adults = datesOf('adults-partnership-group-meeting');
    expect([reviews.length, events.length, children.length, adults.length]).toEqual([3, 2, 2, 2]); // the third window closes in January 2028
    for (const [i, event] of events.entries()) {
      const recommendations = stagesOf(plan('focus-review'), reviews[i]!).find((s) => s.key === 'recommendations')!;
      expect(event > recommendations.dueOn, `learning event ${event}`).toBe(true);
      expect(children[i]! > event && adults[i]! > event, `partnership groups after ${event}`).toBe(true);
    }
    expect(plan('focus-review-learning-event').stages.find((s) => s.key === 'invitations')?.done).toMatch(/independent scrutineer/);
  });

  it('has WSEB agree the annual report once a year, at one of its meetings', async () => {
    const { datesOf } = await load('warwickshire');
    const [agreed, ...more] = datesOf('annual-report');
    expect(more).toEqual([]);
    expect(datesOf('executive-board-meeting')).toContain(agreed);
  });
});

describe('Walsall (seed 003)', () => {
  it('asks every agency for its quarterly figures and narrative, each quarter', async () => {
    const { plan, datesOf } = await load('walsall');
    expect(datesOf('quarterly-dataset')).toEqual(['2027-03-31', '2027-06-30', '2027-09-30', '2027-12-31']);
    expect(plan('quarterly-dataset').stages[0]?.returns).toMatchObject({ from: { kind: 'all' }, as: 'form', narrative: true });
  });

  it('plans the multi-agency audit programme once a year, and evaluates training before, after, at six weeks and at six months', async () => {
    const { plan, datesOf } = await load('walsall');
    expect(datesOf('multi-agency-audit-programme')).toHaveLength(1);
    const course = '2027-05-12';
    const windows = Object.fromEntries(stagesOf(plan('training-evaluation'), course).map((s) => [s.key, s.dueOn]));
    expect(windows['pre-course']).toBe(course);
    expect(windows['post-course']! > course).toBe(true);
    expect(windows['six-weeks']! >= '2027-06-23').toBe(true);
    expect(windows['six-months']! >= '2027-11-12').toBe(true);
  });
});

describe('Dudley (seed 002)', () => {
  it('reviews the protocol every year, ratified by each of the four boards in February and March, signed before 1 April', async () => {
    const { plan, datesOf, file } = await load('dudley');
    expect(datesOf('protocol-review')).toEqual(['2027-04-01']);
    const stages = stagesOf(plan('protocol-review'), '2027-04-01');
    const boards = file.groups.filter((g) => g.kind === 'board').map((g) => g.key).sort();
    const ratified = stages.filter((s) => s.key.startsWith('ratified-by-'));
    expect(ratified.map((s) => (s.owner.kind === 'group' ? s.owner.group : '')).sort()).toEqual(boards);
    for (const s of ratified) expect([s.opensOn >= '2027-02-01', s.dueOn <= '2027-03-31']).toEqual([true, true]);
    expect(stages.find((s) => s.key === 'signed')?.dueOn).toBe('2027-04-01');
  });

  it('exchanges the annual reports between the boards for scrutiny once a year', async () => {
    const { datesOf, plan } = await load('dudley');
    expect(datesOf('annual-report-exchange')).toHaveLength(1);
    const owners = plan('annual-report-exchange').stages.filter((s) => s.key.endsWith('-scrutiny')).map((s) => (s.owner.kind === 'group' ? s.owner.group : ''));
    expect(owners.sort()).toEqual(['health-and-wellbeing-board', 'safe-and-sound-strategic-board', 'safeguarding-children-board']);
  });
});

describe('Warrington (seed 000)', () => {
  it('puts one safeguarding item a year on the Community Safety Partnership agenda, and the quarterly updates before each SAB', async () => {
    const { datesOf } = await load('warrington');
    expect(datesOf('csp-safeguarding-item')).toHaveLength(1);
    expect(datesOf('domestic-abuse-update')).toHaveLength(4);
    expect(datesOf('hate-crime-update')).toEqual(datesOf('domestic-abuse-update'));
  });
});
