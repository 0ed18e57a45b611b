import type { Job, Queue } from 'bullmq';
import type { Clock } from '../core/clock.js';
import { pushWithRetry, type QueuePushRetryOptions } from '../core/queue-push-retry.js';
import type { Db } from '../store/db.js';

export interface TimerJobData {
  timerId: string;
  /** Epoch ms the job was last scheduled to fire at. */
  firesAt?: number;
}

/** Keeps BullMQ's delayed jobs in step with the Timer rows: job id = row id, delay = dueAt - now. */
export class TimerJobs {
  constructor(
    private readonly queue: Queue,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly retry: QueuePushRetryOptions = {},
  ) {}

  /**
   * Makes the queue match these rows (after a commit that armed, moved or cancelled them). A failure is retried
   * promptly and reported to the observer; if it still fails it throws, and the reconcile puts the timers right.
   */
  async sync(timerIds: readonly string[]): Promise<void> {
    if (timerIds.length === 0) return;
    await pushWithRetry('timers', timerIds, () => this.syncOnce(timerIds), this.retry);
  }

  private async syncOnce(timerIds: readonly string[]): Promise<void> {
    const rows = await this.db.timer.findMany({ where: { id: { in: [...timerIds] } } });
    const found = new Set(rows.map((r) => r.id));
    for (const row of rows) {
      if (row.status === 'pending') await this.ensureJob(row.id, row.kind, row.dueAt);
      else await this.removeJob(row.id);
    }
    for (const id of timerIds) if (!found.has(id)) await this.removeJob(id);
  }

  async ensureJob(timerId: string, kind: string, dueAt: Date): Promise<'added' | 'moved' | 'kept'> {
    const delay = Math.max(0, dueAt.getTime() - this.clock.now().toMillis());
    const job = await this.queue.getJob(timerId);
    if (job) {
      const state = await job.getState();
      if (state === 'delayed') {
        // BullMQ keeps the creation time after changeDelay, so the instant we asked for travels in the job's data.
        const firesAt = (job.data as Partial<TimerJobData>).firesAt ?? job.timestamp + (job.delay ?? 0);
        const wantedAt = Date.now() + delay;
        if (Math.abs(firesAt - wantedAt) < 1000) return 'kept';
        try {
          // Data first: once the delay is short the job may run and vanish at once.
          await job.updateData({ timerId, firesAt: wantedAt } satisfies TimerJobData);
          await job.changeDelay(delay);
        } catch (error) {
          // The job ran (or was removed) meanwhile: the row, not the job, says whether anything is left to do.
          if (!/missing key|not in the delayed state|could not find job/i.test(String(error))) throw error;
        }
        return 'moved';
      }
      if (state === 'active' || state === 'waiting' || state === 'prioritized' || state === 'waiting-children') return 'kept';
      await job.remove().catch(() => undefined);
    }
    await this.queue.add(kind, { timerId, firesAt: Date.now() + delay } satisfies TimerJobData, {
      jobId: timerId,
      delay,
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return 'added';
  }

  async removeJob(timerId: string): Promise<void> {
    const job: Job | undefined = await this.queue.getJob(timerId);
    if (!job) return;
    const state = await job.getState();
    if (state !== 'active') await job.remove().catch(() => undefined);
  }
}
