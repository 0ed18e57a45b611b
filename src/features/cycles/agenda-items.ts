import type { Db, Tx } from '../../store/db.js';
import { agendaItemsOf, takeAgendaItems, type AgendaItemView } from '../../workflow/agenda.js';
import type { CyclePlan } from './model.js';
import type { CycleRow } from './stage-row.js';

/*
 * The items other features put on a group's next meeting (src/workflow/agenda.ts), as a cycle sees them: a cycle
 * belongs to its plan's group and to every group that owns one of its stages, and takes the items waiting for them.
 */

/** The groups a cycle of this plan meets for: the plan's group, then each group that owns a stage, once each. */
export function agendaGroupKeys(plan: CyclePlan): string[] {
  const owners = plan.stages.flatMap((s) => (s.owner.kind === 'group' ? [s.owner.group] : []));
  return [...new Set([...(plan.group ? [plan.group] : []), ...owners])];
}

/** A new cycle takes the items waiting for its groups; returns every item on it, standing ones included. */
export function takeCycleAgenda(tx: Tx, cycle: CycleRow, at: Date): Promise<AgendaItemView[]> {
  return takeAgendaItems(tx, cycle.partnershipId, agendaGroupKeys(cycle.plan), cycle.id, at);
}

/** The items on a cycle's agenda: those it took and its groups' standing items, oldest first. */
export function cycleAgenda(tx: Tx | Db, cycle: CycleRow): Promise<AgendaItemView[]> {
  return agendaItemsOf(tx, cycle.partnershipId, agendaGroupKeys(cycle.plan), cycle.id);
}
