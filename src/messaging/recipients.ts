import { recordAudit } from '../core/audit.js';
import type { Tx } from '../store/db.js';
import { latestChatOpening } from './chat-openings.js';
import type { Message } from './message.js';
import type { OutboundTarget } from './outbound.js';
import { enqueueOutbound } from './outbox.js';

/** The audit action recording a message a member could not be sent; the daily digest reads these. */
export const UNREACHABLE_ACTION = 'delivery.unreachable';

/** Which platforms this deployment can send on. */
export interface EnabledPlatforms {
  slack: boolean;
  teams: boolean;
}

/**
 * Where each member can be reached privately, best first: a Slack DM, else their Teams personal chat with the bot.
 * Two queries for any number of members (a reminder to a whole group). Unreachable members are absent.
 */
export async function memberTargets(tx: Tx, memberIds: readonly string[], platforms: EnabledPlatforms): Promise<Map<string, OutboundTarget>> {
  const ids = [...new Set(memberIds)];
  const members = await tx.member.findMany({ where: { id: { in: ids }, active: true }, select: { id: true, slackUserId: true, partnership: { select: { slackTeamId: true } } } });
  const refs = platforms.teams
    ? await tx.conversationRef.findMany({ where: { memberId: { in: ids }, scope: 'personal' }, orderBy: { updatedAt: 'desc' } })
    : [];
  const targets = new Map<string, OutboundTarget>();
  for (const member of members) {
    if (platforms.slack && member.slackUserId) {
      targets.set(member.id, { platform: 'slack', kind: 'channel', channel: member.slackUserId, teamId: member.partnership.slackTeamId ?? undefined });
      continue;
    }
    const ref = refs.find((r) => r.memberId === member.id);
    if (ref) targets.set(member.id, { platform: 'teams', kind: 'conversation', conversationId: ref.conversationId, serviceUrl: ref.serviceUrl, tenantId: ref.tenantId ?? undefined });
  }
  return targets;
}

/** A group's channels on the enabled platforms (Teams channels only once the bot knows their conversation). */
export async function groupChannelTargets(tx: Tx, groupId: string, platforms: EnabledPlatforms): Promise<OutboundTarget[]> {
  const channels = await tx.channel.findMany({ where: { groupId, active: true }, include: { partnership: true } });
  const targets: OutboundTarget[] = [];
  for (const c of channels) {
    if (c.platform === 'slack' && platforms.slack) {
      targets.push({ platform: 'slack', kind: 'channel', channel: c.externalId, teamId: c.partnership.slackTeamId ?? undefined });
    }
    if (c.platform === 'teams' && platforms.teams) {
      const ref = await tx.conversationRef.findUnique({ where: { conversationId: c.externalId } });
      if (ref) targets.push({ platform: 'teams', kind: 'conversation', conversationId: ref.conversationId, serviceUrl: ref.serviceUrl, tenantId: ref.tenantId ?? undefined });
    }
  }
  return targets;
}

export interface MemberNotice {
  memberId: string;
  partnershipId: string;
  /** Idempotency key; the member's delivery uses `${key}:member`. */
  key: string;
  message: Message;
  /** Groups copies of the same card so they can all be updated in place later (e.g. `stage:<id>`). */
  subjectKey?: string;
  /** Short description for the admin if the member cannot be reached, e.g. "a reminder for stage Audits". Never free text. */
  about: string;
  /**
   * A copy of something already waiting for the member, sent when they open a new chat with the bot: sent once per
   * conversation (per opening of a Teams chat, see chat-openings.ts), and not at all into a conversation that already
   * holds a card about `subjectKey`.
   */
  oncePerConversation?: boolean;
}

/**
 * Sends a member a private message. One who cannot be reached on any enabled platform is recorded (audit
 * `delivery.unreachable`, with what they missed) and reported to the partnership's admins in the next daily digest
 * (unreachable-digest.ts), never after each message. Returns the outbox ids.
 */
export async function notifyMember(tx: Tx, notice: MemberNotice, platforms: EnabledPlatforms): Promise<string[]> {
  return notifyMembers(tx, [notice], platforms);
}

/** The same for a batch (one reminder to a whole group): everyone reachable gets their message. */
export async function notifyMembers(tx: Tx, notices: readonly MemberNotice[], platforms: EnabledPlatforms): Promise<string[]> {
  const ids: string[] = [];
  const targets = await memberTargets(tx, notices.map((n) => n.memberId), platforms);
  for (const notice of notices) {
    const target = targets.get(notice.memberId);
    if (!target) {
      await recordUnreachable(tx, notice);
      continue;
    }
    let key = `${notice.key}:member`;
    if (notice.oncePerConversation) {
      // A chat opened again (a Playground reload) shows nothing of what it held: count only what came since.
      const opening = target.platform === 'teams' ? await latestChatOpening(tx, target.conversationId) : undefined;
      if (notice.subjectKey && (await holdsCardAbout(tx, notice.subjectKey, target, opening?.recordedAt))) continue;
      key = `${key}:${conversationOf(target)}${opening ? `@${opening.stamp}` : ''}`;
    }
    ids.push(await enqueueOutbound(tx, { key, partnershipId: notice.partnershipId, target, message: notice.message, subjectKey: notice.subjectKey }));
  }
  return ids;
}

/** The conversation a member target stands for: their Teams chat with the bot, or their Slack DM. */
function conversationOf(target: OutboundTarget): string {
  return target.platform === 'teams' ? target.conversationId : target.kind === 'response_url' ? target.url : target.channel;
}

async function holdsCardAbout(tx: Tx, subjectKey: string, target: OutboundTarget, since: Date | undefined): Promise<boolean> {
  const path = target.platform === 'teams' ? 'conversationId' : 'channel';
  const found = await tx.outboxMessage.findFirst({
    where: {
      subjectKey,
      operation: 'post',
      status: { in: ['pending', 'sent'] },
      platform: target.platform,
      target: { path: [path], equals: conversationOf(target) },
      ...(since ? { createdAt: { gte: since } } : {}),
    },
    select: { id: true },
  });
  return found !== null;
}

/** Once per message key: a retried transaction or a re-fired timer does not count the same miss twice. */
async function recordUnreachable(tx: Tx, notice: MemberNotice): Promise<void> {
  const already = await tx.auditEvent.findFirst({
    where: { action: UNREACHABLE_ACTION, subjectType: 'member', subjectId: notice.memberId, partnershipId: notice.partnershipId, data: { path: ['key'], equals: notice.key } },
    select: { id: true },
  });
  if (already) return;
  await recordAudit(tx, {
    partnershipId: notice.partnershipId,
    actor: 'delivery',
    action: UNREACHABLE_ACTION,
    subjectType: 'member',
    subjectId: notice.memberId,
    data: { key: notice.key, about: notice.about },
  });
}
