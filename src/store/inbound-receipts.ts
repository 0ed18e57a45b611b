import type { Db } from './db.js';

/**
 * Claims an inbound request key (Slack trigger id or event id, Teams activity id). True the first time only, so a
 * platform's retry of the same request has no second effect.
 */
export async function claimInbound(db: Db, key: string): Promise<boolean> {
  const result = await db.inboundReceipt.createMany({ data: [{ key }], skipDuplicates: true });
  return result.count === 1;
}

export async function forgetInboundOlderThan(db: Db, cutoff: Date): Promise<number> {
  const result = await db.inboundReceipt.deleteMany({ where: { receivedAt: { lt: cutoff } } });
  return result.count;
}
