import type { Clock } from '../../core/clock.js';
import { WorkingCalendar } from '../../core/calendar.js';
import type { Logger } from '../../core/logger.js';
import type { EnabledPlatforms } from '../../messaging/recipients.js';
import type { Db, Tx } from '../../store/db.js';
import type { AfterCommit } from '../../store/unit-of-work.js';

/** What the cycles feature needs from the outside world; passed in, never imported. */
export interface CycleDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  platforms: EnabledPlatforms;
  /** Re-reads these timer rows and makes BullMQ match them. */
  syncTimers(ids: readonly string[]): Promise<void>;
  /** Queues delivery of these outbox rows. */
  pushOutbox(ids: readonly string[]): Promise<void>;
}

/** Collects the timer and outbox rows a transaction touched, and hands them to the queues once it has committed. */
export class Effects {
  readonly timerIds: string[] = [];
  readonly outboxIds: string[] = [];

  timers(ids: readonly string[]): void {
    this.timerIds.push(...ids);
  }

  outbox(ids: readonly string[]): void {
    this.outboxIds.push(...ids);
  }

  flushAfter(afterCommit: AfterCommit, deps: Pick<CycleDeps, 'syncTimers' | 'pushOutbox'>): void {
    afterCommit(async () => {
      await deps.syncTimers([...new Set(this.timerIds)]);
      await deps.pushOutbox([...new Set(this.outboxIds)]);
    });
  }
}

/** The working calendar of a partnership: its time zone and its extra non-working days. */
export async function partnershipCalendar(tx: Tx | Db, partnershipId: string): Promise<WorkingCalendar> {
  const p = await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { timezone: true, extraNonWorkingDays: true } });
  return new WorkingCalendar({ zone: p.timezone, extraNonWorkingDays: p.extraNonWorkingDays });
}
