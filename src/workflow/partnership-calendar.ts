import { WorkingCalendar } from '../core/calendar.js';
import type { Db, Tx } from '../store/db.js';

/** The working calendar of a partnership: its time zone and its extra non-working days. */
export async function partnershipCalendar(tx: Tx | Db, partnershipId: string): Promise<WorkingCalendar> {
  const p = await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { timezone: true, extraNonWorkingDays: true } });
  return new WorkingCalendar({ zone: p.timezone, extraNonWorkingDays: p.extraNonWorkingDays });
}
