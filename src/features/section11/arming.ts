import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { ladderSteps, type Ladder } from '../../workflow/ladder.js';
import { armExactly, ladderTimers, sentStepKeys, type WantedTimer } from '../../workflow/ladder-timers.js';
import { actionPrefix, chasePrefix, isIn, s11TimerKinds, type ChaseSettings, type ReturnView } from './model.js';
import { loadReturn, loadRound } from './repository.js';
import type { S11Scope } from './scope.js';

/**
 * A return's chasing: reminders to its leads at the set working days before the due day and on it, chasers every
 * few working days once overdue, then the agency's board representative, then the PQA chair and the business manager.
 * The launch announcement itself is sent when the round launches.
 */
export function chaseLadder(settings: ChaseSettings): Ladder {
  return {
    sendAt: settings.sendAt, before: settings.remindBefore, onStart: false, onDueDay: true, chaseEvery: settings.chaseEvery,
    levels: [
      { kind: 'board', audience: 'board', who: "the agency's board representative", after: settings.escalate.board },
      { kind: 'chair', audience: 'chair', who: 'the PQA chair and the business manager', after: settings.escalate.chair },
    ],
  };
}

/** An improvement action's owner: reminded 5 working days before its target date and on it, then weekly until done. */
export function actionLadder(settings: Pick<ChaseSettings, 'sendAt'>): Ladder {
  return { sendAt: settings.sendAt, before: [5], onStart: false, onDueDay: true, chaseEvery: 5, levels: [] };
}

/** An action's target date as its reminders count it: one on a weekend or holiday is due by the working day before. */
export const actionDueOn = (calendar: WorkingCalendar, targetOn: string) =>
  calendar.workingDayOnOrBefore(DateTime.fromISO(targetOn, { zone: calendar.zone }).set({ hour: 12 })).toISODate()!;

/**
 * Makes a return's pending timers exactly what its state calls for (chasers until it is in, for an open round) and
 * each of its open improvement actions' reminders. Returns the return as it now is.
 */
export async function rearmReturn(scope: S11Scope, returnId: string): Promise<ReturnView> {
  const ret = (await loadReturn(scope.tx, returnId))!;
  const round = (await loadRound(scope.tx, ret.roundId))!;
  const wanted = new Map<string, WantedTimer>();
  if (round.status === 'open' && !isIn(ret)) {
    const prefix = chasePrefix(ret.id);
    const sent = await sentStepKeys(scope.tx, prefix);
    const steps = ladderSteps({ dueOn: ret.dueOn }, chaseLadder(round.settings), scope.calendar, { now: scope.now, state: 'open', startedAt: DateTime.fromJSDate(round.createdAt), alreadySent: sent });
    for (const [key, timer] of ladderTimers(prefix, s11TimerKinds.chase, steps, sent)) wanted.set(key, timer);
  }
  scope.fx.timers(await armExactly(scope.tx, ret.id, wanted, scope.now));
  const actions = await scope.tx.s11Action.findMany({ where: { returnId }, select: { id: true, targetOn: true, doneOn: true } });
  for (const a of actions) {
    const actionWanted = new Map<string, WantedTimer>();
    if (!a.doneOn && isIn(ret)) {
      const prefix = actionPrefix(a.id);
      const sent = await sentStepKeys(scope.tx, prefix);
      const steps = ladderSteps({ dueOn: actionDueOn(scope.calendar, a.targetOn) }, actionLadder(round.settings), scope.calendar, { now: scope.now, state: 'open', alreadySent: sent });
      for (const [key, timer] of ladderTimers(prefix, s11TimerKinds.action, steps, sent)) actionWanted.set(key, timer);
    }
    scope.fx.timers(await armExactly(scope.tx, a.id, actionWanted, scope.now));
  }
  return ret;
}
