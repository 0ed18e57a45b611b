import type { Logger } from '../core/logger.js';

const connectionTrouble = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|connect ETIMEDOUT/i;

/**
 * How a worker's 'error' events are logged. While Redis is away a worker reports every reconnect attempt (dozens a
 * second): that is one outage, told at warn level once per `everyMs` with how many were left out. Anything else is an
 * error, every time.
 */
export function workerErrorLogger(logger: Logger, queue: string, everyMs = 30_000): (err: Error) => void {
  let lastToldAt = Number.NEGATIVE_INFINITY;
  let leftOut = 0;
  return (err) => {
    if (!connectionTrouble.test(err.message)) {
      logger.error({ err: err.message, queue }, 'worker error');
      return;
    }
    const now = Date.now();
    if (now - lastToldAt < everyMs) {
      leftOut += 1;
      return;
    }
    logger.warn({ err: err.message, queue, alsoSince: leftOut }, 'worker cannot reach the queue backend; retrying');
    lastToldAt = now;
    leftOut = 0;
  };
}
