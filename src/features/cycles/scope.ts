import { transact } from '../../store/unit-of-work.js';
import type { CycleDeps } from './context.js';
import { Effects } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { StageScope } from './lifecycle.js';

/** Runs a cycle use case in one transaction with its calendar, and hands timers and messages to the queues after commit. */
export async function inScope<T>(deps: CycleDeps, partnershipId: string, actor: StageScope['actor'], work: (scope: StageScope) => Promise<T>): Promise<T> {
  return transact(deps.db, async (tx, afterCommit) => {
    const fx = new Effects();
    const calendar = await partnershipCalendar(tx, partnershipId);
    const result = await work({ tx, fx, calendar, platforms: deps.platforms, now: deps.clock.now(), actor });
    fx.flushAfter(afterCommit, deps);
    return result;
  });
}
