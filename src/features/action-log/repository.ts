import type { Db, Tx } from '../../store/db.js';
import type { ActionStatus, ActionView } from './model.js';

type Reader = Tx | Db;

const viewSelect = {
  id: true,
  partnershipId: true,
  number: true,
  title: true,
  dueOn: true,
  status: true,
  doneAt: true,
  group: { select: { id: true, key: true, name: true } },
  owner: { select: { id: true, displayName: true } },
  doneBy: { select: { displayName: true } },
} as const;

type ViewRow = {
  id: string; partnershipId: string; number: number; title: string; dueOn: string; status: string; doneAt: Date | null;
  group: { id: string; key: string; name: string }; owner: { id: string; displayName: string }; doneBy: { displayName: string } | null;
};

function asView(row: ViewRow): ActionView {
  return {
    id: row.id,
    partnershipId: row.partnershipId,
    number: row.number,
    title: row.title,
    dueOn: row.dueOn,
    status: row.status as ActionStatus,
    group: row.group,
    owner: { id: row.owner.id, name: row.owner.displayName },
    doneBy: row.doneBy && row.doneAt ? { name: row.doneBy.displayName, at: row.doneAt } : undefined,
  };
}

export async function loadAction(tx: Reader, actionId: string): Promise<ActionView | undefined> {
  const row = await tx.actionItem.findUnique({ where: { id: actionId }, select: viewSelect });
  return row ? asView(row) : undefined;
}

export async function findActionByNumber(tx: Reader, partnershipId: string, number: number): Promise<ActionView | undefined> {
  const row = await tx.actionItem.findUnique({ where: { partnershipId_number: { partnershipId, number } }, select: viewSelect });
  return row ? asView(row) : undefined;
}

/** Open actions, soonest due first: of one group, or owned by one member. */
export async function openActions(tx: Reader, partnershipId: string, filter: { groupId: string } | { ownerId: string }): Promise<ActionView[]> {
  const rows = await tx.actionItem.findMany({
    where: { partnershipId, status: 'open', ...filter },
    orderBy: [{ dueOn: 'asc' }, { number: 'asc' }],
    select: viewSelect,
  });
  return rows.map(asView);
}

/** The next action number in the partnership; call inside the transaction that creates the action. */
export async function nextActionNumber(tx: Tx, partnershipId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('action-log.number'), hashtext(${partnershipId}))`;
  const last = await tx.actionItem.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
