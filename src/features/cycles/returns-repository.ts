import type { Db, Tx } from '../../store/db.js';
import { businessManagerIds, groupChairId, ownerMemberIds } from '../../workflow/owners.js';
import { EACH_GROUP } from './model.js';
import type { ReturnsFrom, ReturnsProgress, ReturnState, StageReturns } from './returns-model.js';
import type { CycleRow, StageRow } from './stage-row.js';

type Reader = Tx | Db;

/** A StageReturn row with its agency, as the returns code reads it. */
export interface ReturnRow {
  id: string;
  stageId: string;
  agencyId: string;
  agencyKey: string;
  agencyName: string;
  status: ReturnState;
  method: string | null;
  returnedAt: Date | null;
  returnedById: string | null;
}

export const returnSubject = (returnId: string) => `return:${returnId}`;
export const returnTimerPrefix = (returnId: string) => `return:${returnId}:`;

/** The stage's `returns:` from the plan stored with its cycle, `@group` resolved to the cycle's own group. */
export function returnsSpecOf(cycle: CycleRow, stage: Pick<StageRow, 'key'>): StageReturns | undefined {
  const spec = cycle.plan.stages.find((s) => s.key === stage.key)?.returns;
  if (!spec || spec.from.kind !== 'group' || spec.from.group !== EACH_GROUP) return spec;
  return { ...spec, from: { kind: 'group', group: cycle.plan.group ?? EACH_GROUP } };
}

/** The active agencies a stage asks, as they are now: every agency, those of a group's members, or the named ones. */
export async function agenciesAsked(tx: Reader, partnershipId: string, from: ReturnsFrom): Promise<{ id: string; key: string }[]> {
  const select = { id: true, key: true } as const;
  const orderBy = { name: 'asc' } as const;
  if (from.kind === 'all') return tx.agency.findMany({ where: { partnershipId, active: true }, select, orderBy });
  if (from.kind === 'agencies') return tx.agency.findMany({ where: { partnershipId, active: true, key: { in: from.agencies } }, select, orderBy });
  return tx.agency.findMany({
    where: { partnershipId, active: true, members: { some: { active: true, memberships: { some: { active: true, group: { key: from.group, partnershipId } } } } } },
    select,
    orderBy,
  });
}

const withAgency = { agency: { select: { key: true, name: true } } } as const;

function asReturnRow(row: { id: string; stageId: string; agencyId: string; status: string; method: string | null; returnedAt: Date | null; returnedById: string | null; agency: { key: string; name: string } }): ReturnRow {
  return {
    id: row.id, stageId: row.stageId, agencyId: row.agencyId, agencyKey: row.agency.key, agencyName: row.agency.name,
    status: row.status as ReturnState, method: row.method, returnedAt: row.returnedAt, returnedById: row.returnedById,
  };
}

export async function loadReturn(tx: Reader, returnId: string): Promise<ReturnRow | undefined> {
  const row = await tx.stageReturn.findUnique({ where: { id: returnId }, include: withAgency });
  return row ? asReturnRow(row) : undefined;
}

export async function stageReturns(tx: Reader, stageId: string): Promise<ReturnRow[]> {
  const rows = await tx.stageReturn.findMany({ where: { stageId }, include: withAgency, orderBy: { agency: { name: 'asc' } } });
  return rows.map(asReturnRow);
}

/** Returned / missing per agency; undefined for a stage that asks for no returns (or has not opened yet). */
export async function returnsProgress(tx: Reader, stageId: string): Promise<ReturnsProgress | undefined> {
  const rows = await stageReturns(tx, stageId);
  if (rows.length === 0) return undefined;
  return {
    total: rows.length,
    returned: rows.filter((r) => r.status === 'returned').length,
    agencies: rows.map((r) => ({ returnId: r.id, agencyKey: r.agencyKey, agencyName: r.agencyName, status: r.status, method: r.method })),
  };
}

async function agencyRoleHolders(tx: Reader, agencyId: string, role: string): Promise<string[]> {
  const rows = await tx.roleAssignment.findMany({ where: { agencyId, role, active: true, member: { active: true } }, select: { memberId: true }, distinct: ['memberId'] });
  return rows.map((r) => r.memberId);
}

/** The agency's safeguarding leads (its `leads:` in the partnership file). */
export const agencyLeadIds = (tx: Reader, agencyId: string) => agencyRoleHolders(tx, agencyId, 'agency_lead');

/**
 * The agency's board representative: its signatories (`signatories:`), else its members who hold the partner_lead
 * role. Empty when it has neither; the escalation then goes to the stage owner.
 */
export async function agencyRepresentativeIds(tx: Reader, partnershipId: string, agencyId: string): Promise<string[]> {
  const signatories = await agencyRoleHolders(tx, agencyId, 'signatory');
  if (signatories.length > 0) return signatories;
  const rows = await tx.roleAssignment.findMany({ where: { partnershipId, role: 'partner_lead', active: true, member: { active: true, agencyId } }, select: { memberId: true }, distinct: ['memberId'] });
  return rows.map((r) => r.memberId);
}

/**
 * Who answers for the stage as a whole: the owning group's chair (the person accountable for the group's work), or
 * the named members / role holders who own it; the business managers when there is nobody.
 */
export async function stageOwnerIds(tx: Reader, partnershipId: string, stage: StageRow): Promise<string[]> {
  const chair = stage.owner.kind === 'group' ? await groupChairId(tx, partnershipId, stage.owner.group) : undefined;
  if (chair) return [chair];
  const owners = await ownerMemberIds(tx, partnershipId, stage.owner);
  return owners.length > 0 ? owners : businessManagerIds(tx, partnershipId);
}
