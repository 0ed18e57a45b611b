import { notifyMember } from '../../messaging/recipients.js';
import type { FeatureDeps } from '../contract.js';
import { agencyCard, privateTo } from './cards.js';
import { reviewClocks } from './clocks.js';
import { agencySubject, chronologyAsk, groupCardNow, groupCardSubjectFor } from './notify.js';
import { loadReview } from './repository.js';
import { inReviewScope } from './scope.js';

/**
 * Someone the bot could not reach before, or who opened a chat with it again: the group's card for each open review
 * routed to a group they are in and not yet acknowledged by them, and the chronology card for each involved agency
 * they lead that has not confirmed; once per review and conversation.
 */
export async function sendReviewCatchUp(deps: FeatureDeps, memberId: string): Promise<number> {
  // Looked at outside any transaction: most people have no review waiting.
  const member = await deps.db.member.findUnique({
    where: { id: memberId },
    select: { partnershipId: true, memberships: { where: { active: true }, select: { group: { select: { key: true } } } }, roles: { where: { role: 'agency_lead', active: true }, select: { agencyId: true } } },
  });
  if (!member) return 0;
  const groupKeys = member.memberships.map((m) => m.group.key);
  const agencyIds = member.roles.map((r) => r.agencyId).filter((id): id is string => Boolean(id));
  const rows = await deps.db.rapidReview.findMany({
    where: { partnershipId: member.partnershipId, status: 'open', OR: [{ groupKey: { in: groupKeys } }, { agencies: { some: { agencyId: { in: agencyIds }, confirmedAt: null } } }] },
    select: { id: true },
    orderBy: { number: 'asc' },
  });
  if (rows.length === 0) return 0;
  return inReviewScope(deps, member.partnershipId, async (scope) => {
    let sent = 0;
    const send = async (key: string, subjectKey: string, message: Parameters<typeof notifyMember>[1]['message']) => {
      scope.fx.outbox(await notifyMember(scope.tx, { memberId, partnershipId: member.partnershipId, key: `${subjectKey}:catch-up:${memberId}`, message, subjectKey, about: 'the reviews waiting for them', oncePerConversation: true }, scope.platforms));
      sent += 1;
    };
    for (const row of rows) {
      const r = (await loadReview(scope.tx, row.id))!;
      if (groupKeys.includes(r.groupKey) && !r.acks.some((a) => a.memberId === memberId)) {
        const card = await groupCardNow(scope, r, `Waiting for you: review #${r.number}, case ${r.caseRef}. Acknowledge it so the group knows you have seen it.`, memberId);
        await send('group', groupCardSubjectFor(r.id, memberId), card);
      }
      const dueOn = reviewClocks(r, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn;
      for (const a of r.agencies.filter((x) => agencyIds.includes(x.agencyId) && !x.confirmedAt)) {
        if (dueOn) await send(a.agencyId, agencySubject(r.id, a.agencyId), privateTo([memberId], agencyCard(r, a.agencyId, dueOn, scope.calendar, `Waiting for you: p${chronologyAsk(r, a.name, dueOn, scope.calendar.zone).slice(1)}`)));
      }
    }
    return sent;
  });
}
