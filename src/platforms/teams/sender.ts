import { ActivityTypes, CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import { PermanentDeliveryError, RateLimitedError } from '../../core/errors.js';
import type { OutboundEnvelope, PlatformSender, SendResult } from '../../messaging/outbound.js';
import type { Db } from '../../store/db.js';
import { renderAdaptiveCard } from './render-card.js';

/** Sends outbox envelopes to Teams as proactive messages through the stored conversation reference. */
export class TeamsSender implements PlatformSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly db: Db,
    private readonly appId: string,
  ) {}

  async send(envelope: OutboundEnvelope): Promise<SendResult> {
    const target = envelope.target;
    if (target.platform !== 'teams') throw new PermanentDeliveryError(`not a Teams target: ${target.platform}`);
    const stored = await this.db.conversationRef.findUnique({ where: { conversationId: target.conversationId } });
    const reference: Partial<ConversationReference> = {
      ...((stored?.reference as Partial<ConversationReference> | undefined) ?? {}),
      serviceUrl: stored?.serviceUrl ?? target.serviceUrl,
      channelId: 'msteams',
      conversation: { id: target.conversationId, isGroup: false, conversationType: '', name: '', ...(target.tenantId ? { tenantId: target.tenantId } : {}) },
    };
    const activity = {
      type: ActivityTypes.Message,
      summary: envelope.message.text.slice(0, 200),
      attachments: [CardFactory.adaptiveCard(renderAdaptiveCard(envelope.message))],
    };
    let result: SendResult = {};
    // The adapter hands an error thrown inside the turn to onTurnError, which logs and swallows it; keep it here so
    // a 429 or a refusal reaches the delivery worker instead of the row being marked sent.
    let failure: { error: unknown } | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          const conversations = connectorOf(context);
          if (envelope.operation === 'update' && envelope.original) {
            await conversations.updateActivity(target.conversationId, envelope.original.messageId, { ...activity, id: envelope.original.messageId });
            result = { messageId: envelope.original.messageId, channelId: target.conversationId };
            return;
          }
          const sent = target.replyToId
            ? await conversations.replyToActivity(target.conversationId, target.replyToId, { ...activity, replyToId: target.replyToId })
            : await conversations.sendToConversation(target.conversationId, activity);
          result = { messageId: sent?.id, channelId: target.conversationId };
        } catch (error) {
          failure = { error };
        }
      });
    } catch (error) {
      throw translateTeamsError(error);
    }
    if (failure) throw translateTeamsError(failure.error);
    return result;
  }
}

export function translateTeamsError(error: unknown): unknown {
  const e = error as { statusCode?: number; response?: { headers?: { get?(name: string): string | undefined } }; message?: string };
  const status = e.statusCode;
  if (status === 429) {
    const header = e.response?.headers?.get?.('retry-after');
    const seconds = Number(header);
    return new RateLimitedError(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, 'teams');
  }
  if (status === 403 || status === 404) return new PermanentDeliveryError(`Teams refused (${status}): the bot is not in that conversation any more`);
  if (status === 400) return new PermanentDeliveryError(`Teams rejected the message (400): ${e.message ?? ''}`.trim());
  return error;
}

interface ConnectorConversations {
  sendToConversation(conversationId: string, activity: object): Promise<{ id?: string }>;
  replyToActivity(conversationId: string, activityId: string, activity: object): Promise<{ id?: string }>;
  updateActivity(conversationId: string, activityId: string, activity: object): Promise<{ id?: string }>;
}

/**
 * The turn's Bot Connector client, with its built-in retry policy removed: the delivery worker owns retries and
 * must see a 429 at once to pause the whole tenant. (context.sendActivity would also turn every proactive post
 * into a reply to a made-up activity id, which Teams channels do not expect.)
 */
function connectorOf(context: TurnContext): ConnectorConversations {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as {
    conversations: ConnectorConversations;
    client?: { pipeline?: { removePolicy?(policy: { name: string }): void } };
  };
  client.client?.pipeline?.removePolicy?.({ name: 'defaultRetryPolicy' });
  return client.conversations;
}
