import { recordAudit } from '../../core/audit.js';
import type { MemberProfile } from '../../directory/identity.js';
import { rearmReturn } from './arming.js';
import { isIn, type RoundView } from './model.js';
import { roundReturns } from './repository.js';
import type { S11Scope } from './scope.js';

/** Closes a round: its returns can no longer change and its chasers stop; improvement actions keep their reminders. */
export async function closeRound(scope: S11Scope, profile: MemberProfile, round: RoundView): Promise<string> {
  const moved = await scope.tx.s11Round.updateMany({ where: { id: round.id, status: 'open' }, data: { status: 'closed' } });
  if (moved.count === 0) return `Round ${round.number}, ${round.title}, is already closed.`;
  const returns = await roundReturns(scope.tx, round.id);
  for (const r of returns) await rearmReturn(scope, r.id);
  await recordAudit(scope.tx, { partnershipId: round.partnershipId, actor: profile.memberId, action: 's11.round.closed', subjectType: 's11-round', subjectId: round.id, data: { number: round.number } });
  const missing = returns.filter((r) => !isIn(r)).length;
  return `Closed round ${round.number}, ${round.title}: ${returns.length - missing} of ${returns.length} returns in${missing ? `; ${missing} never came in and are no longer chased` : ''}. Its report stays available with \`s11 report ${round.number}\`.`;
}
