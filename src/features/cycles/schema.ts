import { z } from 'zod';
import {
  closestMatch, field, isoDay as isoDayOf, isRecord, keyOf, listField, MEMBER_ROLES, quoted, stringField, text,
  type ProblemPath, type SchemaProblem,
} from '../../directory/schema-primitives.js';
import type { ConfigSection } from '../../directory/config-section.js';
import type { PartnershipConfig } from '../../directory/partnership-file-schema.js';
import { recurrenceSchema } from '../../workflow/recurrence-schema.js';
import { SPAN_UNITS, type Span } from '../../workflow/span.js';
import { EACH_GROUP, NON_WORKING_DUE_RULES, RESERVED_STAGE_KEYS, type CyclePlan, type StageOwner } from './model.js';
import { resolveReminderRules } from './reminder-rules.js';
import { findRecurrenceProblems, groupSelectionSchema } from './group-selection.js';
import { findReturnsReferenceProblems, stageReturnsSchema } from './returns-schema.js';

/*
 * The `plans:` section of a partnership file (examples at the end of examples/partnerships/*.yaml):
 *
 * plans:
 *   - key: focus-review                 # kebab-case, unique
 *     name: Strategic focus review
 *     startDateIs: the meeting date     # what the date given to `cycle start` means (optional)
 *     group: quality-assurance          # optional: its chair hears of overdue stages not owned by a group
 *     reminders: { ... }                # optional plan defaults, see below
 *     stages:
 *       - key: scoping
 *         name: Scoping
 *         owner: { group: quality-assurance }   # exactly one of group | role | members: [member keys]
 *         done: Scope agreed by the hub          # what "done" means
 *         after: previous                        # previous (default) | start | <earlier stage key>
 *         offset: { months: 6 }                  # optional, added to `after`; may be negative
 *         duration: { months: 1 }                # months | weeks | days | workingDays, or instead:
 *         due: 2027-03-31                        #   a fixed due date
 *         dueOnNonWorkingDay: later               # optional (plan level too): where a calendar-day due date on a
 *                                                 # weekend or holiday goes; earlier (default) | later
 *         reminders: { before: [3, 1] }          # optional, overrides the plan's
 *         returns: { from: all, as: form }       # optional: one return from each agency (returns-schema.ts)
 *
 * reminders (every field optional; defaults in DEFAULT_REMINDER_RULES): sendAt "09:30", before [5, 1]
 * (working days before due), onOpen true, onDueDay true, overdueEvery 2, escalateAfter 3 (to the chair),
 * escalateToManagerAfter 8 (to the business manager); the last three take `false` to turn them off.
 * How dates are worked out: planStages in schedule.ts; when reminders go: reminderInstants.
 */

const isoDay = isoDayOf('2027-03-31');

function exactlyOne<T extends object>(fields: readonly (keyof T & string)[], noun: { a: string; one: string }) {
  return (value: T, ctx: z.RefinementCtx) => {
    const given = fields.filter((field) => value[field] !== undefined);
    if (given.length === 1) return;
    const message = given.length === 0
      ? `give ${noun.a}: one of ${fields.join(', ')}`
      : `give only one ${noun.one}, not both ${given.join(' and ')}`;
    ctx.addIssue({ code: 'custom', message });
  };
}

const ownerSchema = z
  .strictObject({
    group: z.string().optional(),
    role: z.enum(MEMBER_ROLES).optional(),
    members: z.array(z.string()).min(1, 'name at least one member').optional(),
  })
  .superRefine(exactlyOne(['group', 'role', 'members'], { a: 'an owner', one: 'owner' }))
  .transform((owner): StageOwner => {
    if (owner.group !== undefined) return { kind: 'group', group: owner.group };
    if (owner.role !== undefined) return { kind: 'role', role: owner.role };
    return { kind: 'members', members: owner.members ?? [] };
  });

/** `{ months: 1 }`, `{ weeks: 2 }`, `{ days: 10 }` or `{ workingDays: 5 }`: exactly one unit. */
function spanSchema(allowNegative: boolean) {
  const whole = z.number().int('must be a whole number');
  const amount = (allowNegative ? whole : whole.min(0, 'must not be negative')).optional();
  return z
    .strictObject({ months: amount, weeks: amount, days: amount, workingDays: amount })
    .superRefine(exactlyOne(SPAN_UNITS, { a: 'a length', one: 'length' }))
    .transform((span): Span => {
      const unit = SPAN_UNITS.find((name) => span[name] !== undefined) ?? 'days';
      return { unit, amount: span[unit] ?? 0 };
    });
}

const workingDayCount = z.number().int('must be a whole number').min(1, 'must be at least 1');
const workingDaysOrOff = z.union([workingDayCount, z.literal(false)], {
  error: 'must be a whole number of working days (at least 1), or false to turn it off',
});

export const reminderRulesSchema = z.strictObject({
  sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
    error: (issue) => `${quoted(issue.input)} is not a time written HH:mm, e.g. "09:30"`,
  }).optional(),
  before: z.array(workingDayCount).optional(),
  onOpen: z.boolean().optional(),
  onDueDay: z.boolean().optional(),
  overdueEvery: workingDaysOrOff.optional(),
  escalateAfter: workingDaysOrOff.optional(),
  escalateToManagerAfter: workingDaysOrOff.optional(),
});

const nonWorkingDueRule = z.enum(NON_WORKING_DUE_RULES, {
  error: (issue) => `${quoted(issue.input)} is not a rule for a due date on a non-working day: use earlier (the working day before) or later (the working day after)`,
});

const stageSchema = z
  .strictObject({
    key: keyOf('stage', 'scoping'),
    name: text,
    owner: ownerSchema,
    done: text,
    after: z.string().default('previous'),
    offset: spanSchema(true).optional(),
    duration: spanSchema(false).optional(),
    due: isoDay.optional(),
    dueOnNonWorkingDay: nonWorkingDueRule.optional(),
    reminders: reminderRulesSchema.optional(),
    returns: stageReturnsSchema.optional(),
  })
  .superRefine(exactlyOne(['duration', 'due'], { a: 'a due date', one: 'due date' }));

export const cyclePlanSchema = z
  .strictObject({
    key: keyOf('plan', 'focus-review'),
    name: text,
    startDateIs: text.default('the date the cycle starts'),
    group: z.string().optional(),
    dueOnNonWorkingDay: nonWorkingDueRule.optional(),
    reminders: reminderRulesSchema.optional(),
    stages: z.array(stageSchema).min(1, 'a plan needs at least one stage'),
    recurs: recurrenceSchema.optional(),
    forEachGroup: groupSelectionSchema.optional(),
  })
  // Runs even when the shape has errors (reading defensively) so one pass reports everything.
  .superRefine((plan, ctx) => reportStageProblems(plan, ctx), { when: () => true });

/** Typed as CyclePlan[] (model.ts) so a partnership file's `plans` is exactly the type the rest of the feature uses. */
export const cyclePlansSchema: z.ZodType<CyclePlan[], CyclePlanInput[]> = z.array(cyclePlanSchema).superRefine((plans, ctx) => {
  const seen = new Map<string, number>();
  plans.forEach((plan, i) => {
    const first = seen.get(plan.key);
    if (first === undefined) seen.set(plan.key, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate plan key "${plan.key}" (already used by plans[${first}])` });
  });
});

export type CyclePlanInput = z.input<typeof cyclePlanSchema>;

/** Parses a `plans:` section; throws a ZodError listing every problem. */
export function parseCyclePlans(raw: unknown): CyclePlan[] {
  return cyclePlansSchema.parse(raw);
}

function reportStageProblems(plan: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(plan) || !Array.isArray(plan.stages)) return;
  const report = (path: ProblemPath, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const allKeys = plan.stages.map((stage) => (isRecord(stage) && typeof stage.key === 'string' ? stage.key : undefined));
  const earlier = new Set<string>();
  plan.stages.forEach((stage, i) => {
    if (!isRecord(stage)) return;
    const key = allKeys[i];
    if (key !== undefined && (RESERVED_STAGE_KEYS as readonly string[]).includes(key)) {
      report(['stages', i, 'key'], `"${key}" is reserved (after: ${key} has its own meaning); choose another stage key`);
    } else if (key !== undefined && earlier.has(key)) {
      report(['stages', i, 'key'], `duplicate stage key "${key}" (already used by stages[${allKeys.indexOf(key)}])`);
    }
    const after = stage.after;
    if (typeof after === 'string' && !(RESERVED_STAGE_KEYS as readonly string[]).includes(after) && !earlier.has(after)) {
      report(['stages', i, 'after'], allKeys.includes(after)
        ? `"${after}" is not an earlier stage; a stage can only be measured from a stage before it`
        : `unknown stage "${after}" (${hintFor(after, allKeys)})`);
    }
    reportEscalationOrder(plan.reminders, stage.reminders, ['stages', i, 'reminders'], report);
    if (key !== undefined) earlier.add(key);
  });
}

function hintFor(after: string, stageKeys: (string | undefined)[]): string {
  const known = stageKeys.filter((key): key is string => key !== undefined);
  const suggestion = closestMatch(after, [...RESERVED_STAGE_KEYS, ...known]);
  return suggestion ? `did you mean "${suggestion}"?` : `use previous, start or the key of an earlier stage`;
}

function reportEscalationOrder(planRules: unknown, stageRules: unknown, path: ProblemPath, report: (path: ProblemPath, message: string) => void): void {
  const parsedPlan = reminderRulesSchema.safeParse(planRules ?? {});
  const parsedStage = reminderRulesSchema.safeParse(stageRules ?? {});
  if (!parsedPlan.success || !parsedStage.success) return;
  const rules = resolveReminderRules(parsedPlan.data, parsedStage.data);
  if (rules.escalateAfter !== null && rules.escalateToManagerAfter !== null && rules.escalateToManagerAfter <= rules.escalateAfter) {
    report(path, `escalateToManagerAfter (${rules.escalateToManagerAfter}) must be more working days than escalateAfter (${rules.escalateAfter}): the chair hears first, then the business manager`);
  }
}

/**
 * Owners and plan groups must name groups and members in the same partnership, and a role owner
 * must be held by someone. Paths start at `plans`. `plans` is a CyclePlan[] and `directory` a
 * PartnershipConfig, or partly parsed values of them: partnershipFileSchema runs this even when the
 * file has shape errors, so both are read defensively. A list that is not there is not checked, and
 * an owner that did not parse (already reported) is skipped.
 */
export function findPlanReferenceProblems(plans: unknown, directory: object): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (path: ProblemPath, message: string) => problems.push({ path, message, at: 'value' });
  const keysOf = (list: unknown[] | undefined) => list?.map((entry) => stringField(entry, 'key')).filter((key) => key !== undefined);
  const members = listField(directory, 'members');
  const groupKeys = keysOf(listField(directory, 'groups'));
  const memberKeys = keysOf(members);
  const unknown = (noun: string, value: string, known: string[]) => {
    const suggestion = closestMatch(value, known);
    return `unknown ${noun} "${value}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  };
  if (!Array.isArray(plans)) return problems;
  problems.push(...findRecurrenceProblems(plans, directory));
  problems.push(...findReturnsReferenceProblems(plans, directory));
  plans.forEach((plan: unknown, i) => {
    const group = stringField(plan, 'group');
    if (groupKeys && group !== undefined && group !== EACH_GROUP && !groupKeys.includes(group)) report(['plans', i, 'group'], unknown('group', group, groupKeys));
    listField(plan, 'stages')?.forEach((stage, j) => {
      const path = ['plans', i, 'stages', j, 'owner'];
      const owner = isRecord(stage) ? parsedOwner(stage.owner) : undefined;
      if (owner?.kind === 'group' && owner.group !== EACH_GROUP && groupKeys && !groupKeys.includes(owner.group)) {
        report([...path, 'group'], unknown('group', owner.group, groupKeys));
      }
      if (owner?.kind === 'role' && members && !members.some((member) => listField(member, 'roles')?.includes(owner.role))) {
        report([...path, 'role'], `no member has the ${owner.role} role, so nobody would own this stage`);
      }
      if (owner?.kind === 'members' && memberKeys) {
        owner.members.forEach((member, k) => {
          if (!memberKeys.includes(member)) report([...path, 'members', k], unknown('member', member, memberKeys));
        });
      }
    });
  });
  return problems;
}

/** An owner as ownerSchema produces it; `{ group: ... }` as written means it did not parse. */
function parsedOwner(owner: unknown): StageOwner | undefined {
  switch (isRecord(owner) ? owner.kind : undefined) {
    case 'group': return typeof field(owner, 'group') === 'string' ? owner as StageOwner : undefined;
    case 'role': return typeof field(owner, 'role') === 'string' ? owner as StageOwner : undefined;
    case 'members': return listField(owner, 'members')?.every((m) => typeof m === 'string') ? owner as StageOwner : undefined;
    default: return undefined;
  }
}

/** The `plans:` section of the partnership file, as the cycles feature declares it. */
export const plansSection: ConfigSection = {
  key: 'plans',
  schema: cyclePlansSchema.default([]),
  crossCheck: (plans, file) => findPlanReferenceProblems(plans, isRecord(file) ? file : {}),
};

/** The validated plans of a partnership file (`[]` when it has none). */
export function plansIn(config: PartnershipConfig): CyclePlan[] {
  return (config.plans as CyclePlan[] | undefined) ?? [];
}
