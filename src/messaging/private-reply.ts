import type { Db, Tx } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import { assertAudienceAllows, isSlackDirectChannel, PrivateAudienceError } from './audience.js';
import type { DeliveryJobs } from './delivery-jobs.js';
import type { Message } from './message.js';
import type { OutboundDraft, OutboundTarget } from './outbound.js';
import { enqueueOutbound } from './outbox.js';
import type { EnabledPlatforms } from './recipients.js';
import { memberTargets } from './recipients.js';

const text = (line: string): Message => ({ text: line, sections: [{ kind: 'text', text: line }] });

/** Where a private reply can go instead of a shared conversation: the member's own chat, on the same platform first. */
async function directChat(tx: Tx, memberId: string, asked: OutboundTarget, platforms: EnabledPlatforms): Promise<OutboundTarget | undefined> {
  if (asked.platform === 'teams') {
    const ref = await tx.conversationRef.findFirst({ where: { memberId, scope: 'personal' }, orderBy: { updatedAt: 'desc' } });
    if (ref) return { platform: 'teams', kind: 'conversation', conversationId: ref.conversationId, serviceUrl: ref.serviceUrl, tenantId: ref.tenantId ?? undefined };
  }
  return (await memberTargets(tx, [memberId], platforms)).get(memberId);
}

/** A conversation more than one person reads: a Teams channel or group chat, a Slack channel. */
async function isShared(tx: Tx, target: OutboundTarget): Promise<boolean> {
  if (target.platform === 'teams') {
    const ref = await tx.conversationRef.findUnique({ where: { conversationId: target.conversationId }, select: { scope: true } });
    return ref?.scope !== 'personal';
  }
  return target.kind === 'channel' && !isSlackDirectChannel(target.channel);
}

/**
 * A reply to a person. One with a private audience (a dispute's details) asked for in a shared conversation, where
 * everyone would read it (a Teams channel or group chat), goes to the person's own chat instead, and the shared
 * conversation hears only that it was sent privately; the reply's key stays on that notice, so the command counts as
 * answered. Returns the outbox ids to queue.
 */
export async function writeReply(db: Db, draft: OutboundDraft, platforms: EnabledPlatforms): Promise<string[]> {
  const audience = draft.message.audience;
  if (!audience) return [await enqueueOutbound(db, draft)];
  return transact(db, async (tx) => {
    try {
      await assertAudienceAllows(tx, draft.message, draft.target);
      return [await enqueueOutbound(tx, draft)];
    } catch (error) {
      if (!(error instanceof PrivateAudienceError)) throw error;
    }
    if (!(await isShared(tx, draft.target))) {
      // A direct chat that is not the asker's own can only be the demo acting as someone else in the demo user's chat:
      // a reply goes back where it was asked, so it is shown there.
      const { audience: _shown, ...message } = draft.message;
      return [await enqueueOutbound(tx, { ...draft, message })];
    }
    const ids: string[] = [];
    for (const memberId of audience.memberIds) {
      const target = await directChat(tx, memberId, draft.target, platforms);
      if (target) ids.push(await enqueueOutbound(tx, { ...draft, key: `${draft.key}:private:${memberId}`, target }));
    }
    const notice = ids.length > 0
      ? 'That is private, so I have sent it to you in our direct chat.'
      : 'That is private, so I cannot show it here. Open a direct chat with me and ask again there.';
    ids.push(await enqueueOutbound(tx, { key: draft.key, partnershipId: draft.partnershipId, target: draft.target, message: text(notice) }));
    return ids;
  });
}

/** writeReply, then queue the delivery (see sendOutbound). */
export async function sendReply(deps: { db: Db; deliveryJobs: DeliveryJobs; platforms: EnabledPlatforms }, draft: OutboundDraft): Promise<void> {
  const ids = await writeReply(deps.db, draft, deps.platforms);
  await deps.deliveryJobs.push(ids).catch(() => undefined); // already logged and counted by DeliveryJobs
}
