import type { Queue } from 'bullmq';
import { pushWithRetry, type QueuePushRetryOptions } from '../core/queue-push-retry.js';
import type { DeliveryJobData } from './delivery-worker.js';

/**
 * Pushes outbox rows to the delivery queue. The job id is the row id, so pushing twice queues one job. A failed push
 * is retried promptly and reported to the observer; if it still fails it throws, and the reconcile re-queues the rows.
 */
export class DeliveryJobs {
  constructor(
    private readonly queue: Queue,
    private readonly retry: QueuePushRetryOptions = {},
  ) {}

  async push(outboxIds: readonly string[]): Promise<void> {
    if (outboxIds.length === 0) return;
    await pushWithRetry('delivery', outboxIds, () => this.add(outboxIds), this.retry);
  }

  private async add(outboxIds: readonly string[]): Promise<void> {
    await this.queue.addBulk(
      outboxIds.map((outboxId) => ({
        name: 'deliver',
        data: { outboxId } satisfies DeliveryJobData,
        opts: {
          jobId: outboxId,
          attempts: 8,
          backoff: { type: 'exponential', delay: 2_000 },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  }
}
