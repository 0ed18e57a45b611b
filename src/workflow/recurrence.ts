import rrulePackage, { type Options } from 'rrule';
import type { Span } from './span.js';

const { RRule, rrulestr } = rrulePackage;

/*
 * The dates a recurring plan or round falls on. rrule works on "floating" dates: every date here is midnight UTC
 * standing for a local calendar day, and only 'YYYY-MM-DD' strings leave this file (the local time is placed with
 * luxon later). The `recurs:` syntax that gives a Recurrence is in recurrence-schema.ts.
 */

export const RECURRENCE_UNITS = ['months', 'weeks', 'years'] as const;

/** The dates a recurring plan or round falls on, as written under `recurs:`. */
export type RecurrencePattern =
  | { kind: 'every'; unit: (typeof RECURRENCE_UNITS)[number]; interval: number }
  | { kind: 'rule'; rule: string }
  | { kind: 'dates'; dates: string[] }
  /** From the group's meetingsPerYear. */
  | { kind: 'meetings' };

export interface Recurrence {
  pattern: RecurrencePattern;
  /** The first date (YYYY-MM-DD); not needed with explicit dates. */
  from?: string | undefined;
  until?: string | undefined;
  /** How long before the date the cycle starts; default: when its first stage opens. */
  opensBefore?: Span | undefined;
  /** Title of each cycle, with {plan} {group} {date} {month} {year}. */
  title?: string | undefined;
  /** Member keys that lead the cycles in turn (e.g. a lead sponsor from each partner); a skipped date passes no turn. */
  leadsInTurn?: string[] | undefined;
}

const WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];

export interface DateWindow {
  /** First day to list (inclusive), YYYY-MM-DD. */
  from: string;
  /** Last day to list (inclusive), YYYY-MM-DD. */
  to: string;
  /** List at least this many dates from `from` even past `to` (a plan or round every two years still has its next date). */
  atLeast?: number;
}

/** The dates inside the window, ascending. `meetingsPerYear` is the group's, for `meetings: per-year`. */
export function occurrenceDates(recurs: Recurrence, meetingsPerYear: number | undefined, window: DateWindow): string[] {
  if (recurs.pattern.kind === 'dates') {
    const listed = recurs.pattern.dates.filter((day) => day >= window.from && (recurs.until === undefined || day <= recurs.until));
    const inside = listed.filter((day) => day <= window.to);
    return inside.length >= (window.atLeast ?? 0) ? inside : listed.slice(0, window.atLeast);
  }
  const rule = ruleOf(recurs, meetingsPerYear);
  if (!rule) return [];
  const inside = rule.between(floating(window.from), floating(window.to), true).map(isoOf);
  const wanted = window.atLeast ?? 0;
  if (inside.length >= wanted) return inside;
  const more: string[] = [...inside];
  let after = inside.length > 0 ? floating(inside[inside.length - 1]!) : floating(window.from);
  let inclusive = inside.length === 0;
  while (more.length < wanted) {
    const next = rule.after(after, inclusive);
    if (!next) break;
    more.push(isoOf(next));
    after = next;
    inclusive = false;
  }
  return more;
}

/** The rrule for a pattern; undefined for `meetings: per-year` without a meetingsPerYear. */
function ruleOf(recurs: Recurrence, meetingsPerYear: number | undefined) {
  const dtstart = floating(recurs.from ?? '1970-01-01');
  const until = recurs.until === undefined ? null : floating(recurs.until);
  const pattern = recurs.pattern;
  switch (pattern.kind) {
    case 'every': {
      const freq = { months: RRule.MONTHLY, weeks: RRule.WEEKLY, years: RRule.YEARLY }[pattern.unit];
      return new RRule({ freq, interval: pattern.interval, dtstart, until, ...clampedMonthDay(recurs.from, pattern.unit) });
    }
    case 'rule': {
      const parsed = rrulestr(pattern.rule, { dtstart });
      return until && !parsed.options.until ? new RRule({ ...parsed.origOptions, dtstart, until }) : parsed;
    }
    case 'meetings':
      return meetingsPerYear === undefined ? undefined : new RRule({ ...meetingRhythm(meetingsPerYear, dtstart), dtstart, until });
    case 'dates':
      return undefined;
  }
}

/**
 * "Monthly from the 31st" means the last day of shorter months (31 Jan, 28 Feb, 31 Mar), as plan dates elsewhere do;
 * a plain rrule would skip the months without a 31st. The latest existing day of 28..day is picked.
 */
function clampedMonthDay(from: string | undefined, unit: 'months' | 'weeks' | 'years'): Partial<Options> {
  const day = from === undefined ? 1 : Number(from.slice(8, 10));
  if (unit === 'weeks' || day <= 28) return {};
  const monthDays = Array.from({ length: day - 27 }, (_, i) => 28 + i);
  return unit === 'years'
    ? { bymonth: [Number(from!.slice(5, 7))], bymonthday: monthDays, bysetpos: [-1] }
    : { bymonthday: monthDays, bysetpos: [-1] };
}

/**
 * A group's default meeting rhythm from its meetingsPerYear: 12, 6, 4, 3, 2 or 1 meetings give every 12/n months on
 * the same weekday of the month as the first meeting (the second Tuesday, or the last Thursday when it is the 5th);
 * any other number gives every round(52/n) weeks on the first meeting's weekday.
 */
export function meetingRhythm(meetingsPerYear: number, first: Date): Partial<Options> {
  const weekday = WEEKDAYS[(first.getUTCDay() + 6) % 7]!;
  if (12 % meetingsPerYear === 0) {
    const nth = Math.ceil(first.getUTCDate() / 7);
    return { freq: RRule.MONTHLY, interval: 12 / meetingsPerYear, byweekday: [weekday.nth(nth >= 5 ? -1 : nth)] };
  }
  return { freq: RRule.WEEKLY, interval: Math.max(1, Math.round(52 / meetingsPerYear)), byweekday: [weekday] };
}

function floating(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date));
}

function isoOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
