import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Tx } from '../../store/db.js';
import { ladderSteps, type Ladder, type LadderLevel } from '../../workflow/ladder.js';
import { armExactly, ladderTimers, sentStepKeys, type WantedTimer } from '../../workflow/ladder-timers.js';
import { RETURN_ESCALATIONS } from './returns-model.js';
import { returnTimerPrefix } from './returns-repository.js';
import type { StageRow } from './stage-row.js';

export const returnTimerKind = 'cycle.return-reminder';

/**
 * An agency's return runs the shared ladder with its stage's reminder rules: reminders and chasers to the agency's
 * leads, then its board representative after `escalateAfter` working days overdue, then the stage owner after
 * `escalateToManagerAfter`. The ask itself is sent when the stage opens (or held for working hours).
 */
export function returnLadder(rules: StageRow['reminders']): Ladder {
  const levels: LadderLevel[] = [];
  if (rules.escalateAfter !== null) levels.push({ kind: RETURN_ESCALATIONS.representative, audience: 'representative', who: "the agency's board representative", after: { workingDays: rules.escalateAfter } });
  if (rules.escalateToManagerAfter !== null) levels.push({ kind: RETURN_ESCALATIONS.owner, audience: 'owner', who: 'the stage owner', after: { workingDays: rules.escalateToManagerAfter } });
  return { sendAt: rules.sendAt, before: rules.before, onStart: true, onDueDay: rules.onDueDay, chaseEvery: rules.overdueEvery, levels };
}

/** The key of the held-back ask for a return opened outside working hours. */
export const returnAskTimerKey = (returnId: string, dueOn: string) => `${returnTimerPrefix(returnId)}opened@${dueOn}`;

/**
 * Makes the pending timers of each of a stage's returns exactly what its state calls for now: the ladder while the
 * stage is open, its cycle active and the return still awaited; nothing otherwise. Returns every timer id touched.
 */
export async function armStageReturns(tx: Tx, stage: StageRow, cycleActive: boolean, calendar: WorkingCalendar, now: DateTime): Promise<string[]> {
  const rows = await tx.stageReturn.findMany({ where: { stageId: stage.id }, select: { id: true, status: true } });
  const touched: string[] = [];
  for (const row of rows) touched.push(...(await armReturn(tx, stage, row, cycleActive, calendar, now)));
  return touched;
}

export async function armReturn(tx: Tx, stage: StageRow, ret: { id: string; status: string }, cycleActive: boolean, calendar: WorkingCalendar, now: DateTime): Promise<string[]> {
  const prefix = returnTimerPrefix(ret.id);
  const wanted = new Map<string, WantedTimer>();
  if (cycleActive && stage.status === 'open' && ret.status === 'awaited') {
    // A held-back ask stays armed even if the due date has moved since: the agency has still to be asked.
    const ask = await tx.timer.findFirst({ where: { subjectId: ret.id, key: { startsWith: `${prefix}opened@` }, status: 'pending' } });
    if (ask) wanted.set(ask.key, { kind: ask.kind, at: DateTime.fromJSDate(ask.dueAt), rule: ask.rule });
    const alreadySent = await sentStepKeys(tx, prefix);
    const steps = ladderSteps({ dueOn: stage.dueOn }, returnLadder(stage.reminders), calendar, {
      now,
      state: 'open',
      startedAt: stage.openedAt ? DateTime.fromJSDate(stage.openedAt) : now,
      alreadySent,
    });
    for (const [key, timer] of ladderTimers(prefix, returnTimerKind, steps, alreadySent)) wanted.set(key, timer);
  }
  return armExactly(tx, ret.id, wanted, now);
}
