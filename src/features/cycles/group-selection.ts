import { z } from 'zod';
import { closestMatch, field, isRecord, listField, stringField, type ProblemPath, type SchemaProblem } from '../../directory/schema-primitives.js';
import { findRecursProblems } from '../../workflow/recurrence-checks.js';
import { EACH_GROUP, type GroupSelection } from './model.js';

/*
 * `forEachGroup:` of a plan, next to its `recurs:` (whose syntax is in workflow/recurrence-schema.ts):
 *
 *   forEachGroup: [pqa-adults, pqa-children]   # or { meetingsPerYear: 4 }
 */

const count = z.number().int('must be a whole number').min(1, 'must be at least 1');

export const groupSelectionSchema = z
  .union([
    z.array(z.string()).min(1, 'name at least one group'),
    z.strictObject({ meetingsPerYear: count }),
  ], { error: 'list group keys, e.g. [pqa, workforce], or write { meetingsPerYear: 4 }' })
  .transform((value): GroupSelection => (Array.isArray(value) ? { groups: value } : value));

/**
 * Cross-references of `recurs:` and `forEachGroup:` against the directory: the groups named exist, `@group` is only
 * used in a plan applied to several groups, and `meetings: per-year` has a meetingsPerYear to read (with the rest of
 * `recurs:`, in findRecursProblems). Values are read defensively (the file may still have shape errors). Paths start
 * at `plans`.
 */
export function findRecurrenceProblems(plans: unknown[], directory: object): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (path: ProblemPath, message: string) => problems.push({ path, message, at: 'value' });
  const groups = listField(directory, 'groups') ?? [];
  const groupKeys = groups.map((g) => stringField(g, 'key')).filter((key): key is string => key !== undefined);

  plans.forEach((plan, i) => {
    if (!isRecord(plan)) return;
    const selection = plan.forEachGroup;
    const selected = selectedGroups(selection, groups);
    const listed = listedGroups(selection);
    if (listed) {
      listed.forEach((key, k) => {
        if (typeof key === 'string' && !groupKeys.includes(key)) {
          const suggestion = closestMatch(key, groupKeys);
          report(['plans', i, 'forEachGroup', k], `unknown group "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
        }
      });
    } else if (isRecord(selection) && typeof selection.meetingsPerYear === 'number' && selected.length === 0 && groups.length > 0) {
      report(['plans', i, 'forEachGroup', 'meetingsPerYear'], `no group meets ${selection.meetingsPerYear} times a year`);
    }

    if (selection === undefined) {
      for (const path of placesUsingEachGroup(plan)) {
        report(['plans', i, ...path], `${EACH_GROUP} stands for each group of forEachGroup, and this plan has no forEachGroup`);
      }
    }

    const planGroup = stringField(plan, 'group');
    const meetingGroups = selection !== undefined ? selected : planGroup !== undefined && planGroup !== EACH_GROUP ? [planGroup] : undefined;
    problems.push(...findRecursProblems(plan.recurs, { at: ['plans', i, 'recurs'], holder: 'plan', meetingGroups }, directory));
  });
  return problems;
}

/** The group keys a `forEachGroup` names, read defensively from the directory's groups. */
export function selectedGroups(selection: unknown, groups: unknown[]): string[] {
  const listed = listedGroups(selection);
  if (listed) return listed.filter((key): key is string => typeof key === 'string');
  if (isRecord(selection) && typeof selection.meetingsPerYear === 'number') {
    return groups
      .filter((g) => field(g, 'meetingsPerYear') === selection.meetingsPerYear && field(g, 'active') !== false)
      .map((g) => stringField(g, 'key'))
      .filter((key): key is string => key !== undefined);
  }
  return [];
}

/** The group keys of `forEachGroup: [a, b]`, as written or as parsed (`{ groups: [a, b] }`). */
function listedGroups(selection: unknown): unknown[] | undefined {
  if (Array.isArray(selection)) return selection;
  return listField(selection, 'groups');
}

function placesUsingEachGroup(plan: Record<string, unknown>): ProblemPath[] {
  const places: ProblemPath[] = [];
  if (plan.group === EACH_GROUP) places.push(['group']);
  listField(plan, 'stages')?.forEach((stage, j) => {
    const owner = field(stage, 'owner');
    if (field(owner, 'group') === EACH_GROUP) places.push(['stages', j, 'owner', 'group']);
  });
  return places;
}
