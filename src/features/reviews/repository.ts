import type { Db, Tx } from '../../store/db.js';
import type { ReviewClockSettings, ReviewEventView, ReviewStatus, ReviewType, ReviewView } from './model.js';

type Reader = Tx | Db;

const withParts = {
  acknowledgements: { orderBy: { at: 'asc' as const } },
  agencies: true,
  milestones: { orderBy: { position: 'asc' as const } },
  leadChoices: { orderBy: { at: 'asc' as const } },
} as const;

type Row = NonNullable<Awaited<ReturnType<typeof findRow>>>;
const findRow = (tx: Reader, id: string) => tx.rapidReview.findUnique({ where: { id }, include: withParts });

async function asView(tx: Reader, row: Row): Promise<ReviewView> {
  const memberIds = [row.notifierId, row.recommendedById, row.decidedById, ...row.acknowledgements.map((a) => a.memberId), ...row.agencies.map((a) => a.confirmedById), ...row.leadChoices.map((c) => c.memberId)]
    .filter((id): id is string => Boolean(id));
  const [members, agencies] = await Promise.all([
    tx.member.findMany({ where: { id: { in: [...new Set(memberIds)] } }, select: { id: true, displayName: true } }),
    row.agencies.length ? tx.agency.findMany({ where: { id: { in: row.agencies.map((a) => a.agencyId) } }, select: { id: true, name: true } }) : [],
  ]);
  const name = (id: string | null) => (id ? members.find((m) => m.id === id)?.displayName ?? 'a former member' : undefined);
  return {
    id: row.id,
    partnershipId: row.partnershipId,
    number: row.number,
    type: row.type as ReviewType,
    caseRef: row.caseRef,
    awareOn: row.awareOn,
    nationalNotifiedOn: row.nationalNotifiedOn ?? undefined,
    summary: row.summary,
    notifier: { id: row.notifierId, name: name(row.notifierId)! },
    groupKey: row.groupKey,
    settings: row.settings as unknown as ReviewClockSettings,
    jointWith: (row.jointWith ?? undefined) as ReviewType | undefined,
    leadProcess: (row.leadProcess ?? undefined) as ReviewType | undefined,
    leadChoices: row.leadChoices.map((c) => ({ memberId: c.memberId, name: name(c.memberId)!, process: c.process as ReviewType })),
    status: row.status as ReviewStatus,
    meetingOn: row.meetingOn ?? undefined,
    attendees: row.attendeeIds,
    recommendation: row.recommendation ?? undefined,
    recommendationNote: row.recommendationNote ?? undefined,
    recommendedBy: name(row.recommendedById),
    decision: row.decision ?? undefined,
    decisionReasons: row.decisionReasons ?? undefined,
    nationalToldOn: row.nationalToldOn ?? undefined,
    decidedAt: row.decidedAt ?? undefined,
    decidedBy: name(row.decidedById),
    createdAt: row.createdAt,
    acks: row.acknowledgements.map((a) => ({ memberId: a.memberId, name: name(a.memberId)!, at: a.at })),
    agencies: row.agencies
      .map((a) => ({ agencyId: a.agencyId, name: agencies.find((g) => g.id === a.agencyId)?.name ?? 'an agency', confirmedAt: a.confirmedAt ?? undefined, confirmedBy: name(a.confirmedById) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    milestones: row.milestones.map((m) => ({ key: m.key, name: m.name, position: m.position, dueOn: m.dueOn, doneOn: m.doneOn ?? undefined })),
  };
}

export async function loadReview(tx: Reader, id: string): Promise<ReviewView | undefined> {
  const row = await findRow(tx, id);
  return row ? asView(tx, row) : undefined;
}

export async function findReviewByNumber(tx: Reader, partnershipId: string, number: number): Promise<ReviewView | undefined> {
  const row = await tx.rapidReview.findUnique({ where: { partnershipId_number: { partnershipId, number } }, select: { id: true } });
  return row ? loadReview(tx, row.id) : undefined;
}

/** Reviews routed to these groups (or notified by, or of these types), newest first; open ones unless `includeSettled`. */
export async function listReviews(tx: Reader, partnershipId: string, filter: { groupKeys?: string[]; notifierId?: string; types?: string[]; includeSettled?: boolean }): Promise<ReviewView[]> {
  const rows = await tx.rapidReview.findMany({
    where: {
      partnershipId,
      ...(filter.includeSettled ? {} : { status: 'open' }),
      ...(filter.groupKeys ? { groupKey: { in: filter.groupKeys } } : {}),
      ...(filter.notifierId ? { notifierId: filter.notifierId } : {}),
      ...(filter.types ? { type: { in: filter.types } } : {}),
    },
    include: withParts,
    orderBy: { number: 'desc' },
    take: 50,
  });
  return Promise.all(rows.map((r) => asView(tx, r)));
}

export async function reviewTimeline(tx: Reader, reviewId: string): Promise<ReviewEventView[]> {
  const rows = await tx.rapidReviewEvent.findMany({ where: { reviewId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }] });
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => Boolean(id)))];
  const members = ids.length ? await tx.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }) : [];
  return rows.map((r) => ({ at: r.at, kind: r.kind, actor: r.actorId ? members.find((m) => m.id === r.actorId)?.displayName : undefined, detail: r.detail ?? undefined }));
}

/** One line of the review's history. `detail` holds structured words (dates, outcomes), never the summary. */
export async function recordReviewEvent(tx: Tx, reviewId: string, event: { at: Date; kind: string; actorId?: string; detail?: string }): Promise<void> {
  await tx.rapidReviewEvent.create({ data: { reviewId, at: event.at, kind: event.kind, actorId: event.actorId ?? null, detail: event.detail ?? null } });
}

/** The next review number in the partnership; call inside the transaction that creates it. */
export async function nextReviewNumber(tx: Tx, partnershipId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('reviews.number'), hashtext(${partnershipId}))`;
  const last = await tx.rapidReview.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
