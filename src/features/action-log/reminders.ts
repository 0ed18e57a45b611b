import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { notifyMembers, type EnabledPlatforms } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import type { Effects } from '../../workflow/effects.js';
import { ladderSteps } from '../../workflow/ladder.js';
import { armExactly, ladderTimers, sentStepKeys } from '../../workflow/ladder-timers.js';
import { businessManagerIds, groupChairId } from '../../workflow/owners.js';
import { reminderCard } from './action-cards.js';
import { actionLadder, actionSubject, actionTimerKind, actionTimerPrefix, type ActionReminderKind, type ActionReminderSettings, type ActionView } from './model.js';

/**
 * Makes an action's pending timers exactly what its state calls for now: the ladder's steps while it is open (those
 * already sent left out), nothing once it is done. Returns every timer id touched, to sync after commit.
 */
export async function armActionReminders(tx: Tx, action: Pick<ActionView, 'id' | 'dueOn' | 'status'>, settings: ActionReminderSettings, calendar: WorkingCalendar, now: DateTime): Promise<string[]> {
  const prefix = actionTimerPrefix(action.id);
  const alreadySent = await sentStepKeys(tx, prefix);
  const steps = ladderSteps({ dueOn: action.dueOn }, actionLadder(settings), calendar, {
    now,
    state: action.status === 'open' ? 'open' : 'settled',
    startedAt: now,
    alreadySent,
  });
  return armExactly(tx, action.id, ladderTimers(prefix, actionTimerKind, steps, alreadySent), now);
}

/** The step key behind a timer key, e.g. `overdue:3@2027-03-05`. */
export function stepKeyOf(timerKey: string, actionId: string): string {
  return timerKey.slice(actionTimerPrefix(actionId).length);
}

const wording: Record<ActionReminderKind, string> = {
  before: 'a reminder before the due date',
  due: 'the due-day reminder',
  overdue: 'an overdue reminder',
  'escalate-chair': "the escalation to the group's chair",
};

/**
 * Sends one step of an action's ladder: the owner hears the reminders and chasers; the group's chair hears the
 * escalation (the business manager when the group has no chair, or the chair owns the action).
 */
export async function sendActionReminder(tx: Tx, fx: Effects, platforms: EnabledPlatforms, action: ActionView, kind: ActionReminderKind, stepKey: string, calendar: WorkingCalendar, now: DateTime): Promise<void> {
  let recipients = [action.owner.id];
  if (kind === 'escalate-chair') {
    const chair = await groupChairId(tx, action.partnershipId, action.group.key);
    recipients = chair && chair !== action.owner.id ? [chair] : await businessManagerIds(tx, action.partnershipId);
  }
  const message = reminderCard(action, kind, now, calendar);
  const baseKey = `${actionSubject(action.id)}:${stepKey}`;
  const about = `${wording[kind]} for action #${action.number}`;
  const notices = recipients.map((memberId) => ({ memberId, partnershipId: action.partnershipId, key: `${baseKey}:${memberId}`, message, subjectKey: actionSubject(action.id), about }));
  fx.outbox(await notifyMembers(tx, notices, platforms));
  await recordAudit(tx, {
    partnershipId: action.partnershipId,
    actor: 'scheduler',
    action: 'action-log.reminder.sent',
    subjectType: 'action',
    subjectId: action.id,
    data: { reminder: stepKey, kind, recipients: recipients.length, at: now.toUTC().toISO() },
  });
}
