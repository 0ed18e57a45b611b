import type { Tx } from '../store/db.js';
import { rateKeyFor, type OutboundDraft } from './outbound.js';

/**
 * Writes an outbound message as an outbox row inside the caller's transaction. The same idempotency key is
 * written once (INSERT … ON CONFLICT DO NOTHING); later attempts return the existing row's id.
 * Push the ids to the delivery queue after commit.
 */
export async function enqueueOutbound(tx: Tx, draft: OutboundDraft): Promise<string> {
  await tx.outboxMessage.createMany({
    data: [
      {
        idempotencyKey: draft.key,
        partnershipId: draft.partnershipId ?? null,
        platform: draft.target.platform,
        operation: draft.updateOf ? 'update' : 'post',
        rateKey: rateKeyFor(draft.target),
        target: draft.target as object,
        payload: { message: draft.message, updateOf: draft.updateOf ?? null } as object,
      },
    ],
    skipDuplicates: true,
  });
  const row = await tx.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: draft.key }, select: { id: true } });
  return row.id;
}
