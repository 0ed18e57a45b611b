import { z } from 'zod';
import type { ConfigSection } from '../../directory/config-section.js';
import { closestMatch, field, isRecord, keyOf, listField, quoted, stringField, type SchemaProblem } from '../../directory/schema-primitives.js';
import { MEMBER_ROLES } from '../../directory/schema-primitives.js';
import type { Owner } from '../../workflow/owners.js';
import { DEFAULT_REVIEW_POLICY, REVIEW_TYPES, type ClockLimit, type ReviewPolicy, type ReviewType } from './model.js';

/*
 * The optional `reviews:` section of a partnership file: where rapid-review notifications go and the clocks they run
 * on. Every field is optional (defaults in DEFAULT_REVIEW_POLICY):
 *
 * reviews:
 *   groups: { child: practice-review-group, dhr: community-safety-partnership }  # default: the practice-review group
 *   decidedBy:                                      # default: the independent chair
 *     child: { group: executive-board }             # or { role: independent_chair } or { members: [a, b] }
 *   escalateTo: [elizabeth-mortimer]                # after the group's chair (default: the independent chair)
 *   remindBefore: [2]                               # working days before each clock runs out
 *   sendAt: "09:30"
 *   acknowledge: { within: { workingHours: 4 }, by: anyone, repeat: { times: 1, every: { workingHours: 4 } } }
 *   jointChairs: [helen-ashby, dave-price]          # agree which process leads a joint case
 *   clocks:
 *     nationalNotification: { workingDays: 5 }
 *     chronologies: { workingDays: 10 }
 *     rapidReview: { workingDays: 15 }
 *     rapidReviewFrom: awareness                    # or notification: from the day the Panel was notified
 *     sarAcknowledge: { workingDays: 5 }
 *     sarDecision: { workingDays: 20 }
 *     dhrDecision: { months: 1 }
 *     learningDecision: { workingDays: 15 }
 *     publish: { months: 6 }
 *     keepPublished: { months: 12, remindBefore: 10 }   # or false
 */

const whole = z.number().int('must be a whole number').min(1, 'must be at least 1');
const limit = z.union([z.strictObject({ workingDays: whole }), z.strictObject({ months: whole })], { error: 'must be { workingDays: N } or { months: N }' });
const span = z.union([z.strictObject({ workingDays: whole }), z.strictObject({ workingHours: whole })], { error: 'must be { workingDays: N } or { workingHours: N }' });
const memberKey = keyOf('member', 'helen-ashby');
const groupKey = keyOf('group', 'practice-review-group');
const owner = z.union([
  z.strictObject({ group: groupKey }),
  z.strictObject({ role: z.enum(MEMBER_ROLES) }),
  z.strictObject({ members: z.array(memberKey).min(1, 'name at least one member') }),
], { error: 'must be { group: <key> }, { role: independent_chair } or { members: [<key>, …] }' });
const perType = <T extends z.ZodType>(value: T) => z.strictObject({ child: value.optional(), adult: value.optional(), dhr: value.optional(), learning: value.optional() });

export const reviewsSectionSchema = z.strictObject({
  groups: perType(groupKey).optional(),
  decidedBy: perType(owner).optional(),
  escalateTo: z.array(memberKey).optional(),
  remindBefore: z.array(whole).optional(),
  sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (issue) => `${quoted(issue.input)} is not a time written HH:mm, e.g. "09:30"` }).optional(),
  acknowledge: z.strictObject({
    within: span.optional(),
    by: z.enum(['chair', 'anyone']).optional(),
    repeat: z.strictObject({ times: z.number().int('must be a whole number').min(0, 'must be 0 or more'), every: span }).optional(),
  }).optional(),
  jointChairs: z.array(memberKey).optional(),
  clocks: z.strictObject({
    nationalNotification: limit.optional(),
    chronologies: limit.optional(),
    rapidReview: limit.optional(),
    rapidReviewFrom: z.enum(['awareness', 'notification']).optional(),
    sarAcknowledge: limit.optional(),
    sarDecision: limit.optional(),
    dhrDecision: limit.optional(),
    learningDecision: limit.optional(),
    publish: limit.optional(),
    keepPublished: z.union([z.strictObject({ months: whole, remindBefore: whole }), z.literal(false)]).optional(),
  }).optional(),
}).default({});

type ReviewsSection = z.infer<typeof reviewsSectionSchema>;

/** Groups and members named exist. */
function crossCheck(section: unknown, file: unknown): SchemaProblem[] {
  if (!isRecord(section)) return [];
  const problems: SchemaProblem[] = [];
  const keys = (list: string) => (listField(file, list) ?? []).map((m) => stringField(m, 'key')).filter((k): k is string => Boolean(k));
  const members = keys('members');
  const groups = keys('groups');
  const refer = (path: (string | number)[], key: unknown, within: string[], what: string) => {
    if (typeof key !== 'string' || within.includes(key)) return;
    const hint = closestMatch(key, within);
    problems.push({ path: ['reviews', ...path], message: `there is no ${what} ${quoted(key)}${hint ? `; did you mean ${quoted(hint)}?` : ''}`, at: 'value' });
  };
  for (const type of REVIEW_TYPES) {
    refer(['groups', type], stringField(field(section, 'groups'), type), groups, 'group');
    const decider = field(field(section, 'decidedBy'), type);
    refer(['decidedBy', type, 'group'], stringField(decider, 'group'), groups, 'group');
    (listField(decider, 'members') ?? []).forEach((m, i) => refer(['decidedBy', type, 'members', i], m, members, 'member'));
  }
  (listField(section, 'escalateTo') ?? []).forEach((m, i) => refer(['escalateTo', i], m, members, 'member'));
  (listField(section, 'jointChairs') ?? []).forEach((m, i) => refer(['jointChairs', i], m, members, 'member'));
  return problems;
}

export const reviewsSection: ConfigSection = { key: 'reviews', schema: reviewsSectionSchema, crossCheck };

const asOwner = (o: NonNullable<NonNullable<ReviewsSection['decidedBy']>['child']>): Owner =>
  'group' in o ? { kind: 'group', group: o.group } : 'role' in o ? { kind: 'role', role: o.role } : { kind: 'members', members: o.members };

/** A partnership's review policy, from its stored sections (the defaults where the file says nothing). */
export function reviewPolicy(sections: unknown): ReviewPolicy {
  const parsed = reviewsSectionSchema.safeParse(isRecord(sections) ? sections.reviews : undefined);
  const s: ReviewsSection = parsed.success ? parsed.data : {};
  const d = DEFAULT_REVIEW_POLICY;
  const decidedBy: Partial<Record<ReviewType, Owner>> = {};
  for (const type of REVIEW_TYPES) {
    const o = s.decidedBy?.[type];
    if (o) decidedBy[type] = asOwner(o);
  }
  const c = s.clocks ?? {};
  const keep = c.keepPublished === false ? null : c.keepPublished ?? d.clocks.keepPublished;
  const lim = (value: unknown, fallback: ClockLimit) => (value as ClockLimit | undefined) ?? fallback;
  return {
    sendAt: s.sendAt ?? d.sendAt,
    groups: { ...(s.groups ?? {}) },
    decidedBy,
    escalateTo: s.escalateTo ?? d.escalateTo,
    remindBefore: [...new Set(s.remindBefore ?? d.remindBefore)].sort((a, b) => b - a),
    acknowledge: {
      within: s.acknowledge?.within ?? d.acknowledge.within,
      by: s.acknowledge?.by ?? d.acknowledge.by,
      repeat: s.acknowledge?.repeat ?? d.acknowledge.repeat,
    },
    jointChairs: s.jointChairs ?? d.jointChairs,
    clocks: {
      nationalNotification: lim(c.nationalNotification, d.clocks.nationalNotification),
      chronologies: lim(c.chronologies, d.clocks.chronologies),
      rapidReview: lim(c.rapidReview, d.clocks.rapidReview),
      rapidReviewFrom: c.rapidReviewFrom ?? d.clocks.rapidReviewFrom,
      sarAcknowledge: lim(c.sarAcknowledge, d.clocks.sarAcknowledge),
      sarDecision: lim(c.sarDecision, d.clocks.sarDecision),
      dhrDecision: lim(c.dhrDecision, d.clocks.dhrDecision),
      learningDecision: lim(c.learningDecision, d.clocks.learningDecision),
      publish: lim(c.publish, d.clocks.publish),
      keepPublished: keep,
    },
  };
}
