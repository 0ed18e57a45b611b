import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import type { TimerHandler } from '../../scheduler/timer-handlers.js';
import { Effects } from '../../workflow/effects.js';
import { laterStepAlreadyDue, onFiredStep } from '../../workflow/ladder-timers.js';
import type { FeatureDeps } from '../contract.js';
import { actionDueOn, rearmReturn } from './arming.js';
import { actionReminderCard, dueWords, privateTo } from './cards.js';
import { actionPrefix, chasePrefix, isIn, s11TimerKinds, type ReturnView, type RoundView } from './model.js';
import { noticeTo, tellLeads } from './notify.js';
import { boardRepIds, chairAndBusinessManagerIds } from './people.js';
import { loadReturn, loadRound, recordReturnEvent, roundReturns } from './repository.js';
import { scopeIn, todayIn, type S11Scope } from './scope.js';
import { launchRecurringRoundsIn } from './recurring.js';
import { notifyMembers } from '../../messaging/recipients.js';

/**
 * A return's chaser: re-reads the return and sends only while it is still not in, for the same due day. Reminders
 * caught up after their day (the bot was down, the demo clock jumped) are not sent: the chaser or escalation is.
 */
const chaseTimer = (deps: FeatureDeps): TimerHandler => async ({ tx, timer, now, afterCommit }) => {
  const ret = await loadReturn(tx, timer.subjectId);
  if (!ret || isIn(ret)) return;
  const round = (await loadRound(tx, ret.roundId))!;
  if (round.status !== 'open') return;
  const scope = await scopeIn(tx, new Effects(), ret.partnershipId, now, deps.platforms);
  const prefix = chasePrefix(ret.id);
  if (!timer.key.startsWith(prefix)) return;
  const stepKey = timer.key.slice(prefix.length);
  await onFiredStep(tx, { timerId: timer.id, stepKey, dueOn: ret.dueOn, calendar: scope.calendar, now }, {
    async send(kind) {
      const caughtUp = (kind === 'before' || kind === 'due') && todayIn(scope) > ret.dueOn;
      const superseded = kind !== 'before' && kind !== 'due' && (await laterStepAlreadyDue(tx, timer, now));
      if (!caughtUp && !superseded) await sendChaser(scope, ret.id, kind, stepKey);
    },
    rearm: () => rearmReturn(scope, ret.id),
  });
  scope.fx.flushAfter(afterCommit, deps);
};

async function sendChaser(scope: S11Scope, returnId: string, kind: string, stepKey: string): Promise<void> {
  const ret = (await loadReturn(scope.tx, returnId))!;
  const round = (await loadRound(scope.tx, ret.roundId))!;
  const due = dueWords(ret.dueOn, scope.now, scope.calendar);
  const what = `${ret.agencyName}'s return for ${round.title}`;
  if (kind === 'before' || kind === 'due') {
    await tellLeads(scope, round, ret, `chase:${stepKey}`, `Reminder: ${what} is ${due}. Your answers save as you go.`);
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'reminder', detail: due });
  } else if (kind === 'overdue') {
    await tellLeads(scope, round, ret, `chase:${stepKey}`, `Overdue: ${what} ${due}. Please finish and submit it, or ask for more time.`);
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'chased', detail: due });
  } else if (kind === 'board') {
    await noticeTo(scope, ret.partnershipId, await boardRepIds(scope.tx, ret.partnershipId, ret.agencyId, scope.policy), `s11:${ret.id}:escalate:${stepKey}`,
      `Escalation: ${what} ${due}, and it is not in (${stateWords(ret)}). Its leads have been reminded and chased. As ${ret.agencyName}'s representative on the board, please follow it up.`,
      `${round.title} · ${ret.agencyName}`);
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'escalated', detail: "to the agency's board representative" });
  } else {
    await chairDigest(scope, round);
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'escalated', detail: 'to the PQA chair and the business manager' });
  }
  await recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: 'scheduler', action: s11TimerKinds.chase, subjectType: 's11-return', subjectId: ret.id, data: { step: stepKey } });
}

const stateWords = (ret: ReturnView) => (ret.status === 'returned' ? 'returned to the agency' : ret.hasDraft ? 'a draft is started' : 'not started');

/**
 * The last rung goes to the PQA chair and the business manager as one message a day per round, listing every return
 * that has reached it and is still not in: the first such timer of the day sends it, the rest find it already queued.
 */
async function chairDigest(scope: S11Scope, round: RoundView): Promise<void> {
  const today = todayIn(scope);
  const late = (await roundReturns(scope.tx, round.id)).filter((r) => !isIn(r) && -scope.calendar.workingDaysUntil(r.dueOn, scope.now) >= round.settings.escalate.chair.workingDays);
  if (late.length === 0) return;
  const lines = late.map((r) => `• ${r.agencyName}: ${dueWords(r.dueOn, scope.now, scope.calendar)}, ${stateWords(r)}`);
  await noticeTo(scope, round.partnershipId, await chairAndBusinessManagerIds(scope.tx, round.partnershipId, round.settings.moderatedBy), `s11-round:${round.id}:chair-digest:${today}`,
    `Escalation: ${late.length} return${late.length === 1 ? ' is' : 's are'} still not in for ${round.title}, after reminders, chasers and the agencies' board representatives:\n${lines.join('\n')}\n\`s11 status ${round.number}\` shows every agency.`,
    `${round.title}: returns not in`);
}

/** An improvement action's owner: reminded before its target date and on it, then chased weekly until it is done. */
const actionTimer = (deps: FeatureDeps): TimerHandler => async ({ tx, timer, now, afterCommit }) => {
  const action = await tx.s11Action.findUnique({ where: { id: timer.subjectId } });
  if (!action || action.doneOn) return;
  const ret = await loadReturn(tx, action.returnId);
  if (!ret || !isIn(ret)) return;
  const round = (await loadRound(tx, ret.roundId))!;
  const scope = await scopeIn(tx, new Effects(), ret.partnershipId, now, deps.platforms);
  const prefix = actionPrefix(action.id);
  const stepKey = timer.key.slice(prefix.length);
  const dueOn = actionDueOn(scope.calendar, action.targetOn);
  await onFiredStep(tx, { timerId: timer.id, stepKey, dueOn, calendar: scope.calendar, now }, {
    async send(kind) {
      if ((kind === 'before' || kind === 'due') && todayIn(scope) > dueOn) return;
      const standard = round.settings.standards.find((s) => s.key === action.standardKey);
      const target = formatDay(action.targetOn, scope.calendar.zone);
      const text = kind === 'overdue'
        ? `Overdue: the improvement action for ${ret.agencyName} (${round.title}, standard ${standard?.number ?? action.standardKey}) was due by ${target}: "${action.text}". Press Done when it is.`
        : `Reminder: the improvement action for ${ret.agencyName} (${round.title}, standard ${standard?.number ?? action.standardKey}) is due by ${target}: "${action.text}".`;
      const card = privateTo([action.ownerId], actionReminderCard(`${round.title} · ${ret.agencyName}`, text, action.id));
      scope.fx.outbox(await notifyMembers(tx, [{ memberId: action.ownerId, partnershipId: ret.partnershipId, key: `s11-action:${action.id}:${stepKey}`, message: card, subjectKey: `s11-action:${action.id}`, about: 'a Section 11 improvement action' }], scope.platforms));
      await recordAudit(tx, { partnershipId: ret.partnershipId, actor: 'scheduler', action: s11TimerKinds.action, subjectType: 's11-action', subjectId: action.id, data: { step: stepKey } });
    },
    rearm: () => rearmReturn(scope, ret.id),
  });
  scope.fx.flushAfter(afterCommit, deps);
};

/** A recurring round's planned day has come. */
const launchTimer = (deps: FeatureDeps): TimerHandler => async ({ tx, timer, now, afterCommit }) => {
  const scope = await scopeIn(tx, new Effects(), timer.subjectId, now, deps.platforms);
  await launchRecurringRoundsIn(scope, timer.subjectId);
  scope.fx.flushAfter(afterCommit, deps);
};

export function s11Timers(deps: FeatureDeps): Record<string, TimerHandler> {
  return { [s11TimerKinds.chase]: chaseTimer(deps), [s11TimerKinds.action]: actionTimer(deps), [s11TimerKinds.launch]: launchTimer(deps) };
}
