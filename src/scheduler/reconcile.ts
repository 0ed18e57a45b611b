import type { Logger } from '../core/logger.js';
import type { DeliveryJobs } from '../messaging/delivery-jobs.js';
import { recordDelivered } from '../messaging/delivery-worker.js';
import type { Db } from '../store/db.js';
import type { TimerJobs } from './timer-jobs.js';
import type { QueueKit } from './queue-kit.js';

export interface ReconcileReport {
  timersAdded: number;
  timersMoved: number;
  staleJobsRemoved: number;
  deliveriesQueued: number;
  /** Pending rows whose delivery job had failed for good, queued again. */
  strandedRequeued: number;
  /** Pending rows whose failed job had in fact delivered them, now recorded as sent. */
  strandedRecordedSent: number;
}

const batchSize = 500;

/**
 * Rebuilds Redis from PostgreSQL: every pending timer has its delayed job at the right instant, no delayed job
 * outlives its row, and every pending outbox row has a delivery job. Safe to run at any time, from any process.
 */
export async function reconcile(deps: { db: Db; queues: QueueKit; timerJobs: TimerJobs; deliveryJobs: DeliveryJobs; logger: Logger }): Promise<ReconcileReport> {
  const report: ReconcileReport = { timersAdded: 0, timersMoved: 0, staleJobsRemoved: 0, deliveriesQueued: 0, strandedRequeued: 0, strandedRecordedSent: 0 };

  let cursor: string | undefined;
  for (;;) {
    const timers = await deps.db.timer.findMany({
      where: { status: 'pending' },
      orderBy: { id: 'asc' },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, kind: true, dueAt: true },
    });
    for (const t of timers) {
      const outcome = await deps.timerJobs.ensureJob(t.id, t.kind, t.dueAt);
      if (outcome === 'added') report.timersAdded += 1;
      if (outcome === 'moved') report.timersMoved += 1;
    }
    if (timers.length < batchSize) break;
    cursor = timers.at(-1)?.id;
  }

  const delayed = await deps.queues.timers.getDelayed();
  if (delayed.length > 0) {
    const ids = delayed.map((j) => j.id).filter((id): id is string => typeof id === 'string');
    const pending = new Set(
      (await deps.db.timer.findMany({ where: { id: { in: ids }, status: 'pending' }, select: { id: true } })).map((r) => r.id),
    );
    for (const job of delayed) {
      if (job.id && !pending.has(job.id)) {
        await job.remove().catch(() => undefined);
        report.staleJobsRemoved += 1;
      }
    }
  }

  const outbox = await deps.db.outboxMessage.findMany({ where: { status: 'pending' }, select: { id: true }, orderBy: { createdAt: 'asc' } });
  const stranded = await deps.deliveryJobs.reviveStranded(outbox.map((o) => o.id));
  for (const { outboxId, ids } of stranded.delivered) {
    if (await recordDelivered(deps.db, outboxId, ids)) report.strandedRecordedSent += 1;
  }
  const alreadyOut = new Set(stranded.delivered.map((d) => d.outboxId));
  const toQueue = outbox.map((o) => o.id).filter((id) => !alreadyOut.has(id));
  await deps.deliveryJobs.push(toQueue);
  report.deliveriesQueued = toQueue.length;
  report.strandedRequeued = stranded.requeued.length;

  if (report.strandedRequeued + report.strandedRecordedSent > 0) deps.logger.warn(report, 'found deliveries whose jobs had failed for good');
  else if (report.timersAdded + report.timersMoved + report.staleJobsRemoved > 0) deps.logger.info(report, 'reconciled queues with the database');
  return report;
}
