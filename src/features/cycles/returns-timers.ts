import type { TimerFireContext, TimerHandler } from '../../scheduler/timer-handlers.js';
import { armTimer } from '../../scheduler/timers.js';
import { Effects } from '../../workflow/effects.js';
import { stepKindOf } from '../../workflow/ladder.js';
import { firedStepVerdict } from '../../workflow/ladder-timers.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { CycleDeps } from './context.js';
import { loadStage } from './repository.js';
import { armReturn, returnTimerKind } from './returns-arming.js';
import { loadReturnView } from './returns-lifecycle.js';
import { loadReturn, returnTimerPrefix } from './returns-repository.js';
import { sendReturnReminder } from './returns-send.js';

/**
 * An agency's return reminder woke: it re-reads the return, its stage and cycle, and sends only while the cycle is
 * active, the stage open, the return still awaited and the due date the one it was armed for.
 */
export function returnTimers(deps: CycleDeps): Record<string, TimerHandler> {
  return {
    [returnTimerKind]: async (ctx: TimerFireContext) => {
      const ret = await loadReturn(ctx.tx, ctx.timer.subjectId);
      if (!ret || ret.status !== 'awaited') return;
      const { cycle, stage } = await loadStage(ctx.tx, ret.stageId);
      if (cycle.status !== 'active' || stage.status !== 'open') return;
      const stepKey = ctx.timer.key.slice(returnTimerPrefix(ret.id).length);
      const calendar = await partnershipCalendar(ctx.tx, cycle.partnershipId);
      const fx = new Effects();
      const kind = stepKindOf(stepKey);
      // The ask goes whatever the due date now is; every other step belongs to the due date it was armed for.
      const verdict = firedStepVerdict(kind === 'opened' ? `opened@${stage.dueOn}` : stepKey, stage.dueOn, calendar, ctx.now);
      if (verdict === 'stale') return;
      if (verdict === 'not-a-working-day' && kind === 'opened') {
        // The calendar changed after the ask was held back: it goes at the next sending time instead.
        const at = calendar.nextWorkingTimeAt(ctx.now, stage.reminders.sendAt);
        fx.timers([await armTimer(ctx.tx, { key: ctx.timer.key, kind: returnTimerKind, subjectId: ret.id, dueAt: at, rule: `the ask, next working day ${stage.reminders.sendAt}` })]);
      } else if (verdict === 'not-a-working-day') {
        await ctx.tx.timer.update({ where: { id: ctx.timer.id }, data: { status: 'cancelled' } });
        fx.timers(await armReturn(ctx.tx, stage, ret, true, calendar, ctx.now));
      } else {
        const view = await loadReturnView(ctx.tx, ret, cycle, stage, calendar, ctx.now);
        await sendReturnReminder(ctx.tx, fx, deps.platforms, view, kind, stepKey, ctx.now);
        // Chasers are armed a batch at a time; each one sent tops the batch up.
        if (kind === 'overdue') fx.timers(await armReturn(ctx.tx, stage, ret, true, calendar, ctx.now));
      }
      fx.flushAfter(ctx.afterCommit, deps);
    },
  };
}
