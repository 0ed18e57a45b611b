import type { Db, Tx } from './db.js';

export type AfterCommit = (task: () => Promise<void> | void) => void;

/**
 * Runs `work` in one database transaction and, only once it has committed, the tasks it queued with `afterCommit`
 * (typically: push new timer and outbox rows to BullMQ). Losing an after-commit task loses nothing: the
 * reconciler finds the rows later.
 */
export async function transact<T>(db: Db, work: (tx: Tx, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  const tasks: (() => Promise<void> | void)[] = [];
  const result = await db.$transaction((tx) => work(tx, (task) => tasks.push(task)), { timeout: 15_000 });
  for (const task of tasks) {
    try {
      await task();
    } catch {
      // Rows are the truth. Queue pushes have already retried and reported their failure (DeliveryJobs, TimerJobs);
      // the periodic reconcile re-arms whatever a failed task did not.
    }
  }
  return result;
}
