import { describe, expect, it } from 'vitest';
import { cyclePlansSchema, findPlanReferenceProblems, parseCyclePlans } from '../../src/features/cycles/schema.js';

// `recurs:` and `forEachGroup:` checked against a small directory: what a plan author reads for each mistake.
const directory = {
  groups: [
    { key: 'executive', name: 'Executive', meetingsPerYear: 8 },
    { key: 'pqa', name: 'PQA', meetingsPerYear: 4 },
    { key: 'workforce', name: 'Workforce', meetingsPerYear: 4 },
    { key: 'business-unit', name: 'Business unit' },
  ],
  members: [],
};
const stage = { key: 'papers', name: 'Papers', owner: { group: '@group' }, done: 'In', duration: { days: 5 } };
const plan = (extra: Record<string, unknown>) => ({ key: 'subgroup-meeting', name: 'Subgroup meeting', ...extra });

function referenceProblems(plans: unknown[]): string[] {
  return findPlanReferenceProblems(parseCyclePlans(plans), directory).map((p) => `${p.path.join('.')}: ${p.message}`);
}

describe('recurring plans in the partnership file', () => {
  it('accepts one plan for every group that meets four times a year, on their meetings', () => {
    const plans = [plan({ group: '@group', forEachGroup: { meetingsPerYear: 4 }, recurs: { meetings: 'per-year', from: '2027-01-12' }, stages: [stage] })];
    expect(referenceProblems(plans)).toEqual([]);
    expect(parseCyclePlans(plans)[0]?.recurs).toEqual({ pattern: { kind: 'meetings' }, from: '2027-01-12' });
  });

  it('names unknown groups, @group outside a forEachGroup plan, and meetings with nothing to read', () => {
    expect(referenceProblems([plan({ forEachGroup: ['pqa', 'workforse'], recurs: { every: { months: 3 }, from: '2027-01-12' }, stages: [stage] })]))
      .toEqual(['plans.0.forEachGroup.1: unknown group "workforse" (did you mean "workforce"?)']);
    expect(referenceProblems([plan({ group: '@group', stages: [stage] })])).toEqual([
      'plans.0.group: @group stands for each group of forEachGroup, and this plan has no forEachGroup',
      'plans.0.stages.0.owner.group: @group stands for each group of forEachGroup, and this plan has no forEachGroup',
    ]);
    expect(referenceProblems([plan({ group: 'business-unit', recurs: { meetings: 'per-year', from: '2027-01-12' }, stages: [{ ...stage, owner: { group: 'business-unit' } }] })]))
      .toEqual(['plans.0.recurs.meetings: group "business-unit" has no meetingsPerYear to read']);
    expect(referenceProblems([plan({ forEachGroup: { meetingsPerYear: 5 }, recurs: { every: { months: 1 }, from: '2027-01-12' }, stages: [stage] })]))
      .toEqual(['plans.0.forEachGroup.meetingsPerYear: no group meets 5 times a year']);
    const withLeads = { ...directory, members: [{ key: 'sam-patel' }, { key: 'jo-bloggs' }] };
    const leadProblems = findPlanReferenceProblems(parseCyclePlans([plan({ recurs: { every: { months: 4 }, from: '2027-01-12', leadsInTurn: ['sam-patel', 'jo-blogs'] }, stages: [{ ...stage, owner: { group: 'pqa' } }] })]), withLeads);
    expect(leadProblems.map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual(['plans.0.recurs.leadsInTurn.1: unknown member "jo-blogs" (did you mean "jo-bloggs"?)']);
  });

  it('explains a recurrence it cannot read, at its place in the file', () => {
    const result = cyclePlansSchema.safeParse([plan({ recurs: { every: { fortnights: 1 }, from: '2027-01-12' }, stages: [stage] })]);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      '0.recurs.every: Unrecognized key: "fortnights"',
      '0.recurs.every: give exactly one of months, weeks, years, e.g. { months: 3 }',
    ]);
    const noFrom = cyclePlansSchema.safeParse([plan({ recurs: { rule: 'FREQ=MONTHLY;BYDAY=2TU' }, stages: [stage] })]);
    expect(noFrom.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['0.recurs.from: give the first date as from: YYYY-MM-DD']);
  });
});
