import type { Tx } from '../store/db.js';
import { attachmentsOf } from './attachments.js';
import { assertAudienceAllows } from './audience.js';
import { rateKeyFor, type OutboundDraft } from './outbound.js';

/**
 * Writes an outbound message as an outbox row inside the caller's transaction. The same idempotency key is
 * written once (INSERT … ON CONFLICT DO NOTHING); later attempts return the existing row's id.
 * Push the ids to the delivery queue after commit.
 *
 * Refuses (throws) a private message aimed anywhere but a direct chat with its audience (PrivateAudienceError),
 * and images or files whose data is not what they claim (InvalidAttachmentError).
 */
export async function enqueueOutbound(tx: Tx, draft: OutboundDraft): Promise<string> {
  attachmentsOf(draft.message);
  await assertAudienceAllows(tx, draft.message, draft.target);
  const created = await tx.outboxMessage.createManyAndReturn({
    data: [
      {
        idempotencyKey: draft.key,
        partnershipId: draft.partnershipId ?? null,
        platform: draft.target.platform,
        operation: draft.updateOf ? 'update' : 'post',
        rateKey: rateKeyFor(draft.target),
        subjectKey: draft.subjectKey ?? null,
        target: draft.target as object,
        payload: { message: draft.message, updateOf: draft.updateOf ?? null } as object,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (created[0]) return created[0].id;
  const row = await tx.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: draft.key }, select: { id: true } });
  return row.id;
}

/**
 * Replaces every delivered copy of the cards about `subjectKey` (a reminder sent to five people and a channel)
 * with `message`. `version` makes the update idempotent: the same state change queues each update once. Give every
 * state change its own version (e.g. its audit event id): a version used before is never queued again, so a card
 * moved back to an earlier state under that state's old version would keep showing the later one.
 */
export async function updateCardsAbout(tx: Tx, subjectKey: string, version: string, message: OutboundDraft['message']): Promise<string[]> {
  const originals = await tx.outboxMessage.findMany({
    where: { subjectKey, operation: 'post', status: { in: ['pending', 'sent'] } },
    select: { id: true, target: true, partnershipId: true },
  });
  const ids: string[] = [];
  for (const original of originals) {
    // An ephemeral reply through a response_url cannot be edited later; only posted cards can.
    if ((original.target as { kind?: string }).kind === 'response_url') continue;
    ids.push(
      await enqueueOutbound(tx, {
        key: `${original.id}:update:${version}`,
        partnershipId: original.partnershipId ?? undefined,
        target: original.target as unknown as OutboundDraft['target'],
        message,
        updateOf: original.id,
      }),
    );
  }
  return ids;
}
