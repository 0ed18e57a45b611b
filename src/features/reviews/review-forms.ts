import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay } from '../../core/day-format.js';
import { BotError } from '../../core/errors.js';
import { answerWithConfirm, guardWithConfirm, withConfirmField, withConfirmFieldToRead } from '../../forms/identifying-confirm.js';
import { splitChoices, validateFields } from '../../forms/validate.js';
import type { ActionHandler, FormHandler } from '../../interactions/types.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FieldErrors, FieldOption, Form, FormField, Message } from '../../messaging/message.js';
import { WorkingCalendar as Calendar } from '../../core/calendar.js';
import type { FeatureDeps } from '../contract.js';
import { decisionCard, privateTo } from './cards.js';
import { reviewClocks } from './clocks.js';
import { DEFAULT_CLOCKS, nationalBody, outcomesOf, REVIEW_LIMITS, reviewButtons, reviewForms, type ReviewView } from './model.js';
import { groupCardNow } from './notify.js';
import { agencyLeadIds, deciderIds, groupMemberIds, runsReview } from './people.js';
import { groupReview, inReviewScope, refuse, reviewFor, type ReviewScope } from './scope.js';
import { decideReview, markMilestone } from './service-decide.js';
import { recommend, recordNationalNotification, setMeeting, type Outcome } from './service-group.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

interface Ctx { review: ReviewView; now: DateTime; calendar: WorkingCalendar; attendees: FieldOption[] }

interface SmallForm {
  button: string;
  callbackId: string;
  title: string;
  submitLabel: string;
  /** The group's members, or the decision makers; `runs`: only the group's chair, vice-chair or business unit. */
  who: 'group' | 'decider' | 'runs';
  intro(ctx: Ctx): string;
  fields(ctx: Ctx): FormField[];
  /** Free-text fields the identifying-details guard checks. */
  guarded: string[];
  /** What it does, for a refusal: "set the meeting". */
  what?: string;
  /** A rule the service does not check, shown beside its field. */
  check?(ctx: Ctx, v: (id: string) => string, errors: FieldErrors): void;
  run(deps: FeatureDeps, profile: MemberProfile, id: string, v: (id: string) => string, confirmed: string[]): Promise<Outcome>;
}

const today = (ctx: Pick<Ctx, 'now' | 'calendar'>) => ctx.now.setZone(ctx.calendar.zone).toISODate()!;
const notInFuture = (ctx: Ctx, value: string, what: string) => (value > today(ctx) ? `That is after today (${formatDay(today(ctx), ctx.calendar.zone)}): record ${what} once it has happened.` : undefined);

const forms: SmallForm[] = [
  {
    button: reviewButtons.notified, callbackId: reviewForms.notified, title: 'National notification', submitLabel: 'Record', who: 'group', guarded: [],
    intro: ({ review }) => `The day ${nationalBody[review.type] ?? 'the national body'} was notified about case ${review.caseRef}. The bot tracks the notification; it never replaces the government's form.`,
    fields: () => [{ kind: 'date', id: 'on', label: 'Notified on', required: true }],
    check: (ctx, v, errors) => {
      const problem = notInFuture(ctx, v('on'), 'the notification') ?? (v('on') < ctx.review.awareOn ? `That is before the partnership became aware (${formatDay(ctx.review.awareOn, ctx.calendar.zone)}).` : undefined);
      if (problem) errors.on = problem;
    },
    run: (deps, profile, id, v) => recordNationalNotification(deps, profile, { id }, v('on')),
  },
  {
    button: reviewButtons.meeting, callbackId: reviewForms.meeting, title: 'Rapid review meeting', submitLabel: 'Set and invite', who: 'runs', what: 'set the meeting', guarded: [],
    intro: ({ review, calendar }) => {
      const chronologies = reviewClocks(review, calendar).find((c) => c.key === 'chronologies');
      return `The rapid review meeting for case ${review.caseRef}. The group and the involved agencies' leads get an invitation.${chronologies?.dueOn ? ` The agencies' chronologies are due by ${formatDay(chronologies.dueOn, calendar.zone)}.` : ''}`;
    },
    fields: ({ review }) => [{ kind: 'date', id: 'on', label: 'Meeting date', required: true, ...(review.meetingOn ? { initial: review.meetingOn } : {}) }],
    check: (ctx, v, errors) => {
      if (v('on') < ctx.review.awareOn) errors.on = `That is before the partnership became aware (${formatDay(ctx.review.awareOn, ctx.calendar.zone)}).`;
      else if (!ctx.calendar.isWorkingDay(DateTime.fromISO(v('on'), { zone: ctx.calendar.zone }).set({ hour: 12 }))) errors.on = 'That is not a working day: choose a weekday that is not a bank holiday.';
    },
    run: (deps, profile, id, v) => setMeeting(deps, profile, { id }, v('on')),
  },
  {
    button: reviewButtons.recommend, callbackId: reviewForms.recommend, title: 'Recommendation', submitLabel: 'Record and send', who: 'runs', what: 'record the recommendation', guarded: ['note'],
    intro: ({ review }) => `The rapid review's recommendation for case ${review.caseRef}. The decision maker gets a card to decide.`,
    fields: ({ review, attendees }) => [
      { kind: 'choice', id: 'recommendation', label: 'Recommendation', required: true, style: 'radio', options: outcomesOf[review.type].map((o) => ({ value: o.value, label: o.label })), ...(review.recommendation ? { initial: review.recommendation } : {}) },
      { kind: 'multiChoice', id: 'attendees', label: 'Who attended the meeting', options: attendees, ...(review.attendees.length ? { initial: review.attendees.join(',') } : {}) },
      { kind: 'longText', id: 'note', label: 'Note for the decision maker (optional, no identifying details)', maxLength: REVIEW_LIMITS.note },
    ],
    check: (ctx, v, errors) => {
      if (ctx.review.meetingOn && ctx.review.meetingOn > today(ctx)) errors.recommendation = `The meeting is set for ${formatDay(ctx.review.meetingOn, ctx.calendar.zone)}: record the recommendation once it has been held, or change the meeting date.`;
    },
    run: (deps, profile, id, v, confirmed) => recommend(deps, profile, { id }, { recommendation: v('recommendation'), note: v('note') || undefined, attendeeIds: splitChoices(v('attendees')), confirmed }),
  },
  {
    button: reviewButtons.decide, callbackId: reviewForms.decide, title: 'Record decision', submitLabel: 'Record decision', who: 'decider', guarded: ['reasons'],
    intro: ({ review }) => `Your decision on case ${review.caseRef}, with reasons. The time is recorded; the group is told.`,
    fields: ({ review }) => [
      { kind: 'choice', id: 'decision', label: 'Decision', required: true, style: 'radio', options: outcomesOf[review.type].map((o) => ({ value: o.value, label: o.label })), ...(review.recommendation ? { initial: review.recommendation } : {}) },
      { kind: 'longText', id: 'reasons', label: 'Reasons', required: true, maxLength: REVIEW_LIMITS.reasons },
      ...(nationalBody[review.type] ? [{ kind: 'date' as const, id: 'toldOn', label: `Told ${nationalBody[review.type]} of the decision on`, hint: 'Leave empty if not yet.' }] : []),
    ],
    check: (ctx, v, errors) => {
      if (!v('toldOn')) return;
      const problem = notInFuture(ctx, v('toldOn'), 'it') ?? (v('toldOn') < ctx.review.awareOn ? 'That is before the partnership became aware.' : undefined);
      if (problem) errors.toldOn = problem;
    },
    run: (deps, profile, id, v, confirmed) => decideReview(deps, profile, { id }, { decision: v('decision'), reasons: v('reasons'), nationalToldOn: v('toldOn') || undefined, confirmed }),
  },
  {
    button: reviewButtons.milestone, callbackId: reviewForms.milestone, title: 'Follow-through', submitLabel: 'Record', who: 'runs', what: 'record the follow-through', guarded: [],
    intro: ({ review }) => `Record a step of the follow-through for case ${review.caseRef} as done.`,
    fields: ({ review }) => [
      { kind: 'choice', id: 'step', label: 'Step', required: true, style: 'radio', options: review.milestones.filter((m) => !m.doneOn).map((m) => ({ value: m.key, label: m.name })) },
      { kind: 'date', id: 'on', label: 'Done on', required: true },
    ],
    check: (ctx, v, errors) => {
      const problem = notInFuture(ctx, v('on'), 'it');
      if (problem) errors.on = problem;
    },
    run: (deps, profile, id, v) => markMilestone(deps, profile, { id }, v('step'), v('on')),
  },
];

async function attendeeOptions(scope: ReviewScope, r: ReviewView): Promise<FieldOption[]> {
  const ids = new Set(await groupMemberIds(scope.tx, r.partnershipId, r.groupKey));
  for (const a of r.agencies) for (const id of await agencyLeadIds(scope.tx, r.partnershipId, a.agencyId)) ids.add(id);
  const rows = await scope.tx.member.findMany({ where: { id: { in: [...ids] } }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' } });
  return rows.map((m) => ({ value: m.id, label: m.displayName }));
}

/** The review, when this member may use this form on it (the group's members, or its decision makers). */
async function context(deps: FeatureDeps, profile: MemberProfile, now: DateTime, id: string, spec: SmallForm, heading?: string): Promise<Ctx & { card: Message }> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const review = spec.who !== 'decider'
      ? await groupReview(scope.tx, profile, { id })
      : await reviewFor(scope.tx, profile, { id }, async (r) => (await deciderIds(scope.tx, r.partnershipId, scope.policy, r.type)).includes(profile.memberId));
    const lead = heading ?? (review.status === 'open' ? `Review #${review.number}: case ${review.caseRef}.` : `Review #${review.number} is ${review.status}.`);
    if (spec.who === 'runs' && !runsReview(profile, review)) throw refuse(review, `Only the group's chair, vice-chair or the business manager can ${spec.what ?? 'do that'}.`);
    const card = spec.who !== 'decider' ? await groupCardNow(scope, review, lead, profile.memberId) : privateTo([profile.memberId], decisionCard(review, now, scope.calendar, lead));
    return { review, now, calendar: scope.calendar, attendees: spec.button === reviewButtons.recommend ? await attendeeOptions(scope, review) : [], card };
  });
}

function buildForm(spec: SmallForm, ctx: Ctx): Form {
  return {
    callbackId: spec.callbackId, title: spec.title, submitLabel: spec.submitLabel, cancel: { label: 'Cancel' }, state: ctx.review.id,
    intro: spec.guarded.length > 0 ? `${spec.intro(ctx)} Case references only, please.` : spec.intro(ctx),
    fields: spec.fields(ctx),
  };
}

const blankCtx = (): Ctx => ({ review: { type: 'child', milestones: [], attendees: [], agencies: [], acks: [], status: 'open', awareOn: '2000-01-03', settings: DEFAULT_CLOCKS } as unknown as ReviewView, now: DateTime.fromMillis(0), calendar: new Calendar(), attendees: [] });

export function reviewFormButtons(deps: FeatureDeps): Record<string, ActionHandler> {
  return Object.fromEntries(forms.map((spec) => [spec.button, (async (r) => {
    const ctx = await context(deps, r.profile!, r.now, r.value ?? '', spec);
    const open = spec.button === reviewButtons.milestone ? ctx.review.status === 'decided' : spec.button === reviewButtons.notified ? ctx.review.status !== 'closed' : ctx.review.status === 'open';
    if (!open) return { kind: 'notice', message: note(`Review #${ctx.review.number} is ${ctx.review.status}; there is nothing to record there now.`) };
    if (spec.button === reviewButtons.decide && !ctx.review.recommendation) return { kind: 'notice', message: note(`The group has not recorded its recommendation for review #${ctx.review.number} yet: you will get a card to decide when it has.`) };
    return { kind: 'form', form: buildForm(spec, ctx) };
  }) satisfies ActionHandler]));
}

export function reviewFormHandlers(deps: FeatureDeps): Record<string, FormHandler> {
  return Object.fromEntries(forms.map((spec) => [spec.callbackId, {
    build: (state) => withConfirmFieldToRead({ ...buildForm(spec, blankCtx()), state: state ?? '' }),
    async submit(s) {
      const ctx = await context(deps, s.profile!, s.now, s.state ?? '', spec);
      if (s.intent === 'close') return { kind: 'close', notice: ctx.card };
      const form = buildForm(spec, ctx);
      const errors: FieldErrors = validateFields(form.fields, s.values);
      const v = (id: string) => (s.values[id] ?? '').trim();
      if (Object.keys(errors).length === 0) spec.check?.(ctx, v, errors);
      const guard = guardWithConfirm(s.values, spec.guarded, errors);
      if (Object.keys(errors).length > 0) return answerWithConfirm(form, errors, guard, s.values);
      const shown = withConfirmField(form, guard.confirmed, s.values);
      let outcome: Outcome;
      try {
        outcome = await spec.run(deps, s.profile!, ctx.review.id, v, guard.confirmed);
      } catch (error) {
        // A rule the service checks (already decided, not the chair) shows beside the first field, the answers kept.
        if (error instanceof BotError && error.code === 'invalid_input' && !error.refusal && form.fields[0]) return { kind: 'errors', errors: { [form.fields[0].id]: error.userMessage }, form: shown };
        throw error;
      }
      // Teams shows only the card a form turns back into: the outcome is its first line.
      const after = await context(deps, s.profile!, s.now, ctx.review.id, spec, outcome.line).catch(() => undefined);
      return { kind: 'done', notice: note(outcome.line), ...(after ? { card: after.card } : {}) };
    },
  } satisfies FormHandler]));
}
