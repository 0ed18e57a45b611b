import { z } from 'zod';

/*
 * Building blocks shared by every section of a partnership file: the directory sections (config-schema.ts) and
 * each feature's own section (declared as a ConfigSection, e.g. `plans:` in features/cycles/schema.ts). This module
 * imports nothing but zod, so features can use it without the directory knowing them.
 */

export const MEMBER_ROLES = ['business_manager', 'admin', 'independent_chair', 'partner_lead'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const quoted = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A string check whose message starts with the offending value, e.g. `"Swindon" is not ...`. */
export function matching(pattern: RegExp, isNot: string) {
  return z.string().regex(pattern, { error: (issue) => `${quoted(issue.input)} is not ${isNot}` });
}

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A kebab-case key, e.g. `keyOf('member', 'sam-patel')`. */
export const keyOf = (what: string, example: string) =>
  matching(kebab, `a valid ${what} key: use lowercase letters, digits and single hyphens, e.g. "${example}"`);

export const text = z.string().trim().min(1, 'must not be empty');

/**
 * A calendar day kept as `YYYY-MM-DD`. YAML 1.1 parsers (and callers passing objects) may hand us a
 * Date; YAML 1.2 gives a string. `example` appears in the message for a badly written date.
 */
export const isoDay = (example: string) => z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.iso.date({ error: (issue) => `${quoted(issue.input)} is not a calendar date written YYYY-MM-DD, e.g. ${example}` }),
);

// ---------------------------------------------------------------------------------------------
// Problems found by cross-reference rules, which read values defensively (they may still hold
// shape errors) so one pass reports everything.

export type ProblemPath = (string | number)[];
/** `at: 'key'` points the reader at the key of the last path segment rather than its value. */
export interface SchemaProblem { path: ProblemPath; message: string; at: 'key' | 'value' }

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const field = (entry: unknown, name: string): unknown => (isRecord(entry) ? entry[name] : undefined);
export const stringField = (entry: unknown, name: string): string | undefined => {
  const value = field(entry, name);
  return typeof value === 'string' ? value : undefined;
};
export const listField = (entry: unknown, name: string): unknown[] | undefined => {
  const value = field(entry, name);
  return Array.isArray(value) ? value : undefined;
};

/** The closest candidate, ignoring case and punctuation, if it is near enough to be a likely typo. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const target = normalise(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, normalise(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(target.length / 3)) ? best : undefined;
}

/** Levenshtein distance where swapping two neighbouring letters ("chiar") costs one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
