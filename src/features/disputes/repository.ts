import type { Db, Tx } from '../../store/db.js';
import type { DisputeEventView, DisputeStage, DisputeStatus, DisputeView } from './model.js';

type Reader = Tx | Db;
type Row = NonNullable<Awaited<ReturnType<Db['dispute']['findUnique']>>>;

/** Names of members and agencies by id (disputes keep directory ids without relations). */
async function namesOf(tx: Reader, memberIds: (string | null)[], agencyIds: (string | null)[]) {
  const ids = memberIds.filter((id): id is string => Boolean(id));
  const agencyList = agencyIds.filter((id): id is string => Boolean(id));
  const [members, agencies] = await Promise.all([
    ids.length ? tx.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }) : [],
    agencyList.length ? tx.agency.findMany({ where: { id: { in: agencyList } }, select: { id: true, name: true } }) : [],
  ]);
  return {
    member: (id: string | null) => (id ? members.find((m) => m.id === id)?.displayName ?? 'a former member' : undefined),
    agency: (id: string | null) => (id ? agencies.find((a) => a.id === id)?.name : undefined),
  };
}

async function asView(tx: Reader, row: Row): Promise<DisputeView> {
  const names = await namesOf(tx, [row.raisedById, row.otherPartyId, row.chairId, row.chairAckById, row.proposedById, row.resolvedById], [row.raisedByAgencyId, row.otherAgencyId]);
  return {
    id: row.id,
    partnershipId: row.partnershipId,
    number: row.number,
    subject: row.subject,
    tried: row.tried,
    outcomeSought: row.outcomeSought,
    caseRef: row.caseRef ?? undefined,
    urgent: row.urgent,
    raisedAt: row.createdAt,
    status: row.status as DisputeStatus,
    stages: row.stages as unknown as DisputeStage[],
    stageIndex: row.stage,
    stageStartedAt: row.stageStartedAt,
    stageDueOn: row.stageDueOn,
    raisedBy: { id: row.raisedById, name: names.member(row.raisedById)!, agency: names.agency(row.raisedByAgencyId) },
    otherParty: { id: row.otherPartyId, name: names.member(row.otherPartyId)!, agency: names.agency(row.otherAgencyId) },
    chair: row.chairId ? { id: row.chairId, name: names.member(row.chairId)! } : undefined,
    chairAck: row.chairAckAt && row.chairAckById ? { name: names.member(row.chairAckById)!, at: row.chairAckAt } : undefined,
    jointMeetingOn: row.jointMeetingOn ?? undefined,
    mediator: row.mediator ?? undefined,
    proposed: row.proposedOutcome && row.proposedById ? { outcome: row.proposedOutcome, learning: row.proposedLearning ?? undefined, byId: row.proposedById, byName: names.member(row.proposedById)! } : undefined,
    outcome: row.outcome ?? undefined,
    resolvedBy: names.member(row.resolvedById),
    resolvedAt: row.resolvedAt ?? undefined,
    learning: row.learning ?? undefined,
  };
}

export async function loadDispute(tx: Reader, id: string): Promise<DisputeView | undefined> {
  const row = await tx.dispute.findUnique({ where: { id } });
  return row ? asView(tx, row) : undefined;
}

export async function findDisputeByNumber(tx: Reader, partnershipId: string, number: number): Promise<DisputeView | undefined> {
  const row = await tx.dispute.findUnique({ where: { partnershipId_number: { partnershipId, number } } });
  return row ? asView(tx, row) : undefined;
}

/** Disputes, newest first: a member's own (as a party), or all of the partnership's; open ones unless `includeSettled`. */
export async function listDisputes(tx: Reader, partnershipId: string, filter: { memberId?: string; includeSettled?: boolean; raisedSince?: Date; raisedBefore?: Date }): Promise<DisputeView[]> {
  const rows = await tx.dispute.findMany({
    where: {
      partnershipId,
      ...(filter.includeSettled ? {} : { status: 'open' }),
      ...(filter.memberId ? { OR: [{ raisedById: filter.memberId }, { otherPartyId: filter.memberId }, { chairId: filter.memberId }] } : {}),
      ...(filter.raisedSince || filter.raisedBefore ? { createdAt: { ...(filter.raisedSince ? { gte: filter.raisedSince } : {}), ...(filter.raisedBefore ? { lt: filter.raisedBefore } : {}) } } : {}),
    },
    orderBy: { number: 'desc' },
  });
  return Promise.all(rows.map((r) => asView(tx, r)));
}

export async function disputeTimeline(tx: Reader, disputeId: string): Promise<DisputeEventView[]> {
  const rows = await tx.disputeEvent.findMany({ where: { disputeId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }] });
  const names = await namesOf(tx, rows.map((r) => r.actorId), []);
  return rows.map((r) => ({ at: r.at, kind: r.kind, stageIndex: r.stage, actor: names.member(r.actorId), detail: r.detail ?? undefined }));
}

/** Writes one line of a dispute's timeline. */
export async function recordDisputeEvent(tx: Tx, disputeId: string, event: { at: Date; kind: string; stage: number; actorId?: string; detail?: string }): Promise<void> {
  await tx.disputeEvent.create({ data: { disputeId, at: event.at, kind: event.kind, stage: event.stage, actorId: event.actorId ?? null, detail: event.detail ?? null } });
}

/** The next dispute number in the partnership; call inside the transaction that creates it. */
export async function nextDisputeNumber(tx: Tx, partnershipId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('disputes.number'), hashtext(${partnershipId}))`;
  const last = await tx.dispute.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
