import type { TimerHandler } from '../../scheduler/timer-handlers.js';
import { Effects } from '../../workflow/effects.js';
import { stepKindOf } from '../../workflow/ladder.js';
import { firedStepVerdict } from '../../workflow/ladder-timers.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { riskTimerKind } from './model.js';
import { RISK_REMINDER_KINDS, type RiskReminderKind } from './risk-policy.js';
import { armRiskReminders, riskStepKeyOf, sendRiskReminder } from './risk-reminders.js';
import { loadRisk } from './risk-repository.js';
import { policyOf } from './people.js';

/**
 * A risk's review reminder: on waking it re-reads the risk, and only an open risk whose review date is still the one
 * the timer was armed for is reminded (closing it, or recording a review that moves the date, is what silences it).
 */
export function riskTimers(deps: FeatureDeps): Record<string, TimerHandler> {
  return {
    [riskTimerKind]: async ({ tx, timer, now, afterCommit }) => {
      const risk = await loadRisk(tx, timer.subjectId);
      if (!risk || risk.status !== 'open') return;
      const stepKey = riskStepKeyOf(timer.key, risk.id);
      const kind = stepKindOf(stepKey);
      if (!RISK_REMINDER_KINDS.includes(kind)) return;
      const calendar = await partnershipCalendar(tx, risk.partnershipId);
      const verdict = firedStepVerdict(stepKey, risk.reviewOn, calendar, now);
      if (verdict === 'stale') return;
      const fx = new Effects();
      if (verdict === 'not-a-working-day') {
        // The calendar changed after this was armed (an added non-working day): it goes on the next working day.
        await tx.timer.update({ where: { id: timer.id }, data: { status: 'cancelled' } });
        fx.timers(await armRiskReminders(tx, risk, await policyOf(tx, risk.partnershipId), calendar, now));
      } else {
        await sendRiskReminder(tx, fx, deps.platforms, risk, kind as RiskReminderKind, stepKey, calendar, now);
      }
      fx.flushAfter(afterCommit, deps);
    },
  };
}
