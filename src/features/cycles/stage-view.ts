import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Tx, Db } from '../../store/db.js';
import type { AgendaItemView } from '../../workflow/agenda.js';
import { describeOwner } from '../../workflow/owners.js';
import { cycleAgenda } from './agenda-items.js';
import type { CycleRow, StageRow } from './stage-row.js';
import type { ReturnsProgress } from './returns-model.js';
import { returnsProgress } from './returns-repository.js';

/** Everything a card about one stage shows, read once. */
export interface StageView {
  stage: StageRow;
  cycle: CycleRow;
  zone: string;
  ownerLabel: string;
  /** Positive before the due date, 0 on it, negative when overdue (working days). */
  workingDaysLeft: number;
  dueToday: boolean;
  doneByName?: string;
  /** Returned / missing per agency, for a stage that asks agencies for returns. */
  returns?: ReturnsProgress;
  /** The cycle's agenda items, read for its first stage only (its opening announcement lists them). */
  agenda?: AgendaItemView[];
}

export async function loadStageView(tx: Tx | Db, stage: StageRow, cycle: CycleRow, calendar: WorkingCalendar, now: DateTime): Promise<StageView> {
  const today = now.setZone(calendar.zone).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  const due = DateTime.fromISO(stage.dueOn, { zone: calendar.zone }).set({ hour: 12 });
  const doneBy = stage.doneById ? await tx.member.findUnique({ where: { id: stage.doneById }, select: { displayName: true } }) : null;
  return {
    stage,
    cycle,
    zone: calendar.zone,
    ownerLabel: await describeOwner(tx, cycle.partnershipId, stage.owner),
    workingDaysLeft: calendar.workingDaysBetween(today, due),
    dueToday: today.toISODate() === stage.dueOn,
    doneByName: doneBy?.displayName,
    returns: await returnsProgress(tx, stage.id),
    ...(stage.seq === 0 ? { agenda: await cycleAgenda(tx, cycle) } : {}),
  };
}
