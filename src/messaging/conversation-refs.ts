import { findMemberId } from '../directory/member-lookup.js';
import type { ConversationRecord } from '../interactions/inbound-port.js';
import type { Db } from '../store/db.js';

/**
 * Remembers where the bot can reach a person or a channel later. Called on install and on every message, so a
 * reference the platform changes (a new serviceUrl) is kept current. `isNew` when this conversation was unknown or
 * belonged to nobody the directory knew; `anotherChat` when it is a new personal chat of a member who already had one
 * (a reopened chat keeps its conversation id: see chat-openings.ts).
 */
export async function recordConversation(db: Db, record: ConversationRecord): Promise<{ memberId?: string; isNew: boolean; anotherChat: boolean }> {
  const { conversationId, scope, tenantId, aadObjectId } = record;
  const personalId = scope === 'personal' ? aadObjectId : undefined;
  const memberId = personalId ? await findMemberId(db, { platform: 'teams', userId: record.userId, aadObjectId: personalId, tenantId }) : undefined;
  const data = {
    scope,
    tenantId: tenantId ?? null,
    serviceUrl: record.serviceUrl,
    aadObjectId: personalId ?? null,
    memberId: memberId ?? null,
    reference: record.reference,
  };
  const existing = await db.conversationRef.findUnique({ where: { conversationId }, select: { memberId: true } });
  const anotherChat = !existing && memberId !== undefined && (await db.conversationRef.count({ where: { memberId, scope: 'personal' } })) > 0;
  await db.conversationRef.upsert({ where: { conversationId }, create: { conversationId, ...data }, update: data });
  return { memberId, isNew: !existing || existing.memberId !== (memberId ?? null), anotherChat };
}
