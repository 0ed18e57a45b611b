import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay } from '../../core/day-format.js';
import { nationalBody, outcomesOf, type ClockLimit, type ReviewType, type ReviewView } from './model.js';

/** One statutory clock as a card shows it: its due day, what it counts from, and whether it is done. */
export interface ReviewClock {
  key: 'notification' | 'acknowledge' | 'chronologies' | 'rapid-review' | 'decision';
  label: string;
  /** Local YYYY-MM-DD; undefined while its anchor has not happened (the notification not yet sent). */
  dueOn: string | undefined;
  /** In words, e.g. "15 working days from awareness, Mon 1 Mar 2027". */
  anchor: string;
  done: boolean;
}

/** The last day of a clock counted from `anchorDay` (day 0): N working days after it, or N months on, moved back off a non-working day. */
export function clockDueOn(limit: ClockLimit, anchorDay: string, calendar: WorkingCalendar): string {
  const start = DateTime.fromISO(anchorDay, { zone: calendar.zone }).set({ hour: 12 });
  if ('workingDays' in limit) return calendar.addWorkingDays(start, limit.workingDays).toISODate()!;
  return calendar.workingDayOnOrBefore(start.plus({ months: limit.months })).toISODate()!;
}

export function describeClockLimit(limit: ClockLimit): string {
  if ('workingDays' in limit) return limit.workingDays === 1 ? '1 working day' : `${limit.workingDays} working days`;
  return limit.months === 1 ? '1 month' : `${limit.months} months`;
}

const awarenessWord: Record<ReviewType, string> = { child: 'awareness', adult: 'the referral', dhr: 'the police notification', learning: 'the referral' };

/** What the rapid review's clock and the agencies' chronologies count from: awareness, or the day the notification was sent. */
export function rapidReviewAnchor(r: Pick<ReviewView, 'type' | 'settings' | 'awareOn' | 'nationalNotifiedOn'>): { day: string | undefined; words: string } {
  if (r.type === 'child' && r.settings.rapidReviewFrom === 'notification') return { day: r.nationalNotifiedOn, words: 'the national notification' };
  return { day: r.awareOn, words: awarenessWord[r.type] };
}

/** Every clock of a review, in the order they run out. */
export function reviewClocks(r: ReviewView, calendar: WorkingCalendar): ReviewClock[] {
  const s = r.settings;
  const decided = r.status !== 'open';
  const clock = (key: ReviewClock['key'], label: string, limit: ClockLimit, from: { day: string | undefined; words: string }, done: boolean): ReviewClock => ({
    key, label, done,
    dueOn: from.day ? clockDueOn(limit, from.day, calendar) : undefined,
    anchor: from.day
      ? `${describeClockLimit(limit)} from ${from.words}, ${formatDay(from.day, calendar.zone)}`
      : `${describeClockLimit(limit)} from ${from.words}, once it is recorded`,
  });
  const aware = { day: r.awareOn, words: awarenessWord[r.type] };
  const anchor = rapidReviewAnchor(r);
  const clocks: ReviewClock[] = [];
  if (r.type === 'child') clocks.push(clock('notification', `National notification to ${nationalBody.child}`, s.nationalNotification, aware, r.nationalNotifiedOn !== undefined));
  if (r.type === 'adult') clocks.push(clock('acknowledge', 'Referral acknowledged', s.sarAcknowledge, aware, r.acks.length > 0));
  if (r.agencies.length > 0) clocks.push(clock('chronologies', "Agencies' chronologies to the business unit", s.chronologies, anchor, r.agencies.every((a) => a.confirmedAt)));
  if (r.type === 'child') clocks.push(clock('rapid-review', 'Rapid review completed and sent to the Panel', s.rapidReview, anchor, decided));
  if (r.type === 'adult') clocks.push(clock('decision', 'Decision on a SAR', s.sarDecision, aware, decided));
  if (r.type === 'dhr') clocks.push(clock('decision', 'Decision on a DHR', s.dhrDecision, aware, decided));
  if (r.type === 'learning') clocks.push(clock('decision', 'Decision on a review', s.learningDecision, aware, decided));
  return clocks;
}

/**
 * Whether a clock still runs: not done and started, while the review is open; the national notification also after
 * the decision, until it is recorded (it is owed whatever the group decides).
 */
export const clockRuns = (clock: ReviewClock, r: Pick<ReviewView, 'status'>) =>
  !clock.done && clock.dueOn !== undefined && (r.status === 'open' || (r.status === 'decided' && clock.key === 'notification'));

/** "3 working days left", "due today", "2 working days overdue", "done". */
export function timeLeft(dueOn: string | undefined, done: boolean, now: DateTime, calendar: WorkingCalendar): string {
  if (done) return 'done';
  if (!dueOn) return 'not started';
  const left = calendar.workingDaysUntil(dueOn, now);
  const today = now.setZone(calendar.zone).toISODate()!;
  if (today > dueOn) {
    const over = Math.max(1, -left);
    return `${over} working day${over === 1 ? '' : 's'} overdue`;
  }
  if (today === dueOn) return 'due today';
  return `${left} working day${left === 1 ? '' : 's'} left`;
}

/** The decision starts a review with stages to follow (an LCSPR, a SAR, a DHR, a learning review). */
export const startsReview = (r: Pick<ReviewView, 'type' | 'decision'>) => outcomesOf[r.type].some((o) => o.value === r.decision && o.review);

/** A decided review's follow-through, counted from the decision day: terms of reference, reviewer, report, publication. */
export function followThrough(publish: ClockLimit, decidedOn: string, calendar: WorkingCalendar): { key: string; name: string; dueOn: string }[] {
  const publishOn = clockDueOn(publish, decidedOn, calendar);
  const reportBy = 'months' in publish && publish.months > 1 ? clockDueOn({ months: publish.months - 1 }, decidedOn, calendar) : calendar.addWorkingDays(DateTime.fromISO(publishOn, { zone: calendar.zone }).set({ hour: 12 }), -20).toISODate()!;
  const steps = [
    { key: 'terms', name: 'Terms of reference agreed', dueOn: clockDueOn({ workingDays: 20 }, decidedOn, calendar) },
    { key: 'reviewer', name: 'Reviewer commissioned', dueOn: clockDueOn({ workingDays: 30 }, decidedOn, calendar) },
    { key: 'report', name: 'Final report to the partners', dueOn: reportBy },
    { key: 'publication', name: 'Report published', dueOn: publishOn },
  ];
  // Never out of order: a short publication limit pulls the earlier steps in with it.
  for (let i = steps.length - 2; i >= 0; i--) if (steps[i]!.dueOn > steps[i + 1]!.dueOn) steps[i]!.dueOn = steps[i + 1]!.dueOn;
  return steps;
}

export const PUBLIC_UNTIL = 'public-until';
