import { createHash } from 'node:crypto';
import type { Message } from './message.js';

/** Where a message goes. Features build these through recipients.ts; platform senders interpret them. */
export type OutboundTarget =
  /** A Slack channel, or a user id for the bot's direct message with that user. */
  | { platform: 'slack'; kind: 'channel'; channel: string; teamId?: string; threadTs?: string }
  /** Only `user` sees it, in `channel`. */
  | { platform: 'slack'; kind: 'ephemeral'; channel: string; user: string; teamId?: string }
  /** A slash command's or an interaction's response_url: private reply that works in any channel. */
  | { platform: 'slack'; kind: 'response_url'; url: string; teamId?: string; replaceOriginal?: boolean }
  /** A Teams conversation (personal chat, channel or group chat) from a stored conversation reference. */
  | { platform: 'teams'; kind: 'conversation'; conversationId: string; serviceUrl: string; tenantId?: string; replyToId?: string };

export type OutboundOperation = 'post' | 'update';

export interface OutboundDraft {
  /** Idempotency key: the same key is sent at most once, however often it is enqueued. */
  key: string;
  partnershipId?: string;
  target: OutboundTarget;
  message: Message;
  /** For updates in place: the outbox id of the message to replace. */
  updateOf?: string;
  /** What the message is about (e.g. `stage:<id>`), so every copy of a card can later be updated in place. */
  subjectKey?: string;
}

/** What a platform sender is given to send. */
export interface OutboundEnvelope {
  id: string;
  operation: OutboundOperation;
  target: OutboundTarget;
  message: Message;
  /** For updates: where the original went and the id the platform gave it. */
  original?: { messageId: string; channelId?: string };
}

export interface SendResult {
  messageId?: string;
  channelId?: string;
}

/** A platform's way out. Throws RateLimitedError on 429, PermanentDeliveryError when retrying cannot help. */
export interface PlatformSender {
  send(envelope: OutboundEnvelope): Promise<SendResult>;
}

export function rateKeyFor(target: OutboundTarget): string {
  // Slack limits a response_url on its own (a few uses in 30 minutes), not against the workspace's Web API budget.
  if (target.platform === 'slack' && target.kind === 'response_url') return `slack-response:${createHash('sha256').update(target.url).digest('hex').slice(0, 16)}`;
  if (target.platform === 'slack') return `slack:${target.teamId ?? 'default'}`;
  return `teams:${target.tenantId ?? 'default'}`;
}
