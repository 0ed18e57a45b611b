import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Tx } from '../../store/db.js';
import { armExactly, sentStepKeys, type WantedTimer } from '../../workflow/ladder-timers.js';
import { reminderInstants } from './reminder-rules.js';
import { armStageReturns } from './returns-arming.js';
import { plannedView, stageTimerPrefix, type StageRow } from './stage-row.js';

export const timerKinds = {
  open: 'cycle.stage-open',
  reminder: 'cycle.reminder',
} as const;

/**
 * Makes a stage's pending timers exactly what its state calls for now: an opening timer while it is pending,
 * its reminders while open, nothing once done or cancelled or while the cycle is paused. Timers
 * that no longer apply (a moved due date gives new keys) are cancelled. Returns every timer id touched.
 */
export async function armStage(tx: Tx, stage: StageRow, cycleActive: boolean, calendar: WorkingCalendar, now: DateTime): Promise<string[]> {
  const prefix = stageTimerPrefix(stage.id);
  const wanted = new Map<string, WantedTimer>();
  if (cycleActive && (stage.status === 'pending' || stage.status === 'open')) {
    if (stage.status === 'pending') {
      const opensAt = calendar.nextWorkingTimeAt(
        DateTime.max(now, calendar.atLocalTime(DateTime.fromISO(stage.opensOn, { zone: calendar.zone }), '00:00')),
        stage.reminders.sendAt,
      );
      wanted.set(`${prefix}open@${stage.opensOn}`, { kind: timerKinds.open, at: opensAt, rule: `opens ${stage.opensOn}, ${stage.reminders.sendAt}` });
    }
    // A pending stage waits only for its opening; opening it arms its reminders from that moment.
    if (stage.status === 'open') {
      // An opening announcement held back until working hours stays armed; one a pause cancelled before it went
      // is armed again (at its time, or at the next sending time if that has passed).
      const announcement = await tx.timer.findUnique({ where: { key: `${prefix}opened@${stage.dueOn}` } });
      if (announcement && announcement.status !== 'fired') {
        const heldUntil = DateTime.fromJSDate(announcement.dueAt);
        const at = announcement.status === 'pending' || heldUntil > now ? heldUntil : calendar.nextWorkingTimeAt(now, stage.reminders.sendAt);
        wanted.set(announcement.key, { kind: announcement.kind, at, rule: announcement.rule });
      }
      const alreadySent = await sentStepKeys(tx, prefix);
      const instants = reminderInstants(plannedView(stage), stage.reminders, calendar, {
        now,
        state: stage.status,
        openedAt: stage.openedAt ? DateTime.fromJSDate(stage.openedAt) : undefined,
        alreadySent,
      });
      // A stage collecting agencies' returns is reminded and chased per agency (returns-arming.ts), not as a whole.
      const chasedPerAgency = (await tx.stageReturn.count({ where: { stageId: stage.id } })) > 0;
      for (const instant of instants) {
        if (instant.kind === 'opened' || alreadySent.has(instant.key) || chasedPerAgency) continue;
        wanted.set(`${prefix}${instant.key}`, { kind: timerKinds.reminder, at: instant.at, rule: instant.rule });
      }
    }
  }

  // Each agency's return (a stage with `returns:`) has its own ladder, following the stage's state.
  return [...(await armExactly(tx, stage.id, wanted, now)), ...(await armStageReturns(tx, stage, cycleActive, calendar, now))];
}

/** The reminder key behind a timer key, e.g. `before:5@2026-11-09` from `stage:<id>:before:5@2026-11-09`. */
export function reminderKeyOf(timerKey: string, stageId: string): string {
  return timerKey.slice(stageTimerPrefix(stageId).length);
}
