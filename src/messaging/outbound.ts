import { createHash } from 'node:crypto';
import type { Message } from './message.js';

/** Where a message goes. Features build these through recipients.ts; platform senders interpret them. */
export type OutboundTarget =
  /** A Slack channel, or a user id for the bot's direct message with that user. */
  | { platform: 'slack'; kind: 'channel'; channel: string; teamId?: string; threadTs?: string }
  /** Only `user` sees it, in `channel`. */
  | { platform: 'slack'; kind: 'ephemeral'; channel: string; user: string; teamId?: string }
  /** A slash command's or an interaction's response_url: private reply that works in any channel. */
  /** `user` (who asked) lets files go to their DM, and lets a private message be checked against its audience. */
  | { platform: 'slack'; kind: 'response_url'; url: string; teamId?: string; replaceOriginal?: boolean; user?: string }
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
  /** A post whose message went out on an earlier attempt but whose attachments did not: send only what is left. */
  alreadyPosted?: { messageId: string; channelId?: string };
}

export interface SendResult {
  messageId?: string;
  channelId?: string;
}

/**
 * The message itself was delivered but a later step (a file upload) failed with `cause`. The delivery worker records
 * `sent` so the retry does not post the message twice, then treats `cause` as usual.
 */
export class PartiallySentError extends Error {
  constructor(
    readonly sent: SendResult,
    override readonly cause: unknown,
  ) {
    super(`sent the message but not its attachments: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PartiallySentError';
  }
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
