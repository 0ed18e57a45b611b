import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { forbidden, invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import { notifyMember } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import { transact } from '../../store/unit-of-work.js';
import { Effects } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { formatDay } from '../../core/day-format.js';
import { doneCard, newActionCard, reopenedCard } from './action-cards.js';
import { actionSubject, canAddTo, canClose, type ActionView } from './model.js';
import { armActionReminders } from './reminders.js';
import { findActionByNumber, loadAction, nextActionNumber } from './repository.js';
import { actionReminderSettings } from './schema.js';

interface Scope {
  tx: Tx;
  fx: Effects;
  calendar: WorkingCalendar;
  now: DateTime;
}

/** One transaction with the partnership's calendar; timers and messages go to the queues after commit. */
export function inActionScope<T>(deps: FeatureDeps, partnershipId: string, work: (scope: Scope) => Promise<T>): Promise<T> {
  return transact(deps.db, async (tx, afterCommit) => {
    const fx = new Effects();
    const calendar = await partnershipCalendar(tx, partnershipId);
    const result = await work({ tx, fx, calendar, now: deps.clock.now() });
    fx.flushAfter(afterCommit, deps);
    return result;
  });
}

async function settingsOf(tx: Tx, partnershipId: string) {
  const p = await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { sections: true } });
  return actionReminderSettings(p.sections);
}

export interface NewAction {
  groupId: string;
  groupKey: string;
  title: string;
  ownerId: string;
  dueOn: string;
}

/** Adds an action to a group's log, tells its owner, and arms its reminders. */
export async function addAction(deps: FeatureDeps, profile: MemberProfile, input: NewAction): Promise<ActionView> {
  if (!canAddTo(profile, input.groupKey)) throw forbidden('Only the group\'s chair, the business manager or an admin can add to its action log. Nothing was added.');
  return inActionScope(deps, profile.partnershipId, async ({ tx, fx, calendar, now }) => {
    const number = await nextActionNumber(tx, profile.partnershipId);
    const created = await tx.actionItem.create({
      data: { partnershipId: profile.partnershipId, groupId: input.groupId, number, title: input.title, ownerId: input.ownerId, dueOn: input.dueOn, createdById: profile.memberId },
      select: { id: true },
    });
    const action = (await loadAction(tx, created.id))!;
    await recordAudit(tx, {
      partnershipId: profile.partnershipId,
      actor: profile.displayName,
      actorMemberId: profile.memberId,
      action: 'action-log.added',
      subjectType: 'action',
      subjectId: action.id,
      data: { number, group: input.groupKey, ownerId: input.ownerId, dueOn: input.dueOn },
    });
    if (input.ownerId !== profile.memberId) {
      fx.outbox(await notifyMember(tx, {
        memberId: input.ownerId,
        partnershipId: profile.partnershipId,
        key: `${actionSubject(action.id)}:added`,
        message: newActionCard(action, profile.displayName, calendar.zone),
        subjectKey: actionSubject(action.id),
        about: `the new action #${number}`,
      }, deps.platforms));
    }
    fx.timers(await armActionReminders(tx, action, await settingsOf(tx, profile.partnershipId), calendar, now));
    return action;
  });
}

export type ActionReference = { number: number } | { id: string };

async function actionFor(tx: Tx, profile: MemberProfile, ref: ActionReference): Promise<ActionView> {
  if ('number' in ref) {
    const action = await findActionByNumber(tx, profile.partnershipId, ref.number);
    if (!action) throw invalidInput(`There is no action ${ref.number}. Type \`actions\` to see yours, or \`actions <group>\` for a group's.`);
    return action;
  }
  // An id from a button of another partnership reads as "no such action", never as that partnership's action.
  const action = looksLikeId(ref.id) ? await loadAction(tx, ref.id) : undefined;
  if (!action || action.partnershipId !== profile.partnershipId) throw unknownSubject('That action is no longer there.', 'action', ref.id, Boolean(action));
  return action;
}

const refusal = (action: ActionView, what: string) =>
  forbidden(`Only the action's owner (${action.owner.name}), the chair of ${action.group.name} or an admin can ${what} action #${action.number}. Nothing was changed.`, { type: 'action', id: action.id });

/** Marks an action done and stops its reminders. `changed` is false when it was already done (a second press). */
export async function markActionDone(deps: FeatureDeps, profile: MemberProfile, ref: ActionReference): Promise<{ action: ActionView; changed: boolean }> {
  return inActionScope(deps, profile.partnershipId, async ({ tx, fx, calendar, now }) => {
    const action = await actionFor(tx, profile, ref);
    if (!canClose(profile, action)) throw refusal(action, 'mark done');
    if (action.status === 'cancelled') throw invalidInput(`Action #${action.number} was cancelled; there is nothing to mark done.`);
    const claimed = await tx.actionItem.updateMany({ where: { id: action.id, status: 'open' }, data: { status: 'done', doneAt: now.toJSDate(), doneById: profile.memberId } });
    if (claimed.count !== 1) return { action, changed: false };
    const done = (await loadAction(tx, action.id))!;
    const eventId = await recordAudit(tx, {
      partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId,
      action: 'action-log.done', subjectType: 'action', subjectId: action.id, data: { number: action.number, dueOn: action.dueOn, late: now.setZone(calendar.zone).toISODate()! > action.dueOn },
    });
    fx.timers(await armActionReminders(tx, done, await settingsOf(tx, profile.partnershipId), calendar, now));
    fx.outbox(await updateCardsAbout(tx, actionSubject(action.id), `done@${eventId}`, doneCard(done, calendar.zone)));
    return { action: done, changed: true };
  });
}

/** Undo of "done": the action is open again and its reminders come back (those already sent are not repeated). */
export async function reopenAction(deps: FeatureDeps, profile: MemberProfile, actionId: string): Promise<{ action: ActionView; changed: boolean }> {
  return inActionScope(deps, profile.partnershipId, async ({ tx, fx, calendar, now }) => {
    const action = await actionFor(tx, profile, { id: actionId });
    if (!canClose(profile, action)) throw refusal(action, 'reopen');
    const claimed = await tx.actionItem.updateMany({ where: { id: action.id, status: 'done' }, data: { status: 'open', doneAt: null, doneById: null } });
    if (claimed.count !== 1) return { action, changed: false };
    const reopened = (await loadAction(tx, action.id))!;
    const eventId = await recordAudit(tx, {
      partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId,
      action: 'action-log.reopened', subjectType: 'action', subjectId: action.id, data: { number: action.number },
    });
    fx.timers(await armActionReminders(tx, reopened, await settingsOf(tx, profile.partnershipId), calendar, now));
    fx.outbox(await updateCardsAbout(tx, actionSubject(action.id), `reopened@${eventId}`, reopenedCard(reopened, profile.displayName, calendar.zone)));
    return { action: reopened, changed: true };
  });
}

/** Why a due date cannot be used, or undefined: not a date, already past, or not a working day. */
export function dueDateProblem(dueOn: string, calendar: WorkingCalendar, now: DateTime): string | undefined {
  const day = DateTime.fromISO(dueOn, { zone: calendar.zone }).set({ hour: 12 });
  const today = now.setZone(calendar.zone).toISODate()!;
  if (dueOn < today) return `${formatDay(dueOn, calendar.zone)} has passed; give today or a later date.`;
  if (!calendar.isWorkingDay(day)) {
    const before = calendar.addWorkingDays(day, -1).toISODate()!;
    const after = formatDay(calendar.nextWorkingDay(day).toISODate()!, calendar.zone);
    return before >= today
      ? `${formatDay(dueOn, calendar.zone)} is not a working day: give ${formatDay(before, calendar.zone)} or ${after}.`
      : `${formatDay(dueOn, calendar.zone)} is not a working day: give ${after}.`;
  }
  return undefined;
}
