import { notifyMember } from '../../messaging/recipients.js';
import type { FeatureDeps } from '../contract.js';
import { partyCard, stageLabel } from './cards.js';
import { disputeSubject, isFinalStage } from './model.js';
import { chairCardNow, chairSubject } from './notify.js';
import { loadDispute } from './repository.js';
import { inDisputeScope } from './scope.js';

/**
 * Someone the bot could not reach before, or who opened a chat with it again: a card for each open dispute they are
 * a party to, and the chair's card for each waiting for them as chair, once per dispute and conversation.
 */
export async function sendDisputeCatchUp(deps: FeatureDeps, memberId: string): Promise<number> {
  // Looked at outside any transaction: most people have no dispute open.
  const rows = await deps.db.dispute.findMany({
    where: { status: 'open', OR: [{ raisedById: memberId }, { otherPartyId: memberId }, { chairId: memberId }] },
    select: { id: true, partnershipId: true },
    orderBy: { number: 'asc' },
  });
  if (rows.length === 0) return 0;
  return inDisputeScope(deps, rows[0]!.partnershipId, async (scope) => {
    let sent = 0;
    for (const row of rows.filter((r) => r.partnershipId === rows[0]!.partnershipId)) {
      const d = (await loadDispute(scope.tx, row.id))!;
      const asChair = d.chair?.id === memberId && isFinalStage(d) && d.raisedBy.id !== memberId && d.otherParty.id !== memberId;
      // A party has nothing to do once the chair holds it; before that the card is theirs to act on.
      if (!asChair && isFinalStage(d)) continue;
      const message = asChair
        ? await chairCardNow(scope.tx, d, scope.now, scope.calendar, `Waiting for you as chair: dispute #${d.number}.`)
        : partyCard(d, scope.now, scope.calendar, `Waiting for you: dispute #${d.number} is at ${stageLabel(d)}.`);
      const subjectKey = asChair ? chairSubject(d.id) : disputeSubject(d.id);
      scope.fx.outbox(await notifyMember(scope.tx, { memberId, partnershipId: d.partnershipId, key: `${subjectKey}:catch-up:${memberId}`, message, subjectKey, about: 'the disputes waiting for them', oncePerConversation: true }, scope.platforms));
      sent += 1;
    }
    return sent;
  });
}
