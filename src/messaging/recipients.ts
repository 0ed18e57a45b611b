import { recordAudit } from '../core/audit.js';
import type { Tx } from '../store/db.js';
import type { Message } from './message.js';
import type { OutboundTarget } from './outbound.js';
import { enqueueOutbound } from './outbox.js';

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
}

/**
 * Sends a member a private message, or, when they cannot be reached on any enabled platform, tells the
 * partnership's business managers and admins instead. Nobody is skipped silently. Returns the outbox ids.
 */
export async function notifyMember(tx: Tx, notice: MemberNotice, platforms: EnabledPlatforms): Promise<string[]> {
  return notifyMembers(tx, [notice], notice.key, platforms);
}

/**
 * The same for a batch (one reminder to a whole group): everyone reachable gets their message, and the admins
 * get ONE report naming everyone who could not be reached, instead of one card per person.
 */
export async function notifyMembers(tx: Tx, notices: readonly MemberNotice[], batchKey: string, platforms: EnabledPlatforms): Promise<string[]> {
  const ids: string[] = [];
  const unreachable: MemberNotice[] = [];
  const targets = await memberTargets(tx, notices.map((n) => n.memberId), platforms);
  for (const notice of notices) {
    const target = targets.get(notice.memberId);
    if (target) ids.push(await enqueueOutbound(tx, { key: `${notice.key}:member`, partnershipId: notice.partnershipId, target, message: notice.message, subjectKey: notice.subjectKey }));
    else unreachable.push(notice);
  }
  if (unreachable.length > 0) ids.push(...(await reportUnreachable(tx, unreachable, batchKey, platforms)));
  return ids;
}

async function reportUnreachable(tx: Tx, notices: MemberNotice[], batchKey: string, platforms: EnabledPlatforms): Promise<string[]> {
  const first = notices[0]!;
  const members = await tx.member.findMany({ where: { id: { in: notices.map((n) => n.memberId) } }, select: { id: true, displayName: true } });
  const names = notices.map((n) => members.find((m) => m.id === n.memberId)?.displayName ?? 'A member');
  for (const notice of notices) {
    await recordAudit(tx, {
      partnershipId: notice.partnershipId,
      actor: 'delivery',
      action: 'delivery.unreachable',
      subjectType: 'member',
      subjectId: notice.memberId,
      data: { key: notice.key, about: notice.about },
    });
  }
  const admins = await tx.roleAssignment.findMany({
    where: { partnershipId: first.partnershipId, active: true, role: { in: ['business_manager', 'admin'] }, member: { active: true } },
    select: { memberId: true },
    distinct: ['memberId'],
  });
  const who = names.length === 1 ? names[0]! : `${names.length} members (${names.join(', ')})`;
  const text = `${who} could not be sent ${first.about}: no Slack id or Teams chat with the bot.`;
  const ids: string[] = [];
  const adminTargets = await memberTargets(tx, admins.map((a) => a.memberId), platforms);
  for (const admin of admins) {
    if (notices.length === 1 && admin.memberId === first.memberId) continue;
    const target = adminTargets.get(admin.memberId);
    if (!target) continue;
    ids.push(
      await enqueueOutbound(tx, {
        key: `${batchKey}:unreachable:${admin.memberId}`,
        partnershipId: first.partnershipId,
        target,
        message: {
          title: names.length === 1 ? 'A member could not be reached' : `${names.length} members could not be reached`,
          text,
          sections: [
            { kind: 'text', text: names.length === 1 ? `*${names[0]}* could not be sent ${first.about}.` : `Could not send ${first.about} to: *${names.join(', ')}*.` },
            { kind: 'context', text: 'Add their Slack user id or Teams identity to the partnership file, or ask them to open a chat with the bot once.' },
          ],
        },
      }),
    );
  }
  return ids;
}
