import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Span } from '../../workflow/span.js';
import type { CyclePlan, DueDateOverrides, NonWorkingDueRule, PlanStage, PlannedStage } from './model.js';
import { resolveReminderRules } from './reminder-rules.js';

/**
 * The planned window of every stage of a cycle, worked out once from the date the cycle was started with.
 *
 * Each stage gets a nominal opening and due date by plain date arithmetic; what people see (`opensOn`,
 * `dueOn`) is the nominal date moved to a working day when it lands on a weekend, a bank holiday or an
 * extra non-working day. An opening moves forward. A calendar-day due date (days, weeks, months, a fixed
 * `due:`) moves back to the working day before, so "within 28 days" is never day 29, unless the stage
 * (or plan) says `dueOnNonWorkingDay: later`; a working-day due date already is a working day. Later
 * stages are measured from the nominal dates, so a month-by-month plan keeps to the cycle's day of the
 * month instead of drifting each time a date is moved off a weekend.
 *
 * - Opening: `after: previous` (the default) is the previous stage's planned due date, or the start
 *   date for the first stage; `after: start` is the start date; `after: <stage key>` is that earlier
 *   stage's due date, including any move. Then `offset` is added (it may be negative).
 * - Due: the opening plus `duration`, or the fixed `due:` date. "Due on" a date means by the end of
 *   that local day; the stage is overdue from the next day. Working days count like the calendar's
 *   deadlines: the nominal opening is day 0, so `{ workingDays: 5 }` from a Saturday is the next
 *   Friday (when Monday is a working day).
 * - A moved due date (`overrides`, from an admin's move or approved request for more time) moves that
 *   stage only. Stages that follow with the default `after: previous` keep the planned rhythm; stages
 *   that name it in `after:` (impact checks measured from the recommendations) move with it, and so on
 *   down the chain. A stage never opens after its own due date: its opening is pulled back.
 */
export function planStages(
  plan: CyclePlan,
  cycleStart: DateTime,
  calendar: WorkingCalendar,
  overrides: DueDateOverrides = {},
): PlannedStage[] {
  for (const key of Object.keys(overrides)) {
    if (!plan.stages.some((stage) => stage.key === key)) throw new RangeError(`Plan "${plan.key}" has no stage "${key}"`);
  }
  const start = middayOn(cycleStart, calendar.zone);
  const effectiveDue = new Map<string, DateTime>();
  let previousPlannedDue = start;

  return plan.stages.map((stage) => {
    const anchor = stage.after === 'previous' ? previousPlannedDue
      : stage.after === 'start' ? start
      : effectiveDue.get(stage.after);
    if (!anchor) throw new RangeError(`Stage "${stage.key}" is measured from "${stage.after}", which is not an earlier stage`);

    const nominalOpening = stage.offset ? shift(anchor, stage.offset, calendar) : anchor;
    const plannedDue = stage.due !== undefined
      ? fromIsoDate(stage.due, calendar.zone, `stage "${stage.key}" due date`)
      : shift(nominalOpening, stage.duration ?? { unit: 'days', amount: 0 }, calendar);
    const moved = overrides[stage.key]?.dueOn;
    const due = moved === undefined ? plannedDue : fromIsoDate(moved, calendar.zone, `moved due date of "${stage.key}"`);
    effectiveDue.set(stage.key, due);
    previousPlannedDue = plannedDue;

    const toWorkingDay = (day: DateTime) => dueOnWorkingDay(day, dueRule(plan, stage), calendar);
    const dueOn = isoDate(moved === undefined ? toWorkingDay(due) : calendar.workingDayOnOrAfter(due));
    const opensOn = isoDate(calendar.workingDayOnOrAfter(nominalOpening));
    return {
      key: stage.key,
      name: stage.name,
      owner: stage.owner,
      done: stage.done,
      opensOn: opensOn > dueOn ? dueOn : opensOn,
      dueOn,
      plannedDueOn: isoDate(toWorkingDay(plannedDue)),
      escalationGroup: stage.owner.kind === 'group' ? stage.owner.group : plan.group,
      reminders: resolveReminderRules(plan.reminders, stage.reminders),
    };
  });
}

/** The last instant the stage is on time: the end of its due date, local time. */
export function stageDeadline(stage: Pick<PlannedStage, 'dueOn'>, calendar: WorkingCalendar): DateTime {
  return fromIsoDate(stage.dueOn, calendar.zone, 'due date').endOf('day');
}

export function isOverdue(stage: Pick<PlannedStage, 'dueOn'>, now: DateTime, calendar: WorkingCalendar): boolean {
  return now > stageDeadline(stage, calendar);
}

function dueRule(plan: CyclePlan, stage: PlanStage): NonWorkingDueRule | 'working-days' {
  if (stage.due === undefined && stage.duration?.unit === 'workingDays') return 'working-days';
  return stage.dueOnNonWorkingDay ?? plan.dueOnNonWorkingDay ?? 'earlier';
}

function dueOnWorkingDay(day: DateTime, rule: NonWorkingDueRule | 'working-days', calendar: WorkingCalendar): DateTime {
  if (rule === 'earlier' && !calendar.isWorkingDay(day)) return calendar.addWorkingDays(day, -1);
  return calendar.workingDayOnOrAfter(day);
}

// Dates are carried as local midday so calendar arithmetic never meets a clock change.
function middayOn(at: DateTime, zone: string): DateTime {
  if (!at.isValid) throw new RangeError(`Invalid cycle start: ${at.invalidExplanation ?? at.invalidReason}`);
  const local = at.setZone(zone);
  return DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour: 12 }, { zone });
}

function fromIsoDate(iso: string, zone: string, what: string): DateTime {
  const day = DateTime.fromISO(iso, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !day.isValid) throw new RangeError(`The ${what} "${iso}" is not a YYYY-MM-DD date`);
  return day.set({ hour: 12 });
}

function shift(day: DateTime, span: Span, calendar: WorkingCalendar): DateTime {
  if (span.unit === 'workingDays') return calendar.addWorkingDays(day, span.amount);
  return day.plus({ [span.unit]: span.amount });
}

function isoDate(day: DateTime): string {
  return day.toISODate() ?? '';
}
