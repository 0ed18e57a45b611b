import type { DateTime } from 'luxon';
import type { TimerFireContext } from '../../scheduler/timer-handlers.js';
import type { Tx } from '../../store/db.js';
import type { CycleDeps } from './context.js';
import { Effects, inEffectsScope } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { StageScope } from './lifecycle.js';

async function openScope(tx: Tx, fx: Effects, deps: CycleDeps, partnershipId: string, now: DateTime, actor: StageScope['actor']): Promise<StageScope> {
  return { tx, fx, calendar: await partnershipCalendar(tx, partnershipId), platforms: deps.platforms, now, actor };
}

/** Runs a cycle use case in one transaction with its calendar, and hands timers and messages to the queues after commit. */
export async function inScope<T>(deps: CycleDeps, partnershipId: string, actor: StageScope['actor'], work: (scope: StageScope) => Promise<T>): Promise<T> {
  return inEffectsScope(deps, (tx, fx, now) => openScope(tx, fx, deps, partnershipId, now, actor), work);
}

/** The same inside a fired timer's transaction: the scheduler acts, at the timer's now. */
export async function inTimerScope<T>(deps: CycleDeps, ctx: TimerFireContext, partnershipId: string, work: (scope: StageScope) => Promise<T>): Promise<T> {
  const scope = await openScope(ctx.tx, new Effects(), deps, partnershipId, ctx.now, { name: 'scheduler' });
  const result = await work(scope);
  scope.fx.flushAfter(ctx.afterCommit, deps);
  return result;
}
