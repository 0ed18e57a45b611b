import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../core/calendar.js';
import { armTimer } from '../scheduler/timers.js';
import type { Tx } from '../store/db.js';
import { stepKindOf, type LadderStep } from './ladder.js';

/** A timer a subject should have: keyed `${prefix}${step key}`. */
export interface WantedTimer {
  kind: string;
  at: DateTime;
  rule: string;
}

/** The ladder's steps as the timers that send them, skipping those already sent. */
export function ladderTimers(prefix: string, timerKind: string, steps: readonly LadderStep[], alreadySent: ReadonlySet<string>): Map<string, WantedTimer> {
  const wanted = new Map<string, WantedTimer>();
  for (const step of steps) {
    if (alreadySent.has(step.key)) continue;
    wanted.set(`${prefix}${step.key}`, { kind: timerKind, at: step.at, rule: step.rule });
  }
  return wanted;
}

/** The step keys (prefix removed) whose timers already fired for a subject. */
export async function sentStepKeys(tx: Tx, prefix: string): Promise<Set<string>> {
  const fired = await tx.timer.findMany({ where: { key: { startsWith: prefix }, status: 'fired' }, select: { key: true } });
  return new Set(fired.map((t) => t.key.slice(prefix.length)));
}

/**
 * Makes a subject's pending timers exactly `wanted`: each is armed (created, moved or revived), and its other
 * future pending timers are cancelled (a moved due day gives new keys). Timers already due are left to fire: each
 * re-checks the subject when it wakes and stands down if it no longer applies, and one may be firing in another
 * transaction right now. Returns every timer id touched, to sync with the queue after commit.
 */
export async function armExactly(tx: Tx, subjectId: string, wanted: ReadonlyMap<string, WantedTimer>, now: DateTime): Promise<string[]> {
  const touched: string[] = [];
  for (const [key, spec] of wanted) {
    touched.push(await armTimer(tx, { key, kind: spec.kind, subjectId, dueAt: spec.at, rule: spec.rule }));
  }
  const stale = await tx.timer.findMany({ where: { subjectId, status: 'pending', key: { notIn: [...wanted.keys()] }, dueAt: { gt: now.toJSDate() } }, select: { id: true } });
  if (stale.length > 0) {
    await tx.timer.updateMany({ where: { id: { in: stale.map((s) => s.id) } }, data: { status: 'cancelled' } });
    touched.push(...stale.map((s) => s.id));
  }
  return touched;
}

/**
 * Timers carry ids, not decisions: when a ladder timer fires, is its step still wanted? `stale` when the due day has
 * moved since it was armed; `not-a-working-day` when the calendar changed after it was armed (an added non-working
 * day): the feature re-arms and it goes on the next working day. The feature has already checked its own state.
 */
export function firedStepVerdict(stepKey: string, dueOn: string, calendar: WorkingCalendar, now: DateTime): 'send' | 'stale' | 'not-a-working-day' {
  if (!stepKey.endsWith(`@${dueOn}`)) return 'stale';
  return calendar.isWorkingDay(now) ? 'send' : 'not-a-working-day';
}

/**
 * Caught up after downtime, several steps of one ladder fall due at once: whether a later step of the same kind is
 * already due, so only the latest is sent (the deputy, not the chair again).
 */
export async function laterStepAlreadyDue(tx: Tx, timer: { subjectId: string; kind: string; dueAt: Date }, now: DateTime): Promise<boolean> {
  const later = await tx.timer.count({ where: { subjectId: timer.subjectId, kind: timer.kind, status: { not: 'cancelled' }, dueAt: { gt: timer.dueAt, lte: now.toJSDate() } } });
  return later > 0;
}

/**
 * A fired ladder step whose subject still owes it (the feature has checked): `send` it, by its kind, when it still
 * applies. When the calendar changed under it, the timer is cancelled and the subject re-armed, so it goes on the next
 * working day; after an overdue chaser the subject is re-armed too, since chasers are armed a batch at a time
 * (CHASER_HORIZON) and each one sent tops the batch up.
 */
export async function onFiredStep(
  tx: Tx,
  fired: { timerId: string; stepKey: string; dueOn: string; calendar: WorkingCalendar; now: DateTime },
  handlers: { send(kind: string): Promise<void>; rearm(): Promise<unknown> },
): Promise<void> {
  const verdict = firedStepVerdict(fired.stepKey, fired.dueOn, fired.calendar, fired.now);
  if (verdict === 'not-a-working-day') {
    await tx.timer.update({ where: { id: fired.timerId }, data: { status: 'cancelled' } });
    await handlers.rearm();
  } else if (verdict === 'send') {
    const kind = stepKindOf(fired.stepKey);
    await handlers.send(kind);
    if (kind === 'overdue') await handlers.rearm();
  }
}
