import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

// Plain 'GB' omits the August bank holiday; 'GB'/'ENG' is the England & Wales list.
const englandAndWales = new Holidays('GB', 'ENG');
const byYear = new Map<number, ReadonlyMap<string, string>>();

/**
 * England & Wales bank holidays for a year, keyed by ISO date ('YYYY-MM-DD') with the holiday's name.
 * date-holidays also lists a holiday on the weekend it falls on (beside its Monday substitute);
 * those weekend entries are dropped because the weekend is not a working day anyway.
 */
export function englandAndWalesBankHolidays(year: number): ReadonlyMap<string, string> {
  const cached = byYear.get(year);
  if (cached) return cached;
  const holidays = new Map<string, string>();
  for (const holiday of englandAndWales.getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    // `date` is the local date in the country's zone, e.g. '2026-12-28 00:00:00'.
    const isoDate = holiday.date.slice(0, 10);
    if (DateTime.fromISO(isoDate, { zone: 'utc' }).weekday > 5) continue;
    holidays.set(isoDate, holiday.name);
  }
  byYear.set(year, holidays);
  return holidays;
}
