import type { Db, Prisma, Tx } from '../../store/db.js';
import { returnFormKey, returnSubject, type Moderation, type ReturnView, type RoundSettings, type RoundView, type S11Variant } from './model.js';

type Reader = Tx | Db;

type RoundRow = Awaited<ReturnType<Reader['s11Round']['findUniqueOrThrow']>>;

const roundView = (row: RoundRow): RoundView => ({
  id: row.id,
  partnershipId: row.partnershipId,
  number: row.number,
  title: row.title,
  variant: row.variant as S11Variant,
  dueOn: row.dueOn,
  launchedOn: row.launchedOn,
  status: row.status as RoundView['status'],
  settings: row.settings as unknown as RoundSettings,
  createdAt: row.createdAt,
});

export async function loadRound(tx: Reader, id: string): Promise<RoundView | undefined> {
  const row = await tx.s11Round.findUnique({ where: { id } });
  return row ? roundView(row) : undefined;
}

export async function findRoundByNumber(tx: Reader, partnershipId: string, number: number): Promise<RoundView | undefined> {
  const row = await tx.s11Round.findUnique({ where: { partnershipId_number: { partnershipId, number } } });
  return row ? roundView(row) : undefined;
}

/** The newest open round (what `s11 status` without a number means), else the newest round. */
export async function currentRound(tx: Reader, partnershipId: string): Promise<RoundView | undefined> {
  const open = await tx.s11Round.findFirst({ where: { partnershipId, status: 'open' }, orderBy: { number: 'desc' } });
  const row = open ?? (await tx.s11Round.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' } }));
  return row ? roundView(row) : undefined;
}

export async function listRounds(tx: Reader, partnershipId: string): Promise<RoundView[]> {
  return (await tx.s11Round.findMany({ where: { partnershipId }, orderBy: { number: 'desc' } })).map(roundView);
}

export async function nextRoundNumber(tx: Tx, partnershipId: string): Promise<number> {
  // One launch at a time per partnership: the number is read and used under this lock.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`s11-round:${partnershipId}`}))`;
  const last = await tx.s11Round.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}

type ReturnRow = Awaited<ReturnType<Reader['s11Return']['findUniqueOrThrow']>>;

async function returnViews(tx: Reader, rows: ReturnRow[]): Promise<ReturnView[]> {
  if (rows.length === 0) return [];
  const [agencies, drafts] = await Promise.all([
    tx.agency.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.agencyId))] } }, select: { id: true, key: true, name: true } }),
    tx.formDraft.findMany({ where: { formKey: returnFormKey, subjectKey: { in: rows.map((r) => returnSubject(r.id)) } }, select: { subjectKey: true } }),
  ]);
  const drafted = new Set(drafts.map((d) => d.subjectKey));
  return rows.map((row) => {
    const agency = agencies.find((a) => a.id === row.agencyId);
    return {
      id: row.id,
      roundId: row.roundId,
      partnershipId: row.partnershipId,
      agencyId: row.agencyId,
      agencyKey: agency?.key ?? '',
      agencyName: agency?.name ?? 'an agency',
      status: row.status as ReturnView['status'],
      hasDraft: drafted.has(returnSubject(row.id)),
      dueOn: row.dueOn,
      carriedFromId: row.carriedFromId,
      answers: (row.answers as Record<string, string> | null) ?? null,
      submittedAt: row.submittedAt,
      submittedById: row.submittedById,
      signedOffAt: row.signedOffAt,
      moderation: (row.moderation as unknown as Moderation | null) ?? null,
      response: row.response,
    };
  });
}

export async function loadReturn(tx: Reader, id: string): Promise<ReturnView | undefined> {
  const row = await tx.s11Return.findUnique({ where: { id } });
  return row ? (await returnViews(tx, [row]))[0] : undefined;
}

/** A round's returns, by agency name. */
export async function roundReturns(tx: Reader, roundId: string): Promise<ReturnView[]> {
  const views = await returnViews(tx, await tx.s11Return.findMany({ where: { roundId } }));
  return views.sort((a, b) => a.agencyName.localeCompare(b.agencyName));
}

export async function returnOf(tx: Reader, roundId: string, agencyId: string): Promise<ReturnView | undefined> {
  const row = await tx.s11Return.findUnique({ where: { roundId_agencyId: { roundId, agencyId } } });
  return row ? (await returnViews(tx, [row]))[0] : undefined;
}

/** The agency's latest submitted (or signed-off) return in an earlier round of the same audit: where answers carry forward from. */
export async function previousReturn(tx: Reader, partnershipId: string, agencyId: string, variant: S11Variant, beforeNumber: number): Promise<{ id: string; roundTitle: string; launchedOn: string } | undefined> {
  const row = await tx.s11Return.findFirst({
    where: { partnershipId, agencyId, status: { in: ['submitted', 'signed_off'] }, answers: { not: { equals: null } as never }, round: { variant, number: { lt: beforeNumber } } },
    orderBy: { round: { number: 'desc' } },
    select: { id: true, round: { select: { title: true, launchedOn: true } } },
  });
  return row ? { id: row.id, roundTitle: row.round.title, launchedOn: row.round.launchedOn } : undefined;
}

export async function answersOf(tx: Reader, returnId: string): Promise<Record<string, string>> {
  const row = await tx.s11Return.findUnique({ where: { id: returnId }, select: { answers: true } });
  return (row?.answers as Record<string, string> | null) ?? {};
}

export interface S11EventView {
  at: Date;
  kind: string;
  actor?: string;
  detail?: string;
}

export async function recordReturnEvent(tx: Tx, returnId: string, event: { at: Date; kind: string; actorId?: string; detail?: string }): Promise<void> {
  await tx.s11Event.create({ data: { returnId, at: event.at, kind: event.kind, actorId: event.actorId ?? null, detail: event.detail ?? null } });
}

export async function returnHistory(tx: Reader, returnId: string): Promise<S11EventView[]> {
  const rows = await tx.s11Event.findMany({ where: { returnId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }] });
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => Boolean(id)))];
  const members = ids.length ? await tx.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }) : [];
  return rows.map((r) => ({
    at: r.at,
    kind: r.kind,
    ...(r.actorId ? { actor: members.find((m) => m.id === r.actorId)?.displayName ?? 'a former member' } : {}),
    ...(r.detail ? { detail: r.detail } : {}),
  }));
}

export const jsonOf = (value: unknown) => value as Prisma.InputJsonValue;
