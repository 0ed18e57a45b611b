import { Effects } from '../../workflow/effects.js';
import { stepKindOf } from '../../workflow/ladder.js';
import { firedStepVerdict } from '../../workflow/ladder-timers.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { TimerHandler } from '../../scheduler/timer-handlers.js';
import type { FeatureDeps } from '../contract.js';
import { ACTION_REMINDER_KINDS, actionTimerKind, type ActionReminderKind } from './model.js';
import { armActionReminders, sendActionReminder, stepKeyOf } from './reminders.js';
import { loadAction } from './repository.js';
import { actionReminderSettings } from './schema.js';

/**
 * An action's reminder timer: on waking it re-reads the action, and only an open action with the same due date is
 * reminded (marking it done is what silences it). Each overdue chaser sent tops up the next batch.
 */
export function actionLogTimers(deps: FeatureDeps): Record<string, TimerHandler> {
  return {
    [actionTimerKind]: async ({ tx, timer, now, afterCommit }) => {
      const action = await loadAction(tx, timer.subjectId);
      if (!action || action.status !== 'open') return;
      const stepKey = stepKeyOf(timer.key, action.id);
      const kind = stepKindOf(stepKey);
      if (!ACTION_REMINDER_KINDS.includes(kind)) return;
      const fx = new Effects();
      const calendar = await partnershipCalendar(tx, action.partnershipId);
      const verdict = firedStepVerdict(stepKey, action.dueOn, calendar, now);
      if (verdict === 'stale') return;
      const partnership = await tx.partnership.findUniqueOrThrow({ where: { id: action.partnershipId }, select: { sections: true } });
      const settings = actionReminderSettings(partnership.sections);
      if (verdict === 'not-a-working-day') {
        // The calendar changed after this was armed (an added non-working day): it goes on the next working day.
        await tx.timer.update({ where: { id: timer.id }, data: { status: 'cancelled' } });
      } else {
        await sendActionReminder(tx, fx, deps.platforms, action, kind as ActionReminderKind, stepKey, calendar, now);
      }
      if (verdict === 'not-a-working-day' || kind === 'overdue') fx.timers(await armActionReminders(tx, action, settings, calendar, now));
      fx.flushAfter(afterCommit, deps);
    },
  };
}
