import type { Logger } from '../core/logger.js';
import type { QueuePushObserver } from '../core/queue-push-retry.js';
import type { Metrics } from '../http/metrics.js';

/** Logs each failed queue push (ids only) and counts it, so a struggling Redis shows up before anyone complains. */
export function queuePushReporter(logger: Logger, metrics: Metrics): QueuePushObserver {
  return ({ queue, ids, attempt, willRetry, error }) => {
    metrics.queuePushFailures.inc({ queue, outcome: willRetry ? 'retrying' : 'left_to_reconcile' });
    // A reconcile can push thousands of ids; the first few are enough to find the rows.
    const shown = ids.slice(0, 20);
    logger.warn(
      { queue, ids: shown, count: ids.length, attempt, err: error },
      willRetry ? 'queue push failed; retrying' : 'queue push failed; left to the next reconcile',
    );
  };
}
