import type { AfterCommit } from '../store/unit-of-work.js';

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
