import type { Queue } from 'bullmq';
import type { DeliveryJobData } from './delivery-worker.js';

/** Pushes outbox rows to the delivery queue. The job id is the row id, so pushing twice queues one job. */
export class DeliveryJobs {
  constructor(private readonly queue: Queue) {}

  async push(outboxIds: readonly string[]): Promise<void> {
    if (outboxIds.length === 0) return;
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
