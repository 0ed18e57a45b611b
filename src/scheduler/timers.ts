import type { DateTime } from 'luxon';
import type { Tx } from '../store/db.js';

export interface TimerSpec {
  /** Deterministic and unique, e.g. `stage:<id>:due`. Re-arming the same key updates the one row. */
  key: string;
  kind: string;
  subjectId: string;
  dueAt: DateTime;
  /** The rule that produced `dueAt`, kept for audit and for explaining the reminder ("5 working days before due, 09:30"). */
  rule: string;
}

/**
 * Creates, moves or revives (after a cancel) a timer row. A timer that already fired is armed again only when its
 * due instant changed (e.g. a deadline moved later), so re-running the same plan is idempotent. Returns the row
 * id to push after commit.
 */
export async function armTimer(tx: Tx, spec: TimerSpec): Promise<string> {
  const dueAt = spec.dueAt.toJSDate();
  const existing = await tx.timer.findUnique({ where: { key: spec.key } });
  if (!existing) {
    const created = await tx.timer.create({
      data: { key: spec.key, kind: spec.kind, subjectId: spec.subjectId, dueAt, rule: spec.rule },
    });
    return created.id;
  }
  const moved = existing.dueAt.getTime() !== dueAt.getTime();
  if (existing.status === 'cancelled' || moved) {
    // The condition is repeated in SQL: a timer that fired meanwhile (in another transaction) stays fired.
    await tx.timer.updateMany({
      where: { id: existing.id, OR: [{ status: { not: 'fired' } }, { dueAt: { not: dueAt } }] },
      data: { dueAt, rule: spec.rule, kind: spec.kind, subjectId: spec.subjectId, status: 'pending', firedAt: null },
    });
  }
  return existing.id;
}

/** Cancels pending timers of a subject (optionally only those whose key starts with a prefix). Returns their ids. */
export async function cancelTimers(tx: Tx, subjectId: string, keyPrefix?: string): Promise<string[]> {
  const where = { subjectId, status: 'pending' as const, ...(keyPrefix ? { key: { startsWith: keyPrefix } } : {}) };
  const rows = await tx.timer.findMany({ where, select: { id: true } });
  if (rows.length > 0) await tx.timer.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: 'cancelled' } });
  return rows.map((r) => r.id);
}
