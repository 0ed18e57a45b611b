import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { ActionHandler, FormHandler } from '../../interactions/types.js';
import type { FieldOption, Form, FormValues, Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { CycleDeps } from './context.js';
import { formatDay } from './format.js';
import { ownStageId } from './ownership.js';
import { canActOnStage } from './policy.js';
import { loadStage } from './repository.js';
import { checkProposedDate, pendingRequestOn, refusal, requestMoreTime } from './service-stage.js';
import { reminderCard } from './stage-cards.js';
import type { CycleRow, StageRow } from './stage-row.js';
import { loadStageView } from './stage-view.js';
import { moreTimeValue, readMoreTimeValue, type MoreTimeRef } from './more-time-ref.js';
import type { MemberProfile } from '../../directory/identity.js';

export const moreTimeFormId = 'stage.more-time';

/** How far ahead the date list reaches; a longer delay is a re-plan for the cycle's lead (`cycle move`). */
const WORKING_DAYS_OFFERED = 60;

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

interface FormContext {
  /** The reminder card the form was opened from, given back on Cancel and Send. */
  card?: MoreTimeRef['card'];
  stage: StageRow;
  cycle: CycleRow;
  calendar: WorkingCalendar;
  now: DateTime;
}

/**
 * The working days after the current due date (or after today, for a stage already overdue), labelled en-GB ("Tue 12 Jan 2027"): a date picker shows dates in the
 * viewer's own locale ("January 12, 2027"), which the partnership did not want.
 */
function dateOptions({ stage, calendar, now }: FormContext): FieldOption[] {
  const options: FieldOption[] = [];
  const today = now.setZone(calendar.zone).toISODate()!;
  let day: DateTime = DateTime.fromISO(stage.dueOn > today ? stage.dueOn : today, { zone: calendar.zone }).set({ hour: 12 });
  while (options.length < WORKING_DAYS_OFFERED) {
    day = calendar.nextWorkingDay(day);
    const iso = day.toISODate()!;
    options.push({ value: iso, label: formatDay(iso, calendar.zone) });
  }
  return options;
}

/** The form without its date list: enough for a platform to read a submission back (the ids are what matter). */
function formShell(state: string): Form {
  return {
    callbackId: moreTimeFormId,
    title: 'Ask for more time',
    submitLabel: 'Send request',
    cancel: { label: 'Cancel' },
    state,
    fields: [
      { kind: 'choice', id: 'proposedDueOn', label: 'New due date', required: true, style: 'select', options: [] },
      { kind: 'longText', id: 'reason', label: 'Why more time is needed', required: true, maxLength: 500, placeholder: 'e.g. two agencies have not yet returned their audits' },
    ],
  };
}

function moreTimeForm(ctx: FormContext, typed: FormValues = {}): Form {
  const shell = formShell(moreTimeValue({ stageId: ctx.stage.id, card: ctx.card }));
  const due = formatDay(ctx.stage.dueOn, ctx.calendar.zone);
  const [date, reason] = shell.fields;
  return {
    ...shell,
    intro: `*${ctx.stage.name}* (cycle #${ctx.cycle.number} ${ctx.cycle.title}) is due *${due}*. The chair of the owning group decides; until then ${due} stands. Case references only, please.`,
    fields: [
      { ...date!, kind: 'choice', options: dateOptions(ctx), style: 'select', initial: typed.proposedDueOn, hint: overdueNow(ctx) ? `A working day after today (${due} has passed).` : `A working day after ${due}.` } as Form['fields'][number],
      { ...reason!, initial: typed.reason },
    ],
  };
}

const overdueNow = ({ stage, calendar, now }: FormContext) => stage.dueOn < now.setZone(calendar.zone).toISODate()!;

/** The form's stage (refused unless it is the member's partnership's) and the card it came from. */
async function formContext(deps: CycleDeps, profile: MemberProfile, value: string | undefined, now: DateTime): Promise<FormContext> {
  const ref = readMoreTimeValue(value);
  const { stage, cycle } = await loadStage(deps.db, await ownStageId(deps.db, profile, ref.stageId));
  return { stage, cycle, calendar: await partnershipCalendar(deps.db, cycle.partnershipId), now, ...(ref.card ? { card: ref.card } : {}) };
}

/**
 * The stage's reminder card as it stands now (Mark done, Snooze, Ask for more time), with a line on top. Titled as
 * the reminder sent at this point is ("Overdue: …", "Due today: …"), so Cancel gives back the card as it was.
 */
async function reminderCardNow(deps: CycleDeps, ctx: FormContext, now: DateTime, banner?: string): Promise<Message> {
  const view = await loadStageView(deps.db, ctx.stage, ctx.cycle, ctx.calendar, now);
  const kind = view.dueToday ? 'due' : view.workingDaysLeft < 0 ? 'overdue' : 'before';
  const card = ctx.card ? reminderCard(view, ctx.card.kind, ctx.card.title) : reminderCard(view, kind);
  if (!banner) return card;
  return { ...card, text: `${banner} ${card.text}`, sections: [{ kind: 'text', text: banner }, ...card.sections] };
}

function alreadyWaiting(ctx: FormContext, waiting: { proposedDueOn: string; requesterId: string; requesterName: string; approverName?: string }, viewerId: string): string {
  const who = waiting.approverName ? `${waiting.approverName}'s decision` : 'a decision';
  return `${waiting.requesterId === viewerId ? 'You have' : `${waiting.requesterName} has`} already asked for more time on "${ctx.stage.name}" (to ${formatDay(waiting.proposedDueOn, ctx.calendar.zone)}); it is waiting for ${who}. Nothing new was sent.`;
}

/** "Ask for more time" on a reminder card: the form (a Slack modal; on Teams the card, which returns after Send or Cancel). */
export function openMoreTimeForm(deps: CycleDeps): ActionHandler {
  return async (r) => {
    const ctx = await formContext(deps, r.profile!, r.value, r.now);
    if (!canActOnStage(r.profile!, ctx.cycle, ctx.stage)) throw refusal('ask for more time', ctx.stage.id);
    const waiting = await pendingRequestOn(deps.db, ctx.stage.id);
    if (waiting) return { kind: 'notice', message: note(alreadyWaiting(ctx, waiting, r.profile!.memberId)) };
    return { kind: 'form', form: moreTimeForm(ctx) };
  };
}

export function moreTimeFormHandler(deps: CycleDeps): FormHandler {
  return {
    build: (state) => formShell(state ?? ''),
    async submit(s) {
      // Checked before the date: a date problem would otherwise reveal another partnership's due date.
      const ctx = await formContext(deps, s.profile!, s.state, s.now);
      if (s.intent === 'close') return { kind: 'close', notice: await reminderCardNow(deps, ctx, s.now) };
      const proposed = s.values.proposedDueOn ?? '';
      const reason = (s.values.reason ?? '').trim();
      const errors: Record<string, string> = {};
      const dateProblem = checkProposedDate({ calendar: ctx.calendar, now: s.now }, ctx.stage.dueOn, proposed);
      if (dateProblem) errors.proposedDueOn = dateProblem;
      if (!reason) errors.reason = 'Say briefly why more time is needed.';
      if (Object.keys(errors).length > 0) return { kind: 'errors', errors, form: moreTimeForm(ctx, s.values) };
      const outcome = await requestMoreTime(deps, s.profile!, ctx.stage.id, proposed, reason);
      const line = outcome.kind === 'already-pending'
        ? alreadyWaiting(ctx, outcome, s.profile!.memberId)
        : `${outcome.approver.reachable ? 'Request sent' : 'Request saved'}: move "${ctx.stage.name}" from ${formatDay(ctx.stage.dueOn, ctx.calendar.zone)} to ${formatDay(proposed, ctx.calendar.zone)}. ${outcome.sentence} The current due date stands until then.`;
      return { kind: 'done', notice: note(line), card: await reminderCardNow(deps, ctx, s.now, line) };
    },
  };
}
