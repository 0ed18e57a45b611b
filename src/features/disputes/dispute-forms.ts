import { DateTime } from 'luxon';
import { WorkingCalendar } from '../../core/calendar.js';
import { formatDay } from '../../core/day-format.js';
import { BotError } from '../../core/errors.js';
import { answerWithConfirm, auditConfirmedFalsePositive, guardWithConfirm, withConfirmFieldToRead } from '../../forms/identifying-confirm.js';
import { withMemberOptions } from '../../forms/member-options.js';
import { validateFields } from '../../forms/validate.js';
import type { ActionHandler, FormHandler, SubmissionRequest } from '../../interactions/types.js';
import type { FieldErrors, FieldOption, Form, FormField, FormValues, Message } from '../../messaging/message.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { partyCard } from './cards.js';
import { chairCardNow } from './notify.js';
import { DISPUTE_LIMITS, disputeButtons, disputeForms, isFinalStage, isParty, canChair, type DisputeView } from './model.js';
import { inDisputeScope, refuse, visibleDispute } from './scope.js';
import { appointMediator, delegateDispute, recordDecision, scheduleJointMeeting } from './service-chair.js';
import { escalateEarly, proposeOutcome, type Outcome } from './service-resolve.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

interface Ctx { dispute: DisputeView; now: DateTime; calendar: WorkingCalendar }

interface SmallForm {
  button: string;
  callbackId: string;
  title: string;
  submitLabel: string;
  /** Who may open it: parties or the chair. */
  who: 'party' | 'chair';
  intro(ctx: Ctx): string;
  fields(ctx: Ctx): FormField[];
  /** Free-text fields the identifying-details guard checks. */
  guarded: string[];
  /** `openedAt`: the stage the form was opened at. */
  run(deps: FeatureDeps, profile: MemberProfile, id: string, values: Record<string, string>, openedAt: number): Promise<Outcome>;
}

const learningField: FormField = { kind: 'longText', id: 'learning', label: 'Learning for the workforce (optional)', maxLength: DISPUTE_LIMITS.learning, hint: 'Goes on the agenda of the learning group\'s next meeting, when the partnership names one.' };

/** Working days from today to the joint-meeting deadline, as date choices (en-GB labels). */
function meetingDates({ dispute: d, now, calendar }: Ctx): FieldOption[] {
  const zone = calendar.zone;
  const options: FieldOption[] = [];
  for (let day = now.setZone(zone).startOf('day').set({ hour: 12 }); day.toISODate()! <= d.stageDueOn && options.length < 60; day = day.plus({ days: 1 })) {
    if (calendar.isWorkingDay(day)) options.push({ value: day.toISODate()!, label: formatDay(day.toISODate()!, zone) });
  }
  return options;
}

const forms: SmallForm[] = [
  {
    button: disputeButtons.propose, callbackId: disputeForms.propose, title: 'Agree an outcome', submitLabel: 'Send to confirm', who: 'party', guarded: ['outcome', 'learning'],
    intro: ({ dispute }) => `Write the outcome you have agreed (or propose) for dispute #${dispute.number}. The other party confirms it to close the dispute at this stage.`,
    fields: () => [{ kind: 'longText', id: 'outcome', label: 'Outcome', required: true, maxLength: DISPUTE_LIMITS.outcome }, learningField],
    run: (deps, profile, id, v) => proposeOutcome(deps, profile, { id }, v.outcome!, v.learning || undefined),
  },
  {
    button: disputeButtons.escalate, callbackId: disputeForms.escalate, title: 'Escalate now', submitLabel: 'Escalate', who: 'party', guarded: ['reason'],
    intro: ({ dispute }) => `Dispute #${dispute.number} goes to stage ${dispute.stageIndex + 2} (${dispute.stages[dispute.stageIndex + 1]?.name ?? ''}) now, before its time runs out. The reason is recorded and both parties see it.`,
    fields: () => [{ kind: 'longText', id: 'reason', label: 'Why escalate now', required: true, maxLength: DISPUTE_LIMITS.reason }],
    run: (deps, profile, id, v, openedAt) => escalateEarly(deps, profile, { id }, v.reason!, openedAt),
  },
  {
    button: disputeButtons.meeting, callbackId: disputeForms.meeting, title: 'Schedule joint meeting', submitLabel: 'Set date', who: 'chair', guarded: [],
    intro: ({ dispute, calendar }) => `The joint meeting for dispute #${dispute.number} must be held by ${formatDay(dispute.stageDueOn, calendar.zone)}.`,
    fields: (ctx) => [{ kind: 'choice', id: 'on', label: 'Meeting date', required: true, style: 'select', options: meetingDates(ctx), ...(ctx.dispute.jointMeetingOn ? { initial: ctx.dispute.jointMeetingOn } : {}) }],
    run: (deps, profile, id, v) => scheduleJointMeeting(deps, profile, { id }, v.on!),
  },
  {
    button: disputeButtons.mediator, callbackId: disputeForms.mediator, title: 'Appoint mediator', submitLabel: 'Appoint', who: 'chair', guarded: ['mediator'],
    intro: ({ dispute }) => `Either party may ask for an independent mediator when the joint meeting does not agree. Name the mediator for dispute #${dispute.number} (a person or service).`,
    fields: () => [{ kind: 'text', id: 'mediator', label: 'Mediator', required: true, maxLength: DISPUTE_LIMITS.mediator }],
    run: (deps, profile, id, v) => appointMediator(deps, profile, { id }, v.mediator!),
  },
  {
    button: disputeButtons.decide, callbackId: disputeForms.decide, title: 'Record outcome', submitLabel: 'Record (final)', who: 'chair', guarded: ['outcome', 'learning'],
    intro: ({ dispute }) => `Your decision on dispute #${dispute.number} is final. Both parties are told.`,
    fields: () => [{ kind: 'longText', id: 'outcome', label: 'Decision', required: true, maxLength: DISPUTE_LIMITS.outcome }, learningField],
    run: (deps, profile, id, v) => recordDecision(deps, profile, { id }, v.outcome!, v.learning || undefined),
  },
  {
    button: disputeButtons.delegate, callbackId: disputeForms.delegate, title: 'Delegate', submitLabel: 'Delegate', who: 'chair', guarded: [],
    intro: ({ dispute }) => `Hand dispute #${dispute.number} to another member (a vice-chair or board member): they get this card and its reminders.`,
    fields: () => [{ kind: 'member', id: 'to', label: 'Delegate to', required: true }],
    run: (deps, profile, id, v) => delegateDispute(deps, profile, { id }, v.to!),
  },
];

/** State: the dispute id and the stage the form was opened at (so an escalation of a stage already left changes nothing). */
const stateOf = (d: DisputeView) => `${d.id}|${d.stageIndex}`;
const readState = (state: string | undefined) => {
  const [id = '', stage = ''] = (state ?? '').split('|');
  return { id, stage };
};

async function context(deps: FeatureDeps, s: { profile?: SubmissionRequest['profile']; now: DateTime }, id: string, spec: SmallForm): Promise<Ctx> {
  const profile = s.profile!;
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const dispute = await visibleDispute(scope, profile, { id });
    const allowed = spec.who === 'party' ? isParty(profile, dispute) : canChair(profile, dispute, scope.chairs) || (spec.button === disputeButtons.delegate && isPartnershipAdmin(profile));
    if (!allowed) throw refuse(dispute, spec.who === 'party' ? `Only the parties to dispute #${dispute.number} can do that.` : `Only the chair holding dispute #${dispute.number} can do that.`);
    return { dispute, now: s.now, calendar: scope.calendar };
  });
}

async function buildForm(deps: FeatureDeps, spec: SmallForm, ctx: Ctx, typed: FormValues = {}): Promise<Form> {
  const fields = spec.fields(ctx).map((f) => ({ ...f, ...(typed[f.id] !== undefined ? { initial: typed[f.id] } : {}) }) as FormField);
  return {
    callbackId: spec.callbackId, title: spec.title, submitLabel: spec.submitLabel, cancel: { label: 'Cancel' }, state: stateOf(ctx.dispute),
    intro: spec.guarded.length > 0 ? `${spec.intro(ctx)} Case references only, please.` : spec.intro(ctx),
    fields: await withMemberOptions(deps.db, ctx.dispute.partnershipId, fields),
  };
}

/** The card a form came from, as it stands now (what Cancel gives back on Teams). */
async function cardNow(deps: FeatureDeps, spec: SmallForm, ctx: Ctx, line?: string): Promise<Message> {
  const { calendar } = ctx;
  if (spec.who === 'party' || !isFinalStage(ctx.dispute)) return partyCard(ctx.dispute, ctx.now, calendar, line);
  const heading = line ?? (ctx.dispute.status === 'open' ? `Dispute #${ctx.dispute.number} is with the chair.` : `Dispute #${ctx.dispute.number} is settled.`);
  return chairCardNow(deps.db, ctx.dispute, ctx.now, calendar, heading);
}

export function smallFormButtons(deps: FeatureDeps): Record<string, ActionHandler> {
  return Object.fromEntries(forms.map((spec) => [spec.button, (async (r) => {
    const ctx = await context(deps, r, r.value ?? '', spec);
    if (ctx.dispute.status !== 'open') return { kind: 'notice', message: note(`Dispute #${ctx.dispute.number} is already ${ctx.dispute.status}; nothing to do.`) };
    return { kind: 'form', form: await buildForm(deps, spec, ctx) };
  }) satisfies ActionHandler]));
}

export function smallFormHandlers(deps: FeatureDeps): Record<string, FormHandler> {
  return Object.fromEntries(forms.map((spec) => [spec.callbackId, {
    build: (state) => {
      const form: Form = { callbackId: spec.callbackId, title: spec.title, submitLabel: spec.submitLabel, state: state ?? '', fields: spec.fields({ dispute: {} as DisputeView, now: DateTime.fromMillis(0), calendar: new WorkingCalendar() }) };
      return spec.guarded.length > 0 ? withConfirmFieldToRead(form) : form;
    },
    async submit(s) {
      const { id, stage } = readState(s.state);
      const ctx = await context(deps, s, id, spec);
      if (s.intent === 'close') return { kind: 'close', notice: await cardNow(deps, spec, ctx) };
      const form = await buildForm(deps, spec, ctx, s.values);
      const errors: FieldErrors = validateFields(form.fields, s.values);
      const guard = guardWithConfirm(s.values, spec.guarded, errors);
      if (Object.keys(errors).length > 0) return answerWithConfirm(form, errors, guard, s.values);
      const values = Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, (v ?? '').trim()]));
      let outcome: Outcome;
      try {
        outcome = await spec.run(deps, s.profile!, id, values, stage === '' ? Number.NaN : Number(stage));
      } catch (error) {
        // A rule the service checks (a party chosen as delegate, a dispute already with the chair) shows beside the first field, the answers kept.
        if (error instanceof BotError && error.code === 'invalid_input' && !error.refusal && form.fields[0]) return answerWithConfirm(form, { [form.fields[0].id]: error.userMessage }, guard, s.values);
        throw error;
      }
      await auditConfirmedFalsePositive(deps.db, {
        partnershipId: s.profile!.partnershipId, actor: s.profile!.displayName, actorMemberId: s.profile!.memberId,
        action: 'disputes.identifying.confirmed', subjectType: 'dispute', subjectId: outcome.dispute.id, fields: outcome.changed ? guard.confirmed : [],
      });
      return { kind: 'done', notice: note(outcome.line), card: await cardNow(deps, spec, { ...ctx, dispute: outcome.dispute }, outcome.line) };
    },
  } satisfies FormHandler]));
}
