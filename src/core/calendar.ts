import { DateTime, IANAZone } from 'luxon';
import { englandAndWalesBankHolidays } from './bank-holidays.js';

export const DEFAULT_ZONE = 'Europe/London';

export interface CalendarOptions {
  /** IANA zone the partnership works in; local dates and times are judged here. */
  zone?: string;
  /** Extra non-working days ('YYYY-MM-DD'), e.g. a one-off bank holiday by proclamation. */
  extraNonWorkingDays?: readonly string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Working days for an English partnership: not Saturday, Sunday, an England & Wales bank holiday,
 * or an admin-configured extra non-working day. Every DateTime returned is in `zone`.
 */
export class WorkingCalendar {
  readonly zone: string;
  private readonly extraNonWorkingDays: ReadonlySet<string>;

  constructor(options: CalendarOptions = {}) {
    this.zone = options.zone ?? DEFAULT_ZONE;
    if (!IANAZone.isValidZone(this.zone)) throw new RangeError(`Unknown time zone '${this.zone}'`);
    for (const day of options.extraNonWorkingDays ?? []) {
      if (!ISO_DATE.test(day) || !DateTime.fromISO(day).isValid) {
        throw new RangeError(`Extra non-working day '${day}' is not a valid YYYY-MM-DD date`);
      }
    }
    this.extraNonWorkingDays = new Set(options.extraNonWorkingDays);
  }

  /** Judged on the local date in `zone`. */
  isWorkingDay(at: DateTime): boolean {
    return this.isWorkingDate(this.civilDate(at));
  }

  /** The England & Wales bank holiday on `at`'s local date; undefined for weekends and extra days. */
  bankHolidayName(at: DateTime): string | undefined {
    const date = this.civilDate(at);
    return englandAndWalesBankHolidays(date.year).get(isoDate(date));
  }

  /**
   * Moves by whole working days, keeping the local time of day (so across a DST change the UTC
   * offset differs). From a non-working day, +1 is the next working day and -1 the previous one.
   * Zero returns `from` unchanged (in `zone`).
   */
  addWorkingDays(from: DateTime, days: number): DateTime {
    if (!Number.isInteger(days)) throw new RangeError(`Working days must be a whole number, got ${days}`);
    if (days === 0) return this.local(from);
    const step = Math.sign(days);
    let date = this.civilDate(from);
    for (let remaining = Math.abs(days); remaining > 0; ) {
      date = date.plus({ days: step });
      if (this.isWorkingDate(date)) remaining--;
    }
    return this.onDateKeepingTime(date, this.local(from));
  }

  /** The first working day strictly after `from`'s local date, at the same local time. */
  nextWorkingDay(from: DateTime): DateTime {
    return this.addWorkingDays(from, 1);
  }

  /** `from` itself if its local date is a working day, else the next working day at the same local time. */
  workingDayOnOrAfter(from: DateTime): DateTime {
    return this.isWorkingDay(from) ? this.local(from) : this.nextWorkingDay(from);
  }

  /** `from` itself if its local date is a working day, else the working day before it, at the same local time. */
  workingDayOnOrBefore(from: DateTime): DateTime {
    return this.isWorkingDay(from) ? this.local(from) : this.addWorkingDays(from, -1);
  }

  /** Working days from `now`'s local date to the local day `day` (YYYY-MM-DD): 0 on it, negative once it has passed. */
  workingDaysUntil(day: string, now: DateTime): number {
    return this.workingDaysBetween(now, DateTime.fromISO(day, { zone: this.zone }).set({ hour: 12 }));
  }

  /**
   * Working days after `from`'s local date up to and including `to`'s local date;
   * when `to` is earlier, minus the count the other way round. Times of day are ignored.
   */
  workingDaysBetween(from: DateTime, to: DateTime): number {
    const start = this.civilDate(from);
    const end = this.civilDate(to);
    if (end < start) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let date = start.plus({ days: 1 }); date <= end; date = date.plus({ days: 1 })) {
      if (this.isWorkingDate(date)) count++;
    }
    return count;
  }

  /** `day`'s local date at HH:mm in `zone`. A time skipped by the spring change moves forward an hour. */
  atLocalTime(day: DateTime, hhmm: string): DateTime {
    const match = HH_MM.exec(hhmm);
    if (!match) throw new RangeError(`Expected a time as HH:mm, got '${hhmm}'`);
    const date = this.civilDate(day);
    return DateTime.fromObject(
      { year: date.year, month: date.month, day: date.day, hour: Number(match[1]), minute: Number(match[2]) },
      { zone: this.zone },
    );
  }

  /** The first instant at or after `from` that is HH:mm local time on a working day. */
  nextWorkingTimeAt(from: DateTime, hhmm: string): DateTime {
    const sameDay = this.atLocalTime(from, hhmm);
    if (this.isWorkingDay(from) && sameDay >= from) return sameDay;
    return this.atLocalTime(this.nextWorkingDay(from), hhmm);
  }

  /**
   * Day 0 is the day of awareness; "within N working days" means by the end (23:59:59.999 local)
   * of the Nth working day after it.
   */
  endOfWorkingDayDeadline(awareness: DateTime, workingDays: number): DateTime {
    if (!Number.isInteger(workingDays) || workingDays < 0) {
      throw new RangeError(`A deadline needs a whole, non-negative number of working days, got ${workingDays}`);
    }
    return this.addWorkingDays(awareness, workingDays).endOf('day');
  }

  private local(at: DateTime): DateTime {
    if (!at.isValid) throw new RangeError(`Invalid DateTime: ${at.invalidExplanation ?? at.invalidReason}`);
    return at.setZone(this.zone);
  }

  /** The local calendar date as midnight UTC, so day arithmetic never meets a DST change. */
  private civilDate(at: DateTime): DateTime {
    const local = this.local(at);
    return DateTime.utc(local.year, local.month, local.day);
  }

  private isWorkingDate(date: DateTime): boolean {
    if (date.weekday > 5) return false;
    const iso = isoDate(date);
    return !englandAndWalesBankHolidays(date.year).has(iso) && !this.extraNonWorkingDays.has(iso);
  }

  private onDateKeepingTime(date: DateTime, time: DateTime): DateTime {
    return DateTime.fromObject(
      {
        year: date.year,
        month: date.month,
        day: date.day,
        hour: time.hour,
        minute: time.minute,
        second: time.second,
        millisecond: time.millisecond,
      },
      { zone: this.zone },
    );
  }
}

function isoDate(civilDate: DateTime): string {
  return civilDate.toFormat('yyyy-MM-dd');
}
