import type { MemberProfile } from '../../directory/identity.js';
import { notifyMember } from '../../messaging/recipients.js';
import type { StageScope } from './lifecycle.js';
import { returnCard } from './returns-cards.js';
import { returnSubject, returnTimerPrefix } from './returns-repository.js';
import { returnsAwaitedFrom } from './returns-waiting.js';

/**
 * The return cards of a lead who just became reachable (installed the app, or opened a new chat): each of their
 * agencies' returns still awaited, once per conversation. An ask still held back for working hours is left to go
 * at its time. Returns how many were sent.
 */
export async function sendReturnCatchUpCards(scope: StageScope, profile: MemberProfile): Promise<number> {
  let sent = 0;
  for (const view of await returnsAwaitedFrom(scope.tx, profile, scope.calendar, scope.now)) {
    const held = await scope.tx.timer.count({ where: { subjectId: view.ret.id, key: { startsWith: `${returnTimerPrefix(view.ret.id)}opened@` }, status: 'pending' } });
    if (held > 0) continue;
    const kind = view.stage.workingDaysLeft < 0 ? 'overdue' : view.stage.dueToday ? 'due' : 'opened';
    scope.fx.outbox(
      await notifyMember(scope.tx, {
        memberId: profile.memberId,
        partnershipId: profile.partnershipId,
        key: `${returnSubject(view.ret.id)}:catch-up:${profile.memberId}`,
        message: returnCard(view, kind),
        subjectKey: returnSubject(view.ret.id),
        about: `a request for ${view.ret.agencyName}'s return for stage "${view.stage.stage.name}" of cycle #${view.stage.cycle.number}`,
        oncePerConversation: true,
      }, scope.platforms),
    );
    sent += 1;
  }
  return sent;
}
