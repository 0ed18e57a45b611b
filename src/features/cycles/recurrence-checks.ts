import { closestMatch, field, isRecord, listField, stringField, type ProblemPath, type SchemaProblem } from '../../directory/schema-primitives.js';
import { EACH_GROUP } from './model.js';

/**
 * Cross-references of `recurs:` and `forEachGroup:` against the directory: the groups named exist, `@group` is only
 * used in a plan applied to several groups, and `meetings: per-year` has a meetingsPerYear to read. Values are read
 * defensively (the file may still have shape errors). Paths start at `plans`.
 */
export function findRecurrenceProblems(plans: unknown[], directory: object): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (path: ProblemPath, message: string) => problems.push({ path, message, at: 'value' });
  const groups = listField(directory, 'groups') ?? [];
  const groupKeys = groups.map((g) => stringField(g, 'key')).filter((key): key is string => key !== undefined);
  const meetingsOf = (key: string) => field(groups.find((g) => stringField(g, 'key') === key), 'meetingsPerYear');

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

    const recurs = plan.recurs;
    const memberKeys = listField(directory, 'members')?.map((m) => stringField(m, 'key')).filter((key): key is string => key !== undefined);
    listField(recurs, 'leadsInTurn')?.forEach((key, k) => {
      if (typeof key === 'string' && memberKeys && !memberKeys.includes(key)) {
        const suggestion = closestMatch(key, memberKeys);
        report(['plans', i, 'recurs', 'leadsInTurn', k], `unknown member "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
      }
    });
    if (isRecord(recurs) && (recurs.meetings !== undefined || field(recurs.pattern, 'kind') === 'meetings')) {
      const planGroup = stringField(plan, 'group');
      const candidates = selection !== undefined ? selected : planGroup !== undefined && planGroup !== EACH_GROUP ? [planGroup] : [];
      if (candidates.length === 0 && selection === undefined) {
        report(['plans', i, 'recurs', 'meetings'], 'meetings: per-year reads the meetingsPerYear of the plan\'s group: give the plan a group');
      }
      for (const key of candidates) {
        if (groupKeys.includes(key) && typeof meetingsOf(key) !== 'number') {
          report(['plans', i, 'recurs', 'meetings'], `group "${key}" has no meetingsPerYear to read`);
        }
      }
    }
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
