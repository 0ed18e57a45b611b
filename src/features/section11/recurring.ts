// Rounds that launch themselves: `section11: rounds:` in the partnership file, on the same `recurs:` as recurring
// plans. On each start and on each planned day the latest due occurrence is launched (once: the round row is unique
// per plan and day) and a timer is armed for the next.
import { DateTime } from 'luxon';
import { armTimer } from '../../scheduler/timers.js';
import { occurrenceDates } from '../../workflow/recurrence.js';
import type { FeatureDeps } from '../contract.js';
import { launchKey, s11TimerKinds, variantNames, type RecurringRound } from './model.js';
import { inS11Scope, todayIn, type S11Scope } from './scope.js';
import { dueProblem, launchRound } from './service-round.js';

function titleOf(r: RecurringRound, day: string): string {
  const d = DateTime.fromISO(day, { locale: 'en-GB' });
  return r.title.replace(/\{plan\}/g, variantNames[r.variant]).replace(/\{year\}/g, d.toFormat('yyyy')).replace(/\{month\}/g, d.toFormat('LLLL')).replace(/\{date\}/g, d.toFormat('d LLLL yyyy')).replace(/\{group\}/g, '');
}

export function dueOnFor(scope: Pick<S11Scope, 'calendar'>, r: RecurringRound, day: string): string {
  const start = DateTime.fromISO(day, { zone: scope.calendar.zone }).set({ hour: 12 });
  if ('months' in r.dueAfter) return scope.calendar.workingDayOnOrBefore(start.plus({ months: r.dueAfter.months })).toISODate()!;
  return scope.calendar.addWorkingDays(start, r.dueAfter.workingDays).toISODate()!;
}

/** Launches each recurring round whose latest planned day has come and not been launched, and arms the next. */
export function launchRecurringRounds(deps: FeatureDeps, partnershipId: string): Promise<number> {
  return inS11Scope(deps, partnershipId, (scope) => launchRecurringRoundsIn(scope, partnershipId));
}

export async function launchRecurringRoundsIn(scope: S11Scope, partnershipId: string): Promise<number> {
  let launched = 0;
  const today = todayIn(scope);
  const from = DateTime.fromISO(today).minus({ years: 1 }).toISODate()!;
  const to = DateTime.fromISO(today).plus({ years: 3 }).toISODate()!;
  for (const r of scope.policy.rounds) {
    const days = occurrenceDates(r.recurs, undefined, { from, to, atLeast: 1 });
    const last = days.filter((d) => d <= today).at(-1);
    if (last) {
      const exists = await scope.tx.s11Round.findFirst({ where: { partnershipId, planKey: r.key, plannedOn: last }, select: { id: true } });
      const dueOn = dueOnFor(scope, r, last);
      if (!exists && !dueProblem(scope, dueOn)) {
        await launchRound(scope, partnershipId, { title: titleOf(r, last), dueOn, variant: r.variant, ...(r.agencies ? { agencies: r.agencies } : {}), plan: { key: r.key, plannedOn: last } });
        launched++;
      }
    }
    const next = days.find((d) => d > today);
    if (next) {
      const at = scope.calendar.atLocalTime(DateTime.fromISO(next, { zone: scope.calendar.zone }), scope.policy.sendAt);
      scope.fx.timers([await armTimer(scope.tx, { key: launchKey(partnershipId, r.key, next), kind: s11TimerKinds.launch, subjectId: partnershipId, dueAt: at.toUTC(), rule: `${r.key}: launches ${next}` })]);
    }
  }
  return launched;
}

/** For every partnership with recurring rounds (after each start and each edit of a partnership file). */
export async function launchAllRecurringRounds(deps: FeatureDeps): Promise<void> {
  const partnerships = await deps.db.partnership.findMany({ select: { id: true, sections: true } });
  for (const p of partnerships) {
    const rounds = (p.sections as { section11?: { rounds?: unknown[] } } | null)?.section11?.rounds;
    if (Array.isArray(rounds) && rounds.length > 0) await launchRecurringRounds(deps, p.id);
  }
}
