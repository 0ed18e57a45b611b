import type { Db, Tx } from '../store/db.js';

type Reader = Tx | Db;

/*
 * Items for a group's next meeting, added by any feature (a dispute's learning for the workforce development group,
 * the risk register for the Executive) and taken by the group's next QA cycle, which lists them. A standing item
 * goes on every cycle of the group. Adding the same source twice while it waits adds it once.
 */

export interface AgendaItemView {
  id: string;
  title: string;
  standing: boolean;
}

export interface NewAgendaItem {
  partnershipId: string;
  groupKey: string;
  title: string;
  /** Where it came from, e.g. `dispute:<id>`; one waiting item per source and group. */
  sourceKey: string;
  standing?: boolean;
}

/** Puts an item on a group's next meeting; undefined when the group does not exist. Keeps the first if already there. */
export async function addAgendaItem(tx: Tx, item: NewAgendaItem): Promise<{ id: string; groupName: string } | undefined> {
  const group = await tx.group.findFirst({ where: { partnershipId: item.partnershipId, key: item.groupKey, active: true }, select: { id: true, name: true } });
  if (!group) return undefined;
  const row = await tx.agendaItem.upsert({
    where: { groupId_sourceKey: { groupId: group.id, sourceKey: item.sourceKey } },
    create: { partnershipId: item.partnershipId, groupId: group.id, title: item.title, sourceKey: item.sourceKey, standing: item.standing ?? false },
    update: item.standing ? { title: item.title, standing: true } : {},
    select: { id: true },
  });
  return { id: row.id, groupName: group.name };
}

/** Gives a new cycle of these groups the items waiting for them; returns every item on it (standing ones included). */
export async function takeAgendaItems(tx: Tx, partnershipId: string, groupKeys: readonly string[], cycleId: string, at: Date): Promise<AgendaItemView[]> {
  if (groupKeys.length === 0) return [];
  const groups = { partnershipId, key: { in: [...groupKeys] } };
  await tx.agendaItem.updateMany({ where: { group: groups, standing: false, cycleId: null }, data: { cycleId, takenAt: at } });
  return agendaItemsOf(tx, partnershipId, groupKeys, cycleId);
}

/** The items on a cycle: those it took and the standing items of its groups, oldest first. */
export async function agendaItemsOf(tx: Reader, partnershipId: string, groupKeys: readonly string[], cycleId: string): Promise<AgendaItemView[]> {
  const rows = await tx.agendaItem.findMany({
    where: { partnershipId, OR: [{ cycleId }, { standing: true, group: { key: { in: [...groupKeys] } } }] },
    orderBy: { createdAt: 'asc' },
    select: { id: true, title: true, standing: true },
  });
  return rows;
}

/** Items still waiting for a group's next cycle (not standing ones). */
export async function waitingAgendaItems(tx: Reader, partnershipId: string, groupKey: string): Promise<AgendaItemView[]> {
  return tx.agendaItem.findMany({
    where: { partnershipId, group: { key: groupKey }, standing: false, cycleId: null },
    orderBy: { createdAt: 'asc' },
    select: { id: true, title: true, standing: true },
  });
}
