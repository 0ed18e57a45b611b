import { closestMatch, field, isRecord, listField, stringField, type ProblemPath, type SchemaProblem } from '../directory/schema-primitives.js';

/** Where a `recurs:` stands in the partnership file, and what it reads from its surroundings. */
export interface RecursPlace {
  /** The path of `recurs:` itself, e.g. ['plans', 0, 'recurs']. */
  at: ProblemPath;
  /** What holds the `recurs:`, as the messages name it, e.g. 'plan'. */
  holder: string;
  /** The groups whose meetingsPerYear `meetings: per-year` reads; undefined when the holder names no group. */
  meetingGroups: string[] | undefined;
}

/**
 * Cross-references of one `recurs:` (of a recurring plan or round) against the directory: the members of
 * `leadsInTurn` exist, and `meetings: per-year` has a meetingsPerYear to read. Values are read defensively (the file
 * may still have shape errors); a group that does not exist is left to the holder's own checks.
 */
export function findRecursProblems(recurs: unknown, place: RecursPlace, directory: object): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (path: ProblemPath, message: string) => problems.push({ path: [...place.at, ...path], message, at: 'value' });
  const groups = listField(directory, 'groups') ?? [];
  const groupKeys = groups.map((g) => stringField(g, 'key')).filter((key): key is string => key !== undefined);
  const meetingsOf = (key: string) => field(groups.find((g) => stringField(g, 'key') === key), 'meetingsPerYear');

  const memberKeys = listField(directory, 'members')?.map((m) => stringField(m, 'key')).filter((key): key is string => key !== undefined);
  listField(recurs, 'leadsInTurn')?.forEach((key, k) => {
    if (typeof key === 'string' && memberKeys && !memberKeys.includes(key)) {
      const suggestion = closestMatch(key, memberKeys);
      report(['leadsInTurn', k], `unknown member "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
    }
  });
  if (isRecord(recurs) && (recurs.meetings !== undefined || field(recurs.pattern, 'kind') === 'meetings')) {
    if (place.meetingGroups === undefined) {
      report(['meetings'], `meetings: per-year reads the meetingsPerYear of the ${place.holder}'s group: give the ${place.holder} a group`);
    }
    for (const key of place.meetingGroups ?? []) {
      if (groupKeys.includes(key) && typeof meetingsOf(key) !== 'number') {
        report(['meetings'], `group "${key}" has no meetingsPerYear to read`);
      }
    }
  }
  return problems;
}
