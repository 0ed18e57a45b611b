import { DateTime } from 'luxon';

export function formatDay(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy');
}

export function formatTime(at: Date | DateTime, zone: string): string {
  const dt = at instanceof Date ? DateTime.fromJSDate(at) : at;
  return dt.setZone(zone).setLocale('en-GB').toFormat('HH:mm');
}

export function formatDayTime(at: Date | DateTime, zone: string): string {
  const dt = at instanceof Date ? DateTime.fromJSDate(at) : at;
  return dt.setZone(zone).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');
}

/** "due today", "due in 3 working days", "2 working days overdue". */
export function dueWording(workingDaysLeft: number, dueToday: boolean): string {
  if (dueToday) return 'due today';
  if (workingDaysLeft > 0) return `due in ${workingDaysLeft} working day${workingDaysLeft === 1 ? '' : 's'}`;
  const late = -workingDaysLeft;
  return `${late} working day${late === 1 ? '' : 's'} overdue`;
}

/** Accepts 2026-11-09, 9/11/2026 and "9 Nov 2026". Returns YYYY-MM-DD or undefined. */
export function parseDay(text: string, zone: string): string | undefined {
  const trimmed = text.trim();
  for (const format of ['yyyy-MM-dd', 'd/M/yyyy', 'd LLL yyyy', 'd LLLL yyyy', 'd-M-yyyy']) {
    const parsed = DateTime.fromFormat(trimmed, format, { zone, locale: 'en-GB' });
    if (parsed.isValid) return parsed.toISODate() ?? undefined;
  }
  return undefined;
}
