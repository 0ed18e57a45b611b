import { notifyMember } from '../../messaging/recipients.js';
import type { CycleDeps } from './context.js';
import { isOwner } from '../../workflow/owners.js';
import { sendReturnCatchUpCards } from './returns-catch-up.js';
import { anyReturnAwaitedFrom } from './returns-waiting.js';
import { inScope } from './scope.js';
import { reminderCard } from './stage-cards.js';
import { asCycle, asStage, stageSubject } from './stage-row.js';
import { loadStageView } from './stage-view.js';
import { loadMemberProfile } from '../../directory/member-lookup.js';

/**
 * Someone the bot could not reach before (they just installed the app), or who opened a chat with it again (a new
 * chat, or the Playground's chat reopened empty on a reload): send them a card for each open stage they own, once per
 * stage and conversation (per opening: messaging/chat-openings.ts), so nothing that was waiting for them is lost and
 * nothing is sent twice into the same chat.
 */
export async function sendCatchUpCards(deps: CycleDeps, memberId: string): Promise<number> {
  const profile = await loadMemberProfile(deps.db, memberId);
  if (!profile) return 0;
  // Looked at outside any transaction: most people have nothing waiting, and a busy chat opening many conversations
  // must not hold a connection per opening while every open stage is read.
  const open = await deps.db.cycleStage.findMany({
    where: { status: 'open', cycle: { partnershipId: profile.partnershipId, status: 'active' } },
    select: { id: true, owner: true },
  });
  const owned = open.filter((stage) => isOwner(profile, asStage(stage).owner)).map((stage) => stage.id);
  const returnsAwaited = await anyReturnAwaitedFrom(deps.db, profile);
  if (owned.length === 0 && !returnsAwaited) return 0;
  return inScope(deps, profile.partnershipId, { name: 'scheduler' }, async (scope) => {
    const rows = await scope.tx.cycleStage.findMany({
      where: { id: { in: owned }, status: 'open', cycle: { status: 'active' } },
      include: { cycle: true },
      orderBy: { dueOn: 'asc' },
    });
    let sent = 0;
    for (const { cycle: rawCycle, ...rawStage } of rows) {
      const stage = asStage(rawStage);
      const view = await loadStageView(scope.tx, stage, asCycle(rawCycle), scope.calendar, scope.now);
      const title = view.workingDaysLeft < 0 ? `Overdue: ${stage.name}` : `Waiting for you: ${stage.name}`;
      const key = `${stageSubject(stage.id)}:catch-up:${memberId}`;
      scope.fx.outbox(
        await notifyMember(scope.tx, { memberId, partnershipId: profile.partnershipId, key, message: reminderCard(view, 'before', title), subjectKey: stageSubject(stage.id), about: 'the stages waiting for them', oncePerConversation: true }, scope.platforms),
      );
      sent += 1;
    }
    return sent + (returnsAwaited ? await sendReturnCatchUpCards(scope, profile) : 0);
  });
}
