import { DateTime } from 'luxon';

/** How days and times read in chat, the same in every feature: British, e.g. "Tue 12 Jan 2027", "Tue 12 Jan, 09:30". */

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

/** Accepts 2026-11-09, 9/11/2026, "9 Nov 2026" and the bot's own "Mon 9 Nov 2026". Returns YYYY-MM-DD or undefined. */
export function parseDay(text: string, zone: string): string | undefined {
  const trimmed = text.trim();
  for (const format of ['yyyy-MM-dd', 'd/M/yyyy', 'd LLL yyyy', 'd LLLL yyyy', 'd-M-yyyy', 'ccc d LLL yyyy', 'cccc d LLLL yyyy']) {
    const parsed = DateTime.fromFormat(trimmed, format, { zone, locale: 'en-GB' });
    if (parsed.isValid) return parsed.toISODate() ?? undefined;
  }
  return undefined;
}
