import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';

/**
 * Notices that Redis lost the queues (a flush, or a restart without persistence) before the next scheduled reconcile
 * would: every reconcile writes a marker key under the queue prefix, so a missing marker means the timers and
 * delivery jobs may be gone. `intact()` says so (for /readyz) and starts one reconcile at once to put them back.
 */
export interface FlushWatch {
  /** Call when a reconcile starts: the jobs it rebuilds are as good as in Redis. */
  mark(): Promise<void>;
  /** False while Redis is unreachable or the marker is missing; a missing marker triggers a reconcile. */
  intact(): Promise<boolean>;
  /** Checks every `everyMs` in the background (worker processes), until stop(). */
  watch(everyMs: number): void;
  stop(): void;
}

export function createFlushWatch(deps: { redis?: Redis; key: string; reconcile: () => Promise<unknown>; logger: Logger }): FlushWatch {
  const { redis, key, logger } = deps;
  let healing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const heal = () => {
    healing ??= deps
      .reconcile()
      .then(() => logger.info('queues rebuilt from the database after Redis lost them'))
      .catch((err: Error) => logger.warn({ err: err.message }, 'could not rebuild the queues; trying again on the next check'))
      .finally(() => {
        healing = undefined;
      });
  };

  const intact = async (): Promise<boolean> => {
    if (!redis) return true;
    // With maxRetriesPerRequest: null a command waits for Redis forever; answer now instead.
    if (redis.status !== 'ready') return false;
    const present = await Promise.race([
      redis.exists(key).then((n) => n === 1),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref()),
    ]).catch(() => undefined);
    if (present !== false) return present === true;
    if (!healing) logger.warn('the queue marker is missing from Redis (flushed or restarted empty); rebuilding the queues now');
    heal();
    return false;
  };

  return {
    async mark() {
      await redis?.set(key, new Date().toISOString());
    },
    intact,
    watch(everyMs) {
      timer ??= setInterval(() => void intact(), everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
