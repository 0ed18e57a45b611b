import { Prisma, type Db } from './db.js';

const { DbNull } = Prisma;

/**
 * Claims an inbound request key (Slack trigger id or event id, Teams activity id). True the first time only, so a
 * platform's retry of the same request has no second effect.
 */
export async function claimInbound(db: Db, key: string): Promise<boolean> {
  const result = await db.inboundReceipt.createMany({ data: [{ key }], skipDuplicates: true });
  return result.count === 1;
}

/**
 * Claims a key and records, in the same single INSERT, the command still to be answered. True the first time only.
 * The row stays "unfinished" until finishPendingCommand, so a crash after the platform's acknowledgement loses nothing.
 */
export async function claimInboundWithCommand(db: Db, key: string, pendingCommand: object): Promise<boolean> {
  const result = await db.inboundReceipt.createMany({ data: [{ key, pendingCommand }], skipDuplicates: true });
  return result.count === 1;
}

/** The command behind `key` has been answered (its reply is in the outbox, or its form was opened). */
export async function finishPendingCommand(db: Db, key: string): Promise<void> {
  await db.inboundReceipt.updateMany({ where: { key, pendingCommand: { not: DbNull } }, data: { pendingCommand: DbNull } });
}

/** A claim that landed after the person was told nothing was done: it must not be run later by recovery. */
export async function dropInbound(db: Db, key: string): Promise<void> {
  await db.inboundReceipt.deleteMany({ where: { key } });
}

/**
 * Unfinished commands claimed before `cutoff`, leased to the caller: their receivedAt moves to `now`, so a concurrent
 * recovery pass (another worker) skips them, and a pass that dies leaves them to the next one after the cutoff.
 */
export async function leaseUnfinishedCommands(db: Db, cutoff: Date, now: Date, take: number): Promise<{ key: string; pendingCommand: unknown }[]> {
  const candidates = await db.inboundReceipt.findMany({
    where: { pendingCommand: { not: DbNull }, receivedAt: { lt: cutoff } },
    orderBy: { receivedAt: 'asc' },
    take,
    select: { key: true, pendingCommand: true, receivedAt: true },
  });
  const leased: { key: string; pendingCommand: unknown }[] = [];
  for (const row of candidates) {
    const won = await db.inboundReceipt.updateMany({ where: { key: row.key, receivedAt: row.receivedAt }, data: { receivedAt: now } });
    if (won.count === 1) leased.push({ key: row.key, pendingCommand: row.pendingCommand });
  }
  return leased;
}

export async function forgetInboundOlderThan(db: Db, cutoff: Date): Promise<number> {
  const result = await db.inboundReceipt.deleteMany({ where: { receivedAt: { lt: cutoff } } });
  return result.count;
}
