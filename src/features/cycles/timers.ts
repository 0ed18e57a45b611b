import type { TimerFireContext, TimerHandler } from '../../scheduler/timer-handlers.js';
import { armStage, reminderKeyOf, timerKinds } from './arming.js';
import type { CycleDeps } from './context.js';
import { openStage, type StageScope } from './lifecycle.js';
import type { ReminderAudience, ReminderKind } from './model.js';
import { REMINDER_KINDS } from './model.js';
import { loadStage } from './repository.js';
import { stepKindOf } from '../../workflow/ladder.js';
import { firedStepVerdict } from '../../workflow/ladder-timers.js';
import { sendStageReminder } from './send-reminder.js';
import { inTimerScope } from './scope.js';
import { loadStageView } from './stage-view.js';

const audienceOf = (kind: ReminderKind): ReminderAudience => (kind === 'escalate-chair' ? 'chair' : kind === 'escalate-manager' ? 'manager' : 'owners');

/**
 * Timers carry ids, not decisions: on waking, each handler re-reads the stage and its cycle and asks whether
 * the reminder still applies (cycle active, stage still open, same due date, a working day) before sending.
 */
export function cycleTimers(deps: CycleDeps): Record<string, TimerHandler> {
  const timers: Record<string, TimerHandler> = {};
  timers[timerKinds.open] = (ctx) => withScope(deps, ctx, async (scope) => {
    const { cycle, stage } = await loadStage(scope.tx, ctx.timer.subjectId);
    if (cycle.status !== 'active' || stage.status !== 'pending') return;
    await openStage(scope, cycle, stage, 'planned');
  });

  timers[timerKinds.reminder] = (ctx) => withScope(deps, ctx, async (scope) => {
    const { cycle, stage } = await loadStage(scope.tx, ctx.timer.subjectId);
    if (cycle.status !== 'active' || (stage.status !== 'open' && stage.status !== 'pending')) return;
    const reminderKey = reminderKeyOf(ctx.timer.key, stage.id);
    const kind = stepKindOf(reminderKey) as ReminderKind;
    if (!REMINDER_KINDS.includes(kind)) return;
    const verdict = firedStepVerdict(reminderKey, stage.dueOn, scope.calendar, scope.now);
    if (verdict === 'stale') return;
    if (verdict === 'not-a-working-day') {
      // The calendar changed after this was scheduled (an added non-working day): send on the next working day.
      await scope.tx.timer.update({ where: { id: ctx.timer.id }, data: { status: 'cancelled' } });
      scope.fx.timers(await armStage(scope.tx, stage, true, scope.calendar, scope.now));
      return;
    }
    const view = await loadStageView(scope.tx, stage, cycle, scope.calendar, scope.now);
    await sendStageReminder(scope.tx, scope.fx, scope.platforms, view, kind, audienceOf(kind), reminderKey, scope.now);
    // Overdue chasers are armed a batch at a time; each one sent tops the batch up.
    if (kind === 'overdue') scope.fx.timers(await armStage(scope.tx, stage, true, scope.calendar, scope.now));
  });
  return timers;
}

async function withScope(deps: CycleDeps, ctx: TimerFireContext, work: (scope: StageScope) => Promise<void>): Promise<void> {
  const row = await ctx.tx.cycleStage.findUnique({ where: { id: ctx.timer.subjectId }, select: { cycle: { select: { partnershipId: true } } } });
  if (row) await inTimerScope(deps, ctx, row.cycle.partnershipId, work);
}
