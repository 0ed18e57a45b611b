import { BotError } from '../core/errors.js';
import type { Tx } from '../store/db.js';
import type { Message } from './message.js';
import type { OutboundTarget } from './outbound.js';

/** A private message aimed at a channel, a group chat, or someone outside its audience. Never retried. */
export class PrivateAudienceError extends BotError {
  constructor(reason: string) {
    super('forbidden', `private message refused: ${reason}`, 'That message is private and cannot be sent there.');
    this.name = 'PrivateAudienceError';
  }
}

/** `message` for these members only (each once); lock screens and notifications show `safeText` and nothing else. */
export const privateToMembers = (memberIds: readonly string[], safeText: string, message: Message): Message => ({
  ...message,
  audience: { kind: 'private', memberIds: [...new Set(memberIds)], safeText },
});

/**
 * Throws PrivateAudienceError unless a private message's target is a direct chat with one of its audience:
 * a Slack DM (the member's user id, not a channel id), an ephemeral or response_url reply shown only to an
 * audience member, or a Teams personal chat whose stored reference belongs to an audience member.
 * Messages without an audience pass untouched.
 */
export async function assertAudienceAllows(tx: Tx, message: Message, target: OutboundTarget): Promise<void> {
  const audience = message.audience;
  if (!audience) return;
  if (audience.memberIds.length === 0) throw new PrivateAudienceError('the audience is empty');
  if (!audience.safeText.trim()) throw new PrivateAudienceError('a private message needs its safe notification text');
  if (target.platform === 'teams') {
    const ref = await tx.conversationRef.findUnique({ where: { conversationId: target.conversationId }, select: { scope: true, memberId: true } });
    if (!ref || ref.scope !== 'personal') throw new PrivateAudienceError('a Teams target must be a personal chat');
    if (!ref.memberId || !audience.memberIds.includes(ref.memberId)) throw new PrivateAudienceError('the Teams chat is not with a member of the audience');
    return;
  }
  const slackUser = slackUserOf(target);
  if (!slackUser) throw new PrivateAudienceError(`a Slack ${target.kind} target must name the one person who sees it`);
  const member = await tx.member.findFirst({ where: { id: { in: audience.memberIds }, slackUserId: slackUser, active: true }, select: { id: true } });
  if (!member) throw new PrivateAudienceError('the Slack user is not a member of the audience');
}

/** Posting to a user id posts into the bot's DM with that user; any other channel id is a shared conversation. */
export const isSlackDirectChannel = (channel: string): boolean => /^[UW][A-Z0-9]+$/.test(channel);

/** The one Slack user who sees a target, or undefined for channels (C…, G…, or a DM id we cannot attribute). */
function slackUserOf(target: Extract<OutboundTarget, { platform: 'slack' }>): string | undefined {
  switch (target.kind) {
    case 'channel':
      return isSlackDirectChannel(target.channel) ? target.channel : undefined;
    case 'ephemeral':
      return target.user;
    case 'response_url':
      return target.user;
  }
}
