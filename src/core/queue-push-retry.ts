/** One failed attempt to hand rows to a queue. Ids only: never anything a person typed. */
export interface QueuePushFailure {
  queue: 'delivery' | 'timers';
  ids: readonly string[];
  /** 1 for the first attempt. */
  attempt: number;
  /** False on the last attempt: the rows are left to the periodic reconcile. */
  willRetry: boolean;
  error: string;
}

/** Told about every failed attempt (the runtime logs it and counts it in metrics). */
export type QueuePushObserver = (failure: QueuePushFailure) => void;

export interface QueuePushRetryOptions {
  observer?: QueuePushObserver;
  /** Waits before each retry. Short, because a person may be waiting for the reply behind the push. */
  delaysMs?: readonly number[];
  /**
   * False while the queue cannot be reached: the attempt fails at once instead of waiting for the connection to come
   * back (which may be minutes), so the caller carries on and the reconcile queues the rows later.
   */
  ready?: () => boolean;
}

export class QueueUnreachableError extends Error {
  constructor() {
    super('the queue backend is not reachable');
    this.name = 'QueueUnreachableError';
  }
}

// About 1.3 s in all: well inside Slack's 3 s, and enough to ride out a dropped connection or a failover.
export const defaultQueuePushDelaysMs: readonly number[] = [50, 250, 1000];

/**
 * Runs `push` (which must be idempotent: job ids are row ids) until it succeeds, retrying promptly a few times.
 * Throws the last error when every attempt failed; the rows stay in PostgreSQL and the reconcile re-queues them.
 */
export async function pushWithRetry(
  queue: QueuePushFailure['queue'],
  ids: readonly string[],
  push: () => Promise<void>,
  options: QueuePushRetryOptions = {},
): Promise<void> {
  const delays = options.delaysMs ?? defaultQueuePushDelaysMs;
  for (let attempt = 1; ; attempt++) {
    try {
      if (options.ready && !options.ready()) throw new QueueUnreachableError();
      await push();
      return;
    } catch (error) {
      const willRetry = attempt <= delays.length;
      options.observer?.({ queue, ids, attempt, willRetry, error: error instanceof Error ? error.message : String(error) });
      if (!willRetry) throw error;
      await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
    }
  }
}
