import { notifyMember } from '../../messaging/recipients.js';
import type { FeatureDeps } from '../contract.js';
import { leadCard, privateTo } from './cards.js';
import { returnCardSubject } from './model.js';
import { loadRound, returnHistory, returnOf } from './repository.js';
import { inS11Scope } from './scope.js';

/**
 * A lead the bot could not reach before, or who opened a chat with it again: their agency's return in each open
 * round that is still theirs to do (not started, a draft, returned), once per return and conversation.
 */
export async function sendS11CatchUp(deps: FeatureDeps, memberId: string): Promise<number> {
  // Looked at outside any transaction: most people have no return waiting.
  const member = await deps.db.member.findUnique({ where: { id: memberId }, select: { partnershipId: true, roles: { where: { role: 'agency_lead', active: true }, select: { agencyId: true } } } });
  const agencyIds = (member?.roles ?? []).map((r) => r.agencyId).filter((id): id is string => Boolean(id));
  if (!member || agencyIds.length === 0) return 0;
  const rows = await deps.db.s11Return.findMany({ where: { partnershipId: member.partnershipId, agencyId: { in: agencyIds }, status: { in: ['not_started', 'returned'] }, round: { status: 'open' } }, select: { roundId: true, agencyId: true } });
  if (rows.length === 0) return 0;
  return inS11Scope(deps, member.partnershipId, async (scope) => {
    for (const row of rows) {
      const round = (await loadRound(scope.tx, row.roundId))!;
      const ret = (await returnOf(scope.tx, row.roundId, row.agencyId))!;
      const card = leadCard(round, ret, `Waiting for you: ${ret.agencyName}'s return for ${round.title}.`, scope.now, scope.calendar, await returnHistory(scope.tx, ret.id));
      const subjectKey = returnCardSubject(ret.id, memberId);
      scope.fx.outbox(await notifyMember(scope.tx, { memberId, partnershipId: member.partnershipId, key: `${subjectKey}:catch-up`, message: privateTo([memberId], card), subjectKey, about: 'the Section 11 returns waiting for them', oncePerConversation: true }, scope.platforms));
    }
    return rows.length;
  });
}
