import { z } from 'zod';
import { closestMatch, field, isRecord, keyOf, listField, stringField, text, type ProblemPath, type SchemaProblem } from '../../directory/schema-primitives.js';
import { EACH_GROUP } from './model.js';
import { RETURN_METHODS, type ReturnsFrom, type StageReturns } from './returns-model.js';

/*
 * A stage's `returns:` (one return from each agency in a list):
 *
 *   returns:
 *     from: all                  # every active agency | { group: <key> } (agencies of that group's members)
 *                                # | { agencies: [key, ...] }   ("@group" allowed in a plan applied to several groups)
 *     as: form                   # form (default): figures + narrative | secure-email: a "sent by secure email" tick
 *     figures:                   # optional numeric fields, `as: form` only
 *       - { key: referrals, label: Referrals received this quarter }
 *     narrative: true            # default true for `as: form`
 */

const fromSchema = z.union(
  [
    z.literal('all'),
    z.strictObject({ group: z.string().min(1) }),
    z.strictObject({ agencies: z.array(z.string()).min(1, 'name at least one agency') }),
  ],
  { error: 'give all, { group: <key> } or { agencies: [<key>, ...] }' },
);

const figureSchema = z.strictObject({ key: keyOf('figure', 'referrals'), label: text });

export const stageReturnsSchema = z
  .strictObject({
    from: fromSchema,
    as: z.enum(RETURN_METHODS).default('form'),
    figures: z.array(figureSchema).optional(),
    narrative: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.as === 'secure-email') {
      if (value.figures !== undefined) ctx.addIssue({ code: 'custom', path: ['figures'], message: 'figures are asked for on a form: use as: form, or leave figures out' });
      if (value.narrative === true) ctx.addIssue({ code: 'custom', path: ['narrative'], message: 'a narrative is asked for on a form: use as: form, or leave narrative out' });
      return;
    }
    if (value.narrative === false && (value.figures ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['narrative'], message: 'the form would ask for nothing: give figures, keep the narrative, or use as: secure-email' });
    }
    const keys = (value.figures ?? []).map((f) => f.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['figures', i, 'key'], message: `duplicate figure key "${key}"` });
    });
  })
  .transform((value): StageReturns => ({
    from: value.from === 'all' ? { kind: 'all' } : 'group' in value.from ? { kind: 'group', group: value.from.group } : { kind: 'agencies', agencies: value.from.agencies },
    as: value.as,
    figures: value.as === 'form' ? (value.figures ?? []) : [],
    narrative: value.as === 'form' ? (value.narrative ?? true) : false,
  }));

/** The groups and agencies named in stages' `returns.from` must exist (`@group` only in a plan applied to several groups). */
export function findReturnsReferenceProblems(plans: unknown[], directory: object): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const keysOf = (name: string) => listField(directory, name)?.map((entry) => stringField(entry, 'key')).filter((key): key is string => key !== undefined);
  const groupKeys = keysOf('groups');
  const agencyKeys = keysOf('agencies');
  const unknown = (noun: string, value: string, known: string[]) => {
    const suggestion = closestMatch(value, known);
    return `unknown ${noun} "${value}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  };
  plans.forEach((plan, i) => {
    const eachGroup = field(plan, 'forEachGroup') !== undefined;
    listField(plan, 'stages')?.forEach((stage, j) => {
      const from = parsedFrom(field(field(stage, 'returns'), 'from'));
      const path: ProblemPath = ['plans', i, 'stages', j, 'returns', 'from'];
      const report = (at: ProblemPath, message: string) => problems.push({ path: [...path, ...at], message, at: 'value' });
      if (from?.kind === 'group' && groupKeys) {
        if (from.group === EACH_GROUP) {
          if (!eachGroup) report(['group'], `"${EACH_GROUP}" stands for each group of a plan with forEachGroup; this plan has none, so name a group`);
        } else if (!groupKeys.includes(from.group)) report(['group'], unknown('group', from.group, groupKeys));
      }
      if (from?.kind === 'agencies' && agencyKeys) {
        from.agencies.forEach((agency, k) => {
          if (!agencyKeys.includes(agency)) report(['agencies', k], unknown('agency', agency, agencyKeys));
        });
      }
    });
  });
  return problems;
}

function parsedFrom(from: unknown): ReturnsFrom | undefined {
  if (!isRecord(from)) return undefined;
  if (from.kind === 'group' && typeof from.group === 'string') return from as ReturnsFrom;
  if (from.kind === 'agencies' && Array.isArray(from.agencies) && from.agencies.every((a) => typeof a === 'string')) return from as ReturnsFrom;
  return undefined;
}
