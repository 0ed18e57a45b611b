import { DelayedError, type Job } from 'bullmq';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import type { TimerHandlerRegistry } from './timer-handlers.js';
import type { TimerJobData } from './timer-jobs.js';

type Outcome = { kind: 'fired' } | { kind: 'stale' } | { kind: 'early'; dueAt: Date };

/**
 * A timer job carries only the row id. On waking it re-reads the row: still pending? really due? Only then does it
 * mark the row fired and run the feature's handler, all in one transaction, so a timer fires exactly once
 * however many copies of its job exist.
 */
export function createTimerProcessor(deps: { db: Db; clock: Clock; handlers: TimerHandlerRegistry; logger: Logger; onFired?: (kind: string) => void }) {
  return async (job: Job<TimerJobData>, token?: string): Promise<string> => {
    const now = deps.clock.now();
    const outcome = await transact<Outcome>(deps.db, async (tx, afterCommit) => {
      const timer = await tx.timer.findUnique({ where: { id: job.data.timerId } });
      if (!timer || timer.status !== 'pending') return { kind: 'stale' };
      // Timers of one subject (a stage) fire one at a time: two due at the same instant (a chaser and an
      // escalation) each re-arm the stage, and must see what the other has already sent.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${timer.subjectId}))`;
      if (timer.dueAt.getTime() > now.toMillis() + 1000) return { kind: 'early', dueAt: timer.dueAt };
      const claimed = await tx.timer.updateMany({
        where: { id: timer.id, status: 'pending' },
        data: { status: 'fired', firedAt: now.toJSDate() },
      });
      if (claimed.count !== 1) return { kind: 'stale' };
      const handler = deps.handlers.get(timer.kind);
      if (!handler) {
        deps.logger.warn({ timerId: timer.id, kind: timer.kind }, 'no handler for timer kind; marked fired');
        return { kind: 'fired' };
      }
      await handler({ tx, timer, now, afterCommit });
      return { kind: 'fired' };
    });
    if (outcome.kind === 'early') {
      // The row moved later than this job (or the demo clock is behind): sleep again until it is due.
      const wait = outcome.dueAt.getTime() - now.toMillis();
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    if (outcome.kind === 'fired') deps.onFired?.(job.name);
    return outcome.kind;
  };
}
