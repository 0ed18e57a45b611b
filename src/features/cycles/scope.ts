import type { DateTime } from 'luxon';
import type { TimerFireContext } from '../../scheduler/timer-handlers.js';
import type { Tx } from '../../store/db.js';
import { transact } from '../../store/unit-of-work.js';
import type { CycleDeps } from './context.js';
import { Effects } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { StageScope } from './lifecycle.js';

async function openScope(tx: Tx, deps: CycleDeps, partnershipId: string, now: DateTime, actor: StageScope['actor']): Promise<StageScope> {
  return { tx, fx: new Effects(), calendar: await partnershipCalendar(tx, partnershipId), platforms: deps.platforms, now, actor };
}

/** Runs a cycle use case in one transaction with its calendar, and hands timers and messages to the queues after commit. */
export async function inScope<T>(deps: CycleDeps, partnershipId: string, actor: StageScope['actor'], work: (scope: StageScope) => Promise<T>): Promise<T> {
  return transact(deps.db, async (tx, afterCommit) => {
    const scope = await openScope(tx, deps, partnershipId, deps.clock.now(), actor);
    const result = await work(scope);
    scope.fx.flushAfter(afterCommit, deps);
    return result;
  });
}

/** The same inside a fired timer's transaction: the scheduler acts, at the timer's now. */
export async function inTimerScope<T>(deps: CycleDeps, ctx: TimerFireContext, partnershipId: string, work: (scope: StageScope) => Promise<T>): Promise<T> {
  const scope = await openScope(ctx.tx, deps, partnershipId, ctx.now, { name: 'scheduler' });
  const result = await work(scope);
  scope.fx.flushAfter(ctx.afterCommit, deps);
  return result;
}
