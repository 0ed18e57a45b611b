import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../core/calendar.js';

/*
 * The reminder / chaser / escalation ladder every feature shares (QA stages, Section 11 returns, rapid-review
 * acknowledgements, dispute stages), like PagerDuty's and incident.io's escalation policies: a due day; reminders
 * N working days before it and on it; chasers every N working days after it; then escalation levels, each with a
 * timeout, a repeat count and a deputy. Pure: it says which steps are still to come. Timers for them are armed by
 * ladder-timers.ts, and only a change of the subject's state silences them (each timer re-checks when it fires).
 */

/** A length of working time: whole working days (sent at `sendAt`) or working hours (within `workingHours`). */
export type LadderSpan = { workingDays: number } | { workingHours: number };

export interface LadderLevel {
  /** Names the level's steps, e.g. `escalate-chair`. */
  kind: string;
  /** Whom the feature tells, e.g. `chair`. */
  audience: string;
  /** For the rule text: "3 working days overdue: tell the chair". */
  who: string;
  /** How long after the due day (working days) or the end of it (working hours) this level starts. */
  after: LadderSpan;
  /** Tell the audience again this many times, `every` apart, while nothing changes. */
  repeat?: { times: number; every: LadderSpan };
  /** One `repeat.every` after the last repeat (or `after` again when there are none), tell this audience instead. */
  deputy?: { audience: string; who: string };
}

export interface Ladder {
  /** HH:mm local time; day-based steps go out at this time on working days only. */
  sendAt: string;
  /** Working days before the due day, largest first, no repeats. */
  before: readonly number[];
  /** Announce when the subject starts (a stage opens, a round launches). */
  onStart: boolean;
  onDueDay: boolean;
  /** Working days between chasers once overdue; null: none. */
  chaseEvery: number | null;
  /** In order; each level's first step is keyed by its `after`. */
  levels: readonly LadderLevel[];
  /** Working hours for hour-based spans; default 09:00 to 17:00. */
  workingHours?: { start: string; end: string };
}

export interface LadderSubject {
  /** Local 'YYYY-MM-DD' (a working day): due by the end of that day, overdue from the next. */
  dueOn: string;
  /** Local 'YYYY-MM-DD' of the planned start, for a subject not started yet. */
  startsOn?: string;
  /** Hour-based levels count from this instant (a notification sent at 10:40) instead of the end of the due day. */
  hoursFrom?: DateTime;
}

export interface LadderOptions {
  /** Steps before it are left out (missed escalations excepted: see below). */
  now: DateTime;
  /** settled (done, cancelled, acknowledged) subjects get no steps; pending ones get a start announcement. */
  state: 'pending' | 'open' | 'settled';
  /** When an open subject actually started (it may start early). */
  startedAt?: DateTime;
  /** Step keys already sent; a missed escalation step not in it goes at the next sending time. */
  alreadySent?: ReadonlySet<string>;
}

export interface LadderStep {
  /** `opened`, `before`, `due`, `overdue`, or a level's kind. */
  kind: string;
  /** `owners` for the fixed steps; a level's (or its deputy's) audience. */
  audience: string;
  /** The UTC instant to send at. */
  at: DateTime;
  /** Unique within the subject and stable for the same due day, e.g. `before:5@2026-10-07`. */
  key: string;
  /** Human-readable, e.g. "5 working days before due, 09:30". */
  rule: string;
}

/** How many future overdue chasers one call returns; chasers are keyed by working days overdue, so a later call continues the series. */
export const CHASER_HORIZON = 10;

const DEFAULT_WORKING_HOURS = { start: '09:00', end: '17:00' };

const FIXED_ORDER: Record<string, number> = { opened: 0, before: 1, due: 2, overdue: 3 };

/**
 * Every step still to send for one subject, in time order:
 * - `opened` (pending subjects only) on the start day; if that has passed, at the next sending time.
 * - `before` N working days before the due day, and `due` on it; left out when past, and when on or before the
 *   start day (the start announcement gives the due date), unless start announcements are off, when only those
 *   before the start day are left out.
 * - `overdue` from the first working day after the due day, then every `chaseEvery` working days.
 * - each level at its timeout, its repeats, then its deputy. A missed level step is not dropped: the person must
 *   still hear, so it goes at the next sending time unless its key is in `alreadySent`.
 */
export function ladderSteps(subject: LadderSubject, ladder: Ladder, calendar: WorkingCalendar, options: LadderOptions): LadderStep[] {
  if (options.state === 'settled') return [];
  const { now } = options;
  const zone = calendar.zone;
  const dueDay = DateTime.fromISO(subject.dueOn, { zone }).set({ hour: 12 });
  const sendOn = (day: DateTime) => calendar.atLocalTime(day, ladder.sendAt).toUTC();
  const nextSendingTime = calendar.nextWorkingTimeAt(now, ladder.sendAt).toUTC();
  const steps: LadderStep[] = [];
  const add = (kind: string, audience: string, at: DateTime, rule: string, key: string) =>
    steps.push({ kind, audience, at, key: `${key}@${subject.dueOn}`, rule: `${rule}, ${ladder.sendAt}` });

  const pending = options.state === 'pending';
  const plannedStart = pending && subject.startsOn ? sendOn(DateTime.fromISO(subject.startsOn, { zone }).set({ hour: 12 })) : options.startedAt;
  // A pending subject whose start has passed (started late) starts at the next sending time.
  const start = pending && plannedStart && plannedStart < now ? nextSendingTime : plannedStart;
  const startDay = start?.setZone(zone).toISODate();
  const afterStart = (when: DateTime) => {
    if (startDay === undefined || startDay === null) return true;
    const day = when.setZone(zone).toISODate() ?? '';
    return ladder.onStart ? day > startDay : day >= startDay;
  };
  const stillToCome = (when: DateTime) => when >= now && afterStart(when);

  if (pending && ladder.onStart && start) add('opened', 'owners', start, 'when the stage opens', 'opened');
  for (const n of ladder.before) {
    const when = sendOn(calendar.addWorkingDays(dueDay, -n));
    if (stillToCome(when)) add('before', 'owners', when, `${plural(n)} before due`, `before:${n}`);
  }
  if (ladder.onDueDay && calendar.isWorkingDay(dueDay)) {
    const when = sendOn(dueDay);
    if (stillToCome(when)) add('due', 'owners', when, 'on the due day', 'due');
  }
  if (ladder.chaseEvery !== null) {
    const every = ladder.chaseEvery;
    // Start from the chaser at or just before today rather than walking every chaser since the due date.
    const overdueSoFar = now > dueDay ? calendar.workingDaysBetween(dueDay, now) : 0;
    const first = 1 + every * Math.max(0, Math.floor((overdueSoFar - 1) / every));
    let day = calendar.addWorkingDays(dueDay, first);
    for (let n = first, found = 0; found < CHASER_HORIZON; n += every, day = calendar.addWorkingDays(day, every)) {
      const when = sendOn(day);
      if (when < now) continue;
      add('overdue', 'owners', when, `${plural(n)} overdue (chased every ${plural(every)})`, `overdue:${n}`);
      found++;
    }
  }

  const levelStep = (kind: string, audience: string, when: DateTime, rule: string, key: string) => {
    const fullKey = `${key}@${subject.dueOn}`;
    if (when >= now) add(kind, audience, when, rule, key);
    else if (!options.alreadySent?.has(fullKey)) add(kind, audience, nextSendingTime, rule.replace(/:/, ' (missed, sent late):'), key);
  };
  const span = (from: DateTime, length: LadderSpan) => shiftBy(from, length, ladder, calendar);
  // Hour-based levels count from the end of the due day's working hours, unless the subject says from when.
  const endOfDueDay = subject.hoursFrom ?? calendar.atLocalTime(dueDay, ladder.workingHours?.end ?? DEFAULT_WORKING_HOURS.end);
  for (const level of ladder.levels) {
    const n = amountOf(level.after);
    const base = `${level.kind}:${n}`;
    let when = span('workingDays' in level.after ? dueDay : endOfDueDay, level.after);
    levelStep(level.kind, level.audience, when, `${describeSpan(level.after)} overdue: tell ${level.who}`, base);
    const every = level.repeat?.every ?? level.after;
    for (let i = 1; i <= (level.repeat?.times ?? 0); i++) {
      when = span(when, every);
      levelStep(level.kind, level.audience, when, `${describeSpan(level.after)} overdue, again (${i} of ${level.repeat!.times}): tell ${level.who}`, `${base}:again-${i}`);
    }
    if (level.deputy) {
      when = span(when, every);
      levelStep(level.kind, level.deputy.audience, when, `${describeSpan(level.after)} overdue, no answer: tell ${level.deputy.who}`, `${base}:deputy`);
    }
  }

  const order = (step: LadderStep) => FIXED_ORDER[step.kind] ?? 4 + ladder.levels.findIndex((l) => l.kind === step.kind);
  return steps.sort((a, b) => a.at.toMillis() - b.at.toMillis() || order(a) - order(b));
}

/** The step kind behind a key, e.g. `escalate-chair` from `escalate-chair:3:again-1@2026-11-09`. */
export function stepKindOf(stepKey: string): string {
  return stepKey.split(/[:@]/)[0] ?? '';
}

/** Working days move to `sendAt` on the working day reached; working hours count only time inside working hours. */
function shiftBy(from: DateTime, span: LadderSpan, ladder: Ladder, calendar: WorkingCalendar): DateTime {
  if ('workingDays' in span) return calendar.atLocalTime(calendar.addWorkingDays(from, span.workingDays), ladder.sendAt).toUTC();
  const { start, end } = ladder.workingHours ?? DEFAULT_WORKING_HOURS;
  let cursor: DateTime = from.setZone(calendar.zone);
  let remaining = span.workingHours * 60;
  for (let guard = 0; remaining > 0 && guard < 1000; guard++) {
    const opens = calendar.atLocalTime(cursor, start);
    const closes = calendar.atLocalTime(cursor, end);
    if (!calendar.isWorkingDay(cursor) || cursor >= closes) {
      cursor = calendar.atLocalTime(calendar.nextWorkingDay(cursor), start);
      continue;
    }
    if (cursor < opens) cursor = opens;
    const available = closes.diff(cursor, 'minutes').minutes;
    if (available >= remaining) return cursor.plus({ minutes: remaining }).toUTC();
    remaining -= available;
    cursor = calendar.atLocalTime(calendar.nextWorkingDay(cursor), start);
  }
  return cursor.toUTC();
}

function amountOf(span: LadderSpan): number {
  return 'workingDays' in span ? span.workingDays : span.workingHours;
}

/** "3 working days", "4 working hours". */
export function describeSpan(span: LadderSpan): string {
  return 'workingDays' in span ? plural(span.workingDays) : `${span.workingHours} working hour${span.workingHours === 1 ? '' : 's'}`;
}

export function plural(workingDays: number): string {
  return workingDays === 1 ? '1 working day' : `${workingDays} working days`;
}
