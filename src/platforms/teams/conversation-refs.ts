import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { Db } from '../../store/db.js';
import { findMemberId } from '../../directory/member-lookup.js';

export type TeamsScope = 'personal' | 'channel' | 'groupChat';

export function scopeOf(activity: Activity): TeamsScope {
  const type = activity.conversation?.conversationType;
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

export function tenantOf(activity: Activity): string | undefined {
  return activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

/** A channel thread's conversation id carries `;messageid=…`; the channel itself is the part before it. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/**
 * Remembers where the bot can reach a person or a channel later. Called on install and on every message, so a
 * reference that Teams changes (a new serviceUrl) is kept current.
 */
export async function rememberConversation(db: Db, activity: Activity): Promise<{ memberId?: string; isNew: boolean }> {
  const reference = TurnContext.getConversationReference(activity) as ConversationReference;
  const scope = scopeOf(activity);
  const conversationId = baseConversationId(activity.conversation.id);
  const tenantId = tenantOf(activity);
  const aadObjectId = scope === 'personal' ? activity.from?.aadObjectId : undefined;
  const memberId = aadObjectId ? await findMemberId(db, { platform: 'teams', userId: activity.from.id, aadObjectId, tenantId }) : undefined;
  const data = {
    scope,
    tenantId: tenantId ?? null,
    serviceUrl: activity.serviceUrl,
    aadObjectId: aadObjectId ?? null,
    memberId: memberId ?? null,
    reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } } as object,
  };
  const existing = await db.conversationRef.findUnique({ where: { conversationId }, select: { memberId: true } });
  await db.conversationRef.upsert({ where: { conversationId }, create: { conversationId, ...data }, update: data });
  return { memberId, isNew: !existing || existing.memberId !== (memberId ?? null) };
}
