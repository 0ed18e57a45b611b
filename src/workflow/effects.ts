import type { DateTime } from 'luxon';
import type { Clock } from '../core/clock.js';
import type { Db, Tx } from '../store/db.js';
import { transact, type AfterCommit } from '../store/unit-of-work.js';

/** The two queue pushes a use case needs once its transaction has committed. */
export interface QueuePushes {
  /** Re-reads these timer rows and makes the queue match them. */
  syncTimers(ids: readonly string[]): Promise<void>;
  /** Queues delivery of these outbox rows. */
  pushOutbox(ids: readonly string[]): Promise<void>;
}

/** Collects the timer and outbox rows a transaction touched, and hands them to the queues once it has committed. */
export class Effects {
  readonly timerIds: string[] = [];
  readonly outboxIds: string[] = [];

  timers(ids: readonly string[]): void {
    this.timerIds.push(...ids);
  }

  outbox(ids: readonly string[]): void {
    this.outboxIds.push(...ids);
  }

  flushAfter(afterCommit: AfterCommit, queues: QueuePushes): void {
    afterCommit(async () => {
      // Independent pushes: timers that could not be armed must not hold back the messages, nor the reverse.
      const results = await Promise.allSettled([queues.syncTimers([...new Set(this.timerIds)]), queues.pushOutbox([...new Set(this.outboxIds)])]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  }
}

/**
 * Runs a use case in one transaction, with the scope `open` builds around a fresh Effects at the clock's now; the timers
 * and messages it touched go to the queues once the transaction has committed.
 */
export function inEffectsScope<S extends { fx: Effects }, T>(
  deps: QueuePushes & { db: Db; clock: Clock },
  open: (tx: Tx, fx: Effects, now: DateTime) => Promise<S>,
  work: (scope: S) => Promise<T>,
): Promise<T> {
  return transact(deps.db, async (tx, afterCommit) => {
    const scope = await open(tx, new Effects(), deps.clock.now());
    const result = await work(scope);
    scope.fx.flushAfter(afterCommit, deps);
    return result;
  });
}
