import { z } from 'zod';
import type { ConfigSection } from '../../directory/config-section.js';
import { closestMatch, field, isRecord, keyOf, listField, quoted, stringField, text, type SchemaProblem } from '../../directory/schema-primitives.js';
import { findRecursProblems } from '../../workflow/recurrence-checks.js';
import { recurrenceSchema } from '../../workflow/recurrence-schema.js';
import { DEFAULT_CHASE, DEFAULT_SCALE, S11_VARIANTS, type RecurringRound, type S11Policy, type ScaleEntry, type Standard } from './model.js';

/*
 * The optional `section11:` section of a partnership file. Every field is optional:
 *
 * section11:
 *   moderatedBy: performance-quality-assurance   # the group that moderates (default: the first quality_assurance group)
 *   boardGroup: executive-group                  # agencies' board representatives (default: executive and board groups)
 *   scale:                                       # default: met / partially met / not met / not applicable
 *     - { key: met, label: Met, letter: M, colour: green }
 *   standards:                                   # per audit: s11, care-act, s175 (default: the shipped sets)
 *     s11:
 *       - { key: s1, name: Senior management commitment, guidance: "…", evidence: ["Board minutes"] }
 *   sendAt: "09:30"
 *   remindBefore: [10, 5, 1]                     # working days before the due day (also at launch and on the day)
 *   chaseEvery: 5                                # working days between overdue chasers
 *   escalate: { board: { workingDays: 5 }, chair: { workingDays: 10 } }   # overdue: board representative, then PQA chair and business manager
 *   rounds:                                      # rounds that launch themselves
 *     - key: section-11
 *       title: "Section 11 audit {year}"
 *       variant: s11
 *       recurs: { every: { years: 2 }, from: 2027-04-01 }   # as a plan's recurs: (docs/recurring-plans.md)
 *       dueAfter: { months: 4 }                  # or { workingDays: N }
 *       agencies: [walsall-council]              # default: every agency
 */

const whole = z.number().int('must be a whole number').min(1, 'must be at least 1');
const workingDays = z.strictObject({ workingDays: whole }, { error: 'must be { workingDays: N }' });
const standardKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { error: (issue) => `${quoted(issue.input)} is not a standard key: lower-case letters, digits and dashes, e.g. s1` });

const scaleEntry = z.strictObject({
  key: keyOf('rating', 'partly-met'),
  label: text.max(40, 'must be at most 40 characters'),
  letter: z.string().regex(/^[A-Z0-9]$/, { error: 'must be one capital letter or digit, e.g. M' }),
  colour: z.enum(['green', 'amber', 'red', 'grey']),
});

const standard = z.strictObject({
  key: standardKey,
  number: z.string().trim().min(1).max(4, 'must be at most 4 characters').optional(),
  name: text.max(120, 'must be at most 120 characters'),
  guidance: text.max(1000, 'must be at most 1000 characters'),
  evidence: z.array(text.max(200, 'must be at most 200 characters')).optional(),
});

const round = z.strictObject({
  key: keyOf('round', 'section-11'),
  title: text.max(80, 'must be at most 80 characters'),
  variant: z.enum(S11_VARIANTS).optional(),
  recurs: recurrenceSchema,
  dueAfter: z.union([z.strictObject({ months: whole }), workingDays], { error: 'must be { months: N } or { workingDays: N }' }),
  agencies: z.array(keyOf('agency', 'walsall-council')).min(1, 'name at least one agency').optional(),
});

const uniqueKeys = <T extends { key: string }>(what: string) => (list: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    if (seen.has(item.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `the ${what} ${quoted(item.key)} is listed twice` });
    seen.add(item.key);
  }
};

export const section11SectionSchema = z.strictObject({
  moderatedBy: keyOf('group', 'performance-quality-assurance').optional(),
  boardGroup: keyOf('group', 'executive-group').optional(),
  scale: z.array(scaleEntry).min(2, 'list at least two ratings').superRefine(uniqueKeys('rating')).superRefine((list, ctx) => {
    if (!list.some((s) => s.colour === 'green')) ctx.addIssue({ code: 'custom', message: 'one rating must be green: what "met" is called' });
    if (new Set(list.map((s) => s.letter)).size !== list.length) ctx.addIssue({ code: 'custom', message: 'each rating needs its own letter (the heat map prints it)' });
  }).optional(),
  standards: z.strictObject(Object.fromEntries(S11_VARIANTS.map((v) => [v, z.array(standard).min(1, 'list at least one standard').max(30, 'at most 30 standards').superRefine(uniqueKeys('standard')).optional()])) as Record<(typeof S11_VARIANTS)[number], z.ZodOptional<z.ZodArray<typeof standard>>>).optional(),
  sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (issue) => `${quoted(issue.input)} is not a time written HH:mm, e.g. "09:30"` }).optional(),
  remindBefore: z.array(whole).optional(),
  chaseEvery: whole.optional(),
  escalate: z.strictObject({ board: workingDays.optional(), chair: workingDays.optional() }).optional(),
  rounds: z.array(round).superRefine(uniqueKeys('round')).optional(),
}).default({});

type Section11Section = z.infer<typeof section11SectionSchema>;

/** Groups and agencies named exist. */
function crossCheck(section: unknown, file: unknown): SchemaProblem[] {
  if (!isRecord(section)) return [];
  const problems: SchemaProblem[] = [];
  const keys = (list: string) => (listField(file, list) ?? []).map((m) => stringField(m, 'key')).filter((k): k is string => Boolean(k));
  const groups = keys('groups');
  const agencies = keys('agencies');
  const refer = (path: (string | number)[], key: unknown, within: string[], what: string) => {
    if (typeof key !== 'string' || within.includes(key)) return;
    const hint = closestMatch(key, within);
    problems.push({ path: ['section11', ...path], message: `there is no ${what} ${quoted(key)}${hint ? `; did you mean ${quoted(hint)}?` : ''}`, at: 'value' });
  };
  refer(['moderatedBy'], stringField(section, 'moderatedBy'), groups, 'group');
  refer(['boardGroup'], stringField(section, 'boardGroup'), groups, 'group');
  (listField(section, 'rounds') ?? []).forEach((r, i) => {
    (listField(r, 'agencies') ?? []).forEach((a, j) => refer(['rounds', i, 'agencies', j], a, agencies, 'agency'));
    problems.push(...findRecursProblems(field(r, 'recurs'), { at: ['section11', 'rounds', i, 'recurs'], holder: 'round', meetingGroups: undefined }, isRecord(file) ? file : {}));
  });
  return problems;
}

export const section11Section: ConfigSection = { key: 'section11', schema: section11SectionSchema, crossCheck };

const standardOf = (s: NonNullable<NonNullable<Section11Section['standards']>['s11']>[number], i: number): Standard =>
  ({ key: s.key, number: s.number ?? String(i + 1), name: s.name, guidance: s.guidance, evidence: s.evidence ?? [] });

/** A partnership's Section 11 policy, from its stored sections (the defaults where the file says nothing). */
export function section11Policy(sections: unknown): S11Policy {
  // Stored as the schema's output when the file was imported (recurrences already parsed).
  const s = (isRecord(sections) && isRecord(sections.section11) ? sections.section11 : {}) as Section11Section;
  const standards: S11Policy['standards'] = {};
  for (const v of S11_VARIANTS) {
    const list = s.standards?.[v];
    if (list) standards[v] = list.map(standardOf);
  }
  const rounds: RecurringRound[] = (s.rounds ?? []).map((r) => ({
    key: r.key, title: r.title, variant: r.variant ?? 's11', recurs: r.recurs, dueAfter: r.dueAfter, ...(r.agencies ? { agencies: r.agencies } : {}),
  }));
  return {
    scale: (s.scale as ScaleEntry[] | undefined) ?? DEFAULT_SCALE,
    standards,
    ...(s.moderatedBy ? { moderatedBy: s.moderatedBy } : {}),
    ...(s.boardGroup ? { boardGroup: s.boardGroup } : {}),
    sendAt: s.sendAt ?? DEFAULT_CHASE.sendAt,
    remindBefore: [...new Set(s.remindBefore ?? DEFAULT_CHASE.remindBefore)].sort((a, b) => b - a),
    chaseEvery: s.chaseEvery ?? DEFAULT_CHASE.chaseEvery,
    escalate: { board: s.escalate?.board ?? DEFAULT_CHASE.escalate.board, chair: s.escalate?.chair ?? DEFAULT_CHASE.escalate.chair },
    rounds,
  };
}
