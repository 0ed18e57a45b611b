import { ActivityTypes, CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import { PermanentDeliveryError, RateLimitedError } from '../../core/errors.js';
import type { FileLinkSigner } from '../../messaging/file-link-signer.js';
import type { OutboundEnvelope, PlatformSender, SendResult } from '../../messaging/outbound.js';
import type { Db } from '../../store/db.js';
import { withPersonalRefresh, teamsUserIdsOf } from './personal-refresh.js';
import { renderAdaptiveCard, type AdaptiveCardJson } from './render-card.js';
import { renderAdaptiveForm } from './render-form.js';

/** The platform code of a 413: the message is over Teams' size limit. */
const TOO_BIG = 'MessageSizeTooBig';
const hasImage = (message: OutboundEnvelope['message']) => message.sections.some((s) => s.kind === 'image');

/** Every Bot Connector call gives up after this long (a retryable failure); the delivery worker retries. */
const CONNECTOR_CALL_TIMEOUT_MS = 10_000;

/**
 * Sends outbox envelopes to Teams as proactive messages through the stored conversation reference. Files (and
 * pictures too big to show inline) become short-lived download links signed by `fileLinks`; without it the card
 * says downloads are not available.
 */
export class TeamsSender implements PlatformSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly db: Db,
    private readonly appId: string,
    private readonly fileLinks?: FileLinkSigner,
    private readonly callTimeoutMs = CONNECTOR_CALL_TIMEOUT_MS,
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
    try {
      return await this.deliver(envelope, reference, true);
    } catch (error) {
      // Some Teams clients (the Agents Playground) count inline pictures toward the ~100 KB message limit: the same
      // message goes once more with its pictures as download links, rather than not at all.
      if (!(error instanceof PermanentDeliveryError && error.platformCode === TOO_BIG) || !hasImage(envelope.message)) throw error;
      return this.deliver(envelope, reference, false);
    }
  }

  private async deliver(envelope: OutboundEnvelope, reference: Partial<ConversationReference>, inlineImages: boolean): Promise<SendResult> {
    const target = envelope.target as Extract<OutboundEnvelope['target'], { platform: 'teams' }>;
    const { message } = envelope;
    const activity = {
      type: ActivityTypes.Message,
      // The notification line: for a private message, only the text the feature marked safe.
      summary: (message.audience ? message.audience.safeText : message.text).slice(0, 200),
      attachments: [CardFactory.adaptiveCard(await this.cardFor(envelope, inlineImages))],
    };
    let result: SendResult = {};
    // The adapter hands an error thrown inside the turn to onTurnError, which logs and swallows it; keep it here so
    // a 429 or a refusal reaches the delivery worker instead of the row being marked sent.
    let failure: { error: unknown } | undefined;
    const callOptions = { timeout: this.callTimeoutMs };
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          const conversations = connectorOf(context);
          if (envelope.operation === 'update' && envelope.original) {
            await conversations.updateActivity(target.conversationId, envelope.original.messageId, { ...activity, id: envelope.original.messageId }, callOptions);
            result = { messageId: envelope.original.messageId, channelId: target.conversationId };
            return;
          }
          const sent = target.replyToId
            ? await conversations.replyToActivity(target.conversationId, target.replyToId, { ...activity, replyToId: target.replyToId }, callOptions)
            : await conversations.sendToConversation(target.conversationId, activity, callOptions);
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

  /** The card as sent (posts and updates alike), with a `refresh` for the members who see their own version of it. */
  private async cardFor(envelope: OutboundEnvelope, inlineImages: boolean): Promise<AdaptiveCardJson> {
    const { message } = envelope;
    const card = message.form ? renderAdaptiveForm(message.form) : renderAdaptiveCard(message, { links: this.fileLinks?.linksFor(envelope.id), inlineImages });
    if (!message.personalView) return card;
    return withPersonalRefresh(card, message.personalView, await teamsUserIdsOf(this.db, message.personalView.memberIds));
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
  if (status === 403) return new PermanentDeliveryError(`Teams refused (403 ${connectorCode(error) ?? ''}): the bot is not in that conversation any more`.replace(' )', ')'), 'teams:403');
  if (status === 404) return new PermanentDeliveryError(`Teams refused (404 ${connectorCode(error) ?? ''}): the conversation no longer exists`.replace(' )', ')'), 'teams:404');
  if (status === 400) return new PermanentDeliveryError(`Teams rejected the message (400): ${e.message ?? ''}`.trim());
  if (status === 413) return new PermanentDeliveryError('Teams rejected the message as too big (413)', TOO_BIG);
  return error;
}

/** The Bot Connector's error code (e.g. BotDisabledByAdmin), from the error or its JSON body. */
function connectorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; body?: { error?: { code?: unknown } }; response?: { bodyAsText?: string } };
  const fromBody = e.body?.error?.code ?? safeJson(e.response?.bodyAsText)?.error?.code;
  const code = typeof fromBody === 'string' ? fromBody : typeof e.code === 'string' ? e.code : undefined;
  return code && /^[A-Za-z]+$/.test(code) ? code : undefined;
}

function safeJson(text: string | undefined): { error?: { code?: unknown } } | undefined {
  try {
    return text ? (JSON.parse(text) as { error?: { code?: unknown } }) : undefined;
  } catch {
    return undefined;
  }
}

interface ConnectorCallOptions {
  timeout: number;
}

interface ConnectorConversations {
  sendToConversation(conversationId: string, activity: object, options: ConnectorCallOptions): Promise<{ id?: string }>;
  replyToActivity(conversationId: string, activityId: string, activity: object, options: ConnectorCallOptions): Promise<{ id?: string }>;
  updateActivity(conversationId: string, activityId: string, activity: object, options: ConnectorCallOptions): Promise<{ id?: string }>;
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
