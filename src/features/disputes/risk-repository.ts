import type { Db, Tx } from '../../store/db.js';
import type { RiskView } from './model.js';

type Reader = Tx | Db;

const select = {
  id: true, partnershipId: true, number: true, risk: true, impact: true, likelihood: true, ownerId: true, mitigation: true,
  reviewOn: true, status: true, disputeId: true, createdById: true, createdAt: true, closedAt: true,
} as const;

type Row = {
  id: string; partnershipId: string; number: number; risk: string; impact: number; likelihood: number; ownerId: string; mitigation: string;
  reviewOn: string; status: string; disputeId: string | null; createdById: string; createdAt: Date; closedAt: Date | null;
};

/** An entry with what the export adds: who added it and when, and when it was closed. */
export interface RiskRecord extends RiskView {
  addedBy: string;
  addedAt: Date;
  closedAt: Date | undefined;
}

const FORMER_MEMBER = 'a former member';

/** Rows as views: owner and author names from the directory, dispute numbers from the disputes (ids kept without relations). */
async function asRecords(tx: Reader, rows: Row[]): Promise<RiskRecord[]> {
  if (rows.length === 0) return [];
  const memberIds = [...new Set(rows.flatMap((r) => [r.ownerId, r.createdById]))];
  const disputeIds = [...new Set(rows.map((r) => r.disputeId).filter((id): id is string => id !== null))];
  const [members, disputes] = await Promise.all([
    tx.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, displayName: true } }),
    disputeIds.length > 0 ? tx.dispute.findMany({ where: { id: { in: disputeIds } }, select: { id: true, number: true } }) : [],
  ]);
  const name = (id: string) => members.find((m) => m.id === id)?.displayName ?? FORMER_MEMBER;
  return rows.map((r) => ({
    id: r.id,
    partnershipId: r.partnershipId,
    number: r.number,
    risk: r.risk,
    impact: r.impact,
    likelihood: r.likelihood,
    score: r.impact * r.likelihood,
    owner: { id: r.ownerId, name: name(r.ownerId) },
    mitigation: r.mitigation,
    reviewOn: r.reviewOn,
    status: r.status === 'closed' ? 'closed' : 'open',
    disputeNumber: r.disputeId ? disputes.find((d) => d.id === r.disputeId)?.number : undefined,
    addedBy: name(r.createdById),
    addedAt: r.createdAt,
    closedAt: r.closedAt ?? undefined,
  }));
}

export async function loadRisk(tx: Reader, riskId: string): Promise<RiskRecord | undefined> {
  const row = await tx.riskEntry.findUnique({ where: { id: riskId }, select });
  return row ? (await asRecords(tx, [row]))[0] : undefined;
}

export async function findRiskByNumber(tx: Reader, partnershipId: string, number: number): Promise<RiskRecord | undefined> {
  const row = await tx.riskEntry.findUnique({ where: { partnershipId_number: { partnershipId, number } }, select });
  return row ? (await asRecords(tx, [row]))[0] : undefined;
}

/** The open register, highest score first (then the sooner review, then the older entry). */
export async function openRisks(tx: Reader, partnershipId: string): Promise<RiskRecord[]> {
  const rows = await tx.riskEntry.findMany({ where: { partnershipId, status: 'open' }, orderBy: [{ reviewOn: 'asc' }, { number: 'asc' }], select });
  return (await asRecords(tx, rows)).sort((a, b) => b.score - a.score);
}

/** Every entry, open and closed, by number (the export). */
export async function everyRisk(tx: Reader, partnershipId: string): Promise<RiskRecord[]> {
  const rows = await tx.riskEntry.findMany({ where: { partnershipId }, orderBy: { number: 'asc' }, select });
  return asRecords(tx, rows);
}

/** The dispute a risk is raised from, when it is this partnership's. */
export async function disputeOf(tx: Reader, partnershipId: string, disputeId: string): Promise<{ id: string; number: number } | undefined> {
  const row = await tx.dispute.findUnique({ where: { id: disputeId }, select: { id: true, number: true, partnershipId: true } });
  return row && row.partnershipId === partnershipId ? { id: row.id, number: row.number } : undefined;
}

/** Whether a member can still be told things (an owner who left: the business manager hears instead). */
export async function isActiveMember(tx: Reader, partnershipId: string, memberId: string): Promise<boolean> {
  return (await tx.member.count({ where: { id: memberId, partnershipId, active: true } })) > 0;
}

/** The next risk number in the partnership; call inside the transaction that creates the entry. */
export async function nextRiskNumber(tx: Tx, partnershipId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('disputes.risk-number'), hashtext(${partnershipId}))`;
  const last = await tx.riskEntry.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
