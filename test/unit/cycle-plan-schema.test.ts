import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/core/calendar.js';
import { loadPartnershipFile as loadPartnershipConfig } from '../../src/app/partnership-file.js';
import {
  cyclePlansSchema, findPlanReferenceProblems, parseCyclePlans, plansIn, type CyclePlanInput,
} from '../../src/features/cycles/schema.js';
import { planStages } from '../../src/features/cycles/schedule.js';

const partnershipsDir = join(import.meta.dirname, '../../examples/partnerships');

type StageInput = CyclePlanInput['stages'][number];
const stage = (overrides: Partial<StageInput> = {}): StageInput => ({
  key: 'scoping', name: 'Scoping', owner: { group: 'hub' }, done: 'Scope agreed', duration: { months: 1 }, ...overrides,
});
const planWith = (...stages: StageInput[]): CyclePlanInput => ({ key: 'focus-review', name: 'Focus review', stages });

/** `path: message` for every problem, e.g. `0.stages.1.after: unknown stage ...`. */
function problems(plans: unknown): string[] {
  const result = cyclePlansSchema.safeParse(plans);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('cycle plan schema', () => {
  it('fills in the defaults a plan author may leave out', () => {
    const [plan] = parseCyclePlans([planWith(stage(), stage({ key: 'audits', owner: { role: 'partner_lead' } }))]);
    expect(plan?.startDateIs).toBe('the date the cycle starts');
    expect(plan?.stages.map((s) => [s.after, s.owner, s.duration])).toEqual([
      ['previous', { kind: 'group', group: 'hub' }, { unit: 'months', amount: 1 }],
      ['previous', { kind: 'role', role: 'partner_lead' }, { unit: 'months', amount: 1 }],
    ]);
  });

  it('refuses a stage with two owners, or none', () => {
    expect(problems([planWith(stage({ owner: { group: 'hub', members: ['sam-patel'] } }))]))
      .toEqual(['0.stages.0.owner: give only one owner, not both group and members']);
    expect(problems([planWith(stage({ owner: {} }))]))
      .toEqual(['0.stages.0.owner: give an owner: one of group, role, members']);
  });

  it('refuses a stage with neither a duration nor a due date, or both', () => {
    expect(problems([planWith(stage({ duration: undefined }))]))
      .toEqual(['0.stages.0: give a due date: one of duration, due']);
    expect(problems([planWith(stage({ due: '2027-03-31' }))]))
      .toEqual(['0.stages.0: give only one due date, not both duration and due']);
  });

  it('names an unknown `after` stage and suggests the likely one', () => {
    const plan = planWith(
      stage({ key: 'recommendations' }),
      stage({ key: 'impact-6', after: 'recomendations', offset: { months: 6 } }),
    );
    expect(problems([plan])).toEqual(['0.stages.1.after: unknown stage "recomendations" (did you mean "recommendations"?)']);
  });

  it('only measures a stage from an earlier one', () => {
    const plan = planWith(stage({ key: 'audits', after: 'scoping' }), stage({ key: 'scoping' }));
    expect(problems([plan])).toEqual([
      '0.stages.0.after: "scoping" is not an earlier stage; a stage can only be measured from a stage before it',
    ]);
  });

  it('refuses duplicate and reserved keys', () => {
    expect(problems([planWith(stage(), stage()), planWith(stage({ key: 'start' }))])).toEqual([
      '0.stages.1.key: duplicate stage key "scoping" (already used by stages[0])',
      '1.stages.0.key: "start" is reserved (after: start has its own meaning); choose another stage key',
      '1.key: duplicate plan key "focus-review" (already used by plans[0])',
    ]);
  });

  it('explains badly written lengths, times and reminder settings', () => {
    const plan = {
      ...planWith(stage({ duration: { months: 1, weeks: 2 }, reminders: { sendAt: '9:30' } })),
      reminders: { escalateAfter: 5, escalateToManagerAfter: 5, overdueEvery: 0 },
    };
    expect(problems([plan])).toEqual([
      '0.reminders.overdueEvery: must be at least 1',
      '0.stages.0.duration: give only one length, not both months and weeks',
      '0.stages.0.reminders.sendAt: "9:30" is not a time written HH:mm, e.g. "09:30"',
    ]);
    expect(problems([{ ...planWith(stage()), reminders: { escalateAfter: 5, escalateToManagerAfter: 5 } }])).toEqual([
      '0.stages.0.reminders: escalateToManagerAfter (5) must be more working days than escalateAfter (5): the chair hears first, then the business manager',
    ]);
  });

  it('says what a reminder setting may be', () => {
    expect(problems([{ ...planWith(stage()), reminders: { escalateAfter: 'never' } }])).toEqual([
      '0.reminders.escalateAfter: must be a whole number of working days (at least 1), or false to turn it off',
    ]);
  });

  it('reads where a calendar-day due date on a non-working day goes, plan and stage, and refuses anything else', () => {
    const [plan] = parseCyclePlans([{ ...planWith(stage(), stage({ key: 'audits', dueOnNonWorkingDay: 'later' })), dueOnNonWorkingDay: 'earlier' }]);
    expect([plan?.dueOnNonWorkingDay, ...(plan?.stages.map((s) => s.dueOnNonWorkingDay) ?? [])]).toEqual(['earlier', undefined, 'later']);
    expect(problems([planWith(stage({ dueOnNonWorkingDay: 'before' as never }))])).toEqual([
      '0.stages.0.dueOnNonWorkingDay: "before" is not a rule for a due date on a non-working day: use earlier (the working day before) or later (the working day after)',
    ]);
  });

  it('allows a negative offset but not a negative duration', () => {
    expect(problems([planWith(stage({ after: 'start', offset: { workingDays: -15 } }))])).toEqual([]);
    expect(problems([planWith(stage({ duration: { workingDays: -1 } }))])).toEqual(['0.stages.0.duration.workingDays: must not be negative']);
  });
});

describe('example cycle plans (the plans: section of each example partnership)', () => {
  it('every example partnership has plans, they refer to its own groups and members, and every plan can be scheduled', async () => {
    const files = (await readdir(partnershipsDir)).filter((f) => f.endsWith('.yaml'));
    expect(files).toHaveLength(5);
    for (const file of files) {
      const partnership = await loadPartnershipConfig(join(partnershipsDir, file));
      expect(plansIn(partnership).length, file).toBeGreaterThan(0);
      expect(findPlanReferenceProblems(plansIn(partnership), partnership), file).toEqual([]);
      const calendar = new WorkingCalendar({ zone: partnership.partnership.timezone });
      for (const plan of plansIn(partnership)) {
        for (const planned of planStages(plan, DateTime.fromISO('2027-03-11'), calendar)) {
          expect(planned.opensOn <= planned.dueOn, `${file} ${plan.key}.${planned.key}`).toBe(true);
        }
      }
    }
  });

  it('ships the rhythms the seeds describe', async () => {
    const planKeys = async (file: string) =>
      plansIn(await loadPartnershipConfig(join(partnershipsDir, file))).map((plan) => plan.key);
    expect(await planKeys('warwickshire.yaml')).toEqual([
      'focus-review', 'focus-review-learning-event', 'executive-board-meeting', 'childrens-partnership-group-meeting',
      'adults-partnership-group-meeting', 'annual-report',
    ]);
    expect(await planKeys('walsall.yaml')).toEqual(['quarterly-dataset', 'multi-agency-audit-programme', 'multi-agency-audit', 'training-evaluation', 'single-agency-training-assurance']);
    expect(await planKeys('swindon.yaml')).toEqual(['executive-meeting', 'pqa-meeting', 'board-meeting', 'subgroup-meeting', 'delivery-group-meeting', 'multi-agency-audit']);
    expect(await planKeys('dudley.yaml')).toEqual(['protocol-review', 'annual-report-exchange']);
    expect(await planKeys('warrington.yaml')).toEqual(['domestic-abuse-update', 'hate-crime-update', 'csp-safeguarding-item']);
  });

  it('reports owners that are not in the partnership, with a suggestion', async () => {
    const partnership = await loadPartnershipConfig(join(partnershipsDir, 'walsall.yaml'));
    const plans = parseCyclePlans([{
      ...planWith(
        stage({ owner: { group: 'performance-quality-assurence' } }),
        stage({ key: 'narrative', owner: { members: ['stuart-pemberton', 'nobody-at-all'] } }),
      ),
      group: 'no-such-group',
    }]);
    expect(findPlanReferenceProblems(plans, partnership).map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual([
      'plans.0.group: unknown group "no-such-group"',
      'plans.0.stages.0.owner.group: unknown group "performance-quality-assurence" (did you mean "performance-quality-assurance"?)',
      'plans.0.stages.1.owner.members.1: unknown member "nobody-at-all"',
    ]);
  });
});
