import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationRecord } from '../../interactions/inbound-port.js';

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

/** Where the bot can reach this person or channel later, as the port stores it. */
export function conversationRecordOf(activity: Activity): ConversationRecord {
  const reference = TurnContext.getConversationReference(activity) as ConversationReference;
  const conversationId = baseConversationId(activity.conversation.id);
  return {
    conversationId,
    scope: scopeOf(activity),
    tenantId: tenantOf(activity),
    serviceUrl: activity.serviceUrl,
    aadObjectId: activity.from?.aadObjectId,
    userId: activity.from?.id ?? '',
    reference: { ...reference, conversation: { ...reference.conversation, id: conversationId } },
  };
}
