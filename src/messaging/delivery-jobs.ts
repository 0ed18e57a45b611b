import type { Queue } from 'bullmq';
import { pushWithRetry, type QueuePushRetryOptions } from '../core/queue-push-retry.js';
import type { DeliveredIds, DeliveryJobData } from './delivery-worker.js';

/**
 * Pending rows whose delivery job can no longer run: it failed for good (e.g. every attempt fell in a database outage),
 * or only its hash is left in Redis, in no queue list (keys lost part-way, as when a flush races a running worker).
 */
export interface RevivedDeliveries {
  /** Jobs removed (failed, or stranded outside every list) so that the next push queues these rows again. */
  requeued: string[];
  /** Rows the platform had already taken before the database failed: record them, never send them again. */
  delivered: { outboxId: string; ids: DeliveredIds }[];
}

const reviveBatch = 100;

export interface DeliveryRetryPolicy {
  attempts: number;
  backoffMs: number;
}

/**
 * Pushes outbox rows to the delivery queue. The job id is the row id, so pushing twice queues one job. A failed push
 * is retried promptly and reported to the observer; if it still fails it throws, and the reconcile re-queues the rows.
 */
export class DeliveryJobs {
  constructor(
    private readonly queue: Queue,
    private readonly retry: QueuePushRetryOptions = {},
    /** Tries before a passing failure (5xx, no answer) makes the row a dead letter; the backoff doubles each time. */
    private readonly policy: DeliveryRetryPolicy = { attempts: 8, backoffMs: 2_000 },
  ) {}

  /** Queues dead letters an admin retried: their failed jobs keep the row ids, so they are removed first. */
  async requeue(outboxIds: readonly string[]): Promise<void> {
    const revived = await this.reviveStranded(outboxIds);
    const delivered = new Set(revived.delivered.map((d) => d.outboxId));
    await this.push(outboxIds.filter((id) => !delivered.has(id)));
  }

  async push(outboxIds: readonly string[]): Promise<void> {
    if (outboxIds.length === 0) return;
    await pushWithRetry('delivery', outboxIds, () => this.add(outboxIds), this.retry);
  }

  /**
   * A push is a no-op while a job keeps the row's job id, so a pending row whose job failed, or whose job hash was
   * stranded outside every list, would wait forever. Removes such jobs (unless their data says the message went out)
   * so push() can queue again.
   */
  async reviveStranded(outboxIds: readonly string[]): Promise<RevivedDeliveries> {
    const revived: RevivedDeliveries = { requeued: [], delivered: [] };
    for (let i = 0; i < outboxIds.length; i += reviveBatch) {
      await Promise.all(
        outboxIds.slice(i, i + reviveBatch).map(async (outboxId) => {
          const job = await this.queue.getJob(outboxId);
          if (!job) return;
          const state = await job.getState();
          if (state !== 'failed' && state !== 'unknown') return;
          const data = job.data as DeliveryJobData;
          if (data.delivered) revived.delivered.push({ outboxId, ids: data.delivered });
          else if (await job.remove().then(() => true, () => false)) revived.requeued.push(outboxId);
        }),
      );
    }
    return revived;
  }

  private async add(outboxIds: readonly string[]): Promise<void> {
    await this.queue.addBulk(
      outboxIds.map((outboxId) => ({
        name: 'deliver',
        data: { outboxId } satisfies DeliveryJobData,
        opts: {
          jobId: outboxId,
          attempts: this.policy.attempts,
          backoff: { type: 'exponential', delay: this.policy.backoffMs },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  }
}
