import { z } from 'zod';
import type { ConfigSection } from '../../directory/config-section.js';
import { closestMatch, field, isRecord, keyOf, listField, quoted, stringField, text, type SchemaProblem } from '../../directory/schema-primitives.js';
import { DEFAULT_DISPUTE_POLICY, type DisputePolicy, type StageLimit } from './model.js';

/*
 * The optional `disputes:` section of a partnership file: its escalation policy for professional disagreements, and
 * its risk register. Every field is optional (defaults in DEFAULT_DISPUTE_POLICY):
 *
 * disputes:
 *   stages:                                  # in order; the last is the chair's
 *     - key: practitioners
 *       name: Practitioner to practitioner
 *       limit: { workingDays: 5 }            # or { calendarDays: 28 }: by day 28, moved back (never on) off a holiday
 *       involves: The practitioners who disagree
 *   urgent:                                  # a child at immediate risk: start higher, with shorter limits
 *     startAt: senior-managers
 *     limit: { workingDays: 1 }
 *   sendAt: "09:30"                          # reminders and escalations go at this time on working days
 *   remindBefore: 1                          # working days before a stage's time runs out; false: no reminder
 *   chair: elizabeth-mortimer                # who decides at the last stage (default: the independent chair)
 *   deputy: deborah-kaur                     # hears an unanswered chair ping (default: none)
 *   executiveGroup: executive-board          # its channel gets a short alert when a dispute reaches the chair
 *   chairPing: { every: { workingHours: 4 }, times: 1 }   # repeats before the deputy, then the business manager
 *   learningGroup: workforce-development     # learning flagged from a dispute goes on its next meeting
 *   riskRegister:
 *     reviewGroup: executive-board           # the risk register is a standing item on its meetings
 *     remindBefore: 5                        # working days before a risk's review date
 */

const whole = z.number().int('must be a whole number').min(1, 'must be at least 1');
const limitSchema = z.union([z.strictObject({ workingDays: whole }), z.strictObject({ calendarDays: whole })], {
  error: 'must be { workingDays: N } or { calendarDays: N }',
});
const spanSchema = z.union([z.strictObject({ workingDays: whole }), z.strictObject({ workingHours: whole })], {
  error: 'must be { workingDays: N } or { workingHours: N }',
});
const memberKey = keyOf('member', 'elizabeth-mortimer');
const groupKey = keyOf('group', 'executive-board');

const stageSchema = z.strictObject({
  key: keyOf('stage', 'line-managers'),
  name: text,
  limit: limitSchema,
  involves: text.optional(),
});

export const disputesSectionSchema = z.strictObject({
  stages: z.array(stageSchema).min(2, 'needs at least two stages: the last is the chair\'s').optional(),
  urgent: z.strictObject({ startAt: keyOf('stage', 'senior-managers'), limit: limitSchema.optional() }).optional(),
  sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (issue) => `${quoted(issue.input)} is not a time written HH:mm, e.g. "09:30"` }).optional(),
  remindBefore: z.union([whole, z.literal(false)], { error: 'must be a whole number of working days (at least 1), or false' }).optional(),
  chair: memberKey.optional(),
  deputy: memberKey.optional(),
  executiveGroup: groupKey.optional(),
  chairPing: z.strictObject({ every: spanSchema, times: z.number().int('must be a whole number').min(0, 'must be 0 or more') }).optional(),
  learningGroup: groupKey.optional(),
  riskRegister: z.strictObject({ reviewGroup: groupKey.optional(), remindBefore: whole.optional() }).optional(),
}).default({});

export type DisputesSection = z.infer<typeof disputesSectionSchema>;

/** Stage keys unique, the urgent start a stage, and members and groups named that exist. */
function crossCheck(section: unknown, file: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const stageKeys = (listField(section, 'stages') ?? []).map((s) => stringField(s, 'key')).filter((k): k is string => Boolean(k));
  stageKeys.forEach((key, i) => {
    if (stageKeys.indexOf(key) !== i) problems.push({ path: ['disputes', 'stages', i, 'key'], message: `stage key ${quoted(key)} is used twice`, at: 'value' });
  });
  const known = stageKeys.length > 0 ? stageKeys : DEFAULT_DISPUTE_POLICY.stages.map((s) => s.key);
  const startAt = stringField(field(section, 'urgent'), 'startAt');
  if (startAt && !known.includes(startAt)) {
    const hint = closestMatch(startAt, known);
    problems.push({ path: ['disputes', 'urgent', 'startAt'], message: `there is no stage ${quoted(startAt)}${hint ? `; did you mean ${quoted(hint)}?` : ''} (stages: ${known.join(', ')})`, at: 'value' });
  }
  const members = (listField(file, 'members') ?? []).map((m) => stringField(m, 'key')).filter((k): k is string => Boolean(k));
  const groups = (listField(file, 'groups') ?? []).map((g) => stringField(g, 'key')).filter((k): k is string => Boolean(k));
  const refer = (path: (string | number)[], key: string | undefined, within: string[], what: string) => {
    if (!key || within.includes(key)) return;
    const hint = closestMatch(key, within);
    problems.push({ path: ['disputes', ...path], message: `there is no ${what} ${quoted(key)}${hint ? `; did you mean ${quoted(hint)}?` : ''}`, at: 'value' });
  };
  refer(['chair'], stringField(section, 'chair'), members, 'member');
  refer(['deputy'], stringField(section, 'deputy'), members, 'member');
  refer(['executiveGroup'], stringField(section, 'executiveGroup'), groups, 'group');
  refer(['learningGroup'], stringField(section, 'learningGroup'), groups, 'group');
  refer(['riskRegister', 'reviewGroup'], stringField(field(section, 'riskRegister'), 'reviewGroup'), groups, 'group');
  return isRecord(section) ? problems : [];
}

export const disputesSection: ConfigSection = { key: 'disputes', schema: disputesSectionSchema, crossCheck };

/** A partnership's dispute policy, from its stored sections (the defaults where the file says nothing). */
export function disputePolicy(sections: unknown): DisputePolicy {
  const stored = isRecord(sections) ? sections.disputes : undefined;
  const parsed = disputesSectionSchema.safeParse(stored);
  const s: DisputesSection = parsed.success ? parsed.data : {};
  const d = DEFAULT_DISPUTE_POLICY;
  return {
    stages: s.stages?.map((st) => ({ key: st.key, name: st.name, limit: st.limit as StageLimit, ...(st.involves ? { involves: st.involves } : {}) })) ?? d.stages,
    urgent: s.urgent ? { startAt: s.urgent.startAt, ...(s.urgent.limit ? { limit: s.urgent.limit as StageLimit } : {}) } : d.urgent,
    sendAt: s.sendAt ?? d.sendAt,
    remindBefore: s.remindBefore === false ? null : s.remindBefore ?? d.remindBefore,
    chairKey: s.chair,
    deputyKey: s.deputy,
    executiveGroup: s.executiveGroup,
    chairPing: s.chairPing ?? d.chairPing,
    learningGroup: s.learningGroup,
    riskRegister: { reviewGroup: s.riskRegister?.reviewGroup, remindBefore: s.riskRegister?.remindBefore ?? d.riskRegister.remindBefore },
  };
}
