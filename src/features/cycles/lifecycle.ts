import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import type { EnabledPlatforms } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import { armStage, timerKinds } from './arming.js';
import { armTimer } from '../../scheduler/timers.js';
import type { Effects } from '../../workflow/effects.js';
import { sendStageReminder } from './send-reminder.js';
import { openStageReturns, settleMissingReturns } from './returns-lifecycle.js';
import { currentStageCard } from './stage-cards.js';
import { stageSubject, stageTimerPrefix, type CycleRow, type StageRow } from './stage-row.js';
import { loadStageView } from './stage-view.js';

export interface StageScope {
  tx: Tx;
  fx: Effects;
  calendar: WorkingCalendar;
  platforms: EnabledPlatforms;
  now: DateTime;
  actor: { name: string; memberId?: string };
}

/** Opens a pending stage: announces it to its owners and their channel and arms its reminders. */
export async function openStage(scope: StageScope, cycle: CycleRow, stage: StageRow, reason: 'planned' | 'previous done' | 'cycle started'): Promise<StageRow> {
  const claimed = await scope.tx.cycleStage.updateMany({ where: { id: stage.id, status: 'pending' }, data: { status: 'open', openedAt: scope.now.toJSDate() } });
  if (claimed.count !== 1) return stage;
  const opened: StageRow = { ...stage, status: 'open', openedAt: scope.now.toJSDate() };
  await recordAudit(scope.tx, { partnershipId: cycle.partnershipId, actor: scope.actor.name, actorMemberId: scope.actor.memberId, action: 'cycle.stage.opened', subjectType: 'stage', subjectId: stage.id, data: { reason, dueOn: stage.dueOn } });
  await openStageReturns(scope, cycle, opened);
  if (withinWorkingHours(scope)) {
    const view = await loadStageView(scope.tx, opened, cycle, scope.calendar, scope.now);
    await sendStageReminder(scope.tx, scope.fx, scope.platforms, view, 'opened', 'owners', `opened@${stage.dueOn}`, scope.now);
  } else {
    // Opened at a weekend or late at night (a stage marked done on Saturday): announce it at the next sending time.
    const at = scope.calendar.nextWorkingTimeAt(scope.now, stage.reminders.sendAt);
    scope.fx.timers([await armTimer(scope.tx, { key: `${stageTimerPrefix(stage.id)}opened@${stage.dueOn}`, kind: timerKinds.reminder, subjectId: stage.id, dueAt: at, rule: `opening announcement, next working day ${stage.reminders.sendAt}` })]);
  }
  scope.fx.timers(await armStage(scope.tx, opened, cycle.status === 'active', scope.calendar, scope.now));
  return opened;
}

/** People hear about things that happen at once (a stage opening because the last one is done) only at sensible times. */
function withinWorkingHours(scope: StageScope): boolean {
  const local = scope.now.setZone(scope.calendar.zone);
  return scope.calendar.isWorkingDay(scope.now) && local.hour >= 8 && local.hour < 18;
}

/**
 * Rewrites every copy of a stage's cards to its settled state (done, moved, paused, cancelled). `version` names the
 * state change and must differ for every change (include its audit event id): a version already used is not sent again.
 */
export async function refreshStageCards(scope: StageScope, cycle: CycleRow, stage: StageRow, version: string, why: 'moved' | 'resumed' | 'returned' = 'moved'): Promise<void> {
  const view = await loadStageView(scope.tx, stage, cycle, scope.calendar, scope.now);
  scope.fx.outbox(await updateCardsAbout(scope.tx, stageSubject(stage.id), version, currentStageCard(view, why)));
}

/**
 * Marks a stage done (once: a double click or a retried request finds it done already and changes nothing),
 * stops its reminders, updates every copy of its cards, opens the next stage, and completes the cycle when
 * nothing is left. Returns false when the stage was not open.
 */
export async function completeStage(scope: StageScope, cycle: CycleRow, stage: StageRow, stages: StageRow[], note: string | undefined): Promise<boolean> {
  const doneAt = scope.now.toJSDate();
  const claimed = await scope.tx.cycleStage.updateMany({
    where: { id: stage.id, status: { in: ['open', 'pending'] } },
    data: { status: 'done', doneAt, doneById: scope.actor.memberId ?? null, doneNote: note ?? null },
  });
  if (claimed.count !== 1) return false;
  const done: StageRow = { ...stage, status: 'done', doneAt, doneById: scope.actor.memberId ?? null };
  await recordAudit(scope.tx, {
    partnershipId: cycle.partnershipId,
    actor: scope.actor.name,
    actorMemberId: scope.actor.memberId,
    action: 'cycle.stage.done',
    subjectType: 'stage',
    subjectId: stage.id,
    data: { dueOn: stage.dueOn, early: scope.now.setZone(scope.calendar.zone).toISODate()! < stage.dueOn, withNote: Boolean(note) },
  });
  await settleMissingReturns(scope, cycle, done);
  scope.fx.timers(await armStage(scope.tx, done, false, scope.calendar, scope.now));
  await refreshStageCards(scope, cycle, done, 'done');

  const next = stages.find((s) => s.seq === stage.seq + 1);
  if (next && next.status === 'pending' && cycle.status === 'active' && followsPrevious(cycle, next)) {
    await openStage(scope, cycle, next, 'previous done');
  }
  const remaining = await scope.tx.cycleStage.count({ where: { cycleId: cycle.id, status: { in: ['open', 'pending'] } } });
  if (remaining === 0) {
    await scope.tx.cycle.update({ where: { id: cycle.id }, data: { status: 'completed', endedAt: doneAt } });
    await recordAudit(scope.tx, { partnershipId: cycle.partnershipId, actor: scope.actor.name, actorMemberId: scope.actor.memberId, action: 'cycle.completed', subjectType: 'cycle', subjectId: cycle.id });
  }
  return true;
}

/**
 * A stage that simply follows its predecessor in the plan opens as soon as that one is done. A stage measured
 * from something else (an impact check six months after the recommendations) waits for its own opening date.
 */
function followsPrevious(cycle: CycleRow, stage: StageRow): boolean {
  const planned = cycle.plan.stages[stage.seq];
  return planned !== undefined && planned.after === 'previous' && planned.offset === undefined;
}
