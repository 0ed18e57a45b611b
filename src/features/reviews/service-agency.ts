import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { agencyLeadIds, runsReview } from './people.js';
import { recordReviewEvent } from './repository.js';
import { inReviewScope, rearm, reviewFor } from './scope.js';
import { audit, type Outcome } from './service-group.js';
import { refreshCards } from './notify.js';

/**
 * An involved agency's lead confirms its chronology or summary went to the business unit by the secure route (the
 * chat never carries it). The group's chair or the business manager may confirm on the agency's behalf.
 */
export async function confirmChronology(deps: FeatureDeps, profile: MemberProfile, reviewId: string, agencyId: string): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await reviewFor(scope.tx, profile, { id: reviewId }, async (x) =>
      x.agencies.some((a) => a.agencyId === agencyId) && ((await agencyLeadIds(scope.tx, x.partnershipId, agencyId)).includes(profile.memberId) || runsReview(profile, x)));
    const agency = r.agencies.find((a) => a.agencyId === agencyId)!;
    if (r.status === 'closed') throw invalidInput(`Review #${r.number} is closed; nothing more is needed.`);
    const claimed = await scope.tx.rapidReviewAgency.updateMany({ where: { reviewId: r.id, agencyId, confirmedAt: null }, data: { confirmedAt: scope.now.toJSDate(), confirmedById: profile.memberId } });
    if (claimed.count === 0) return { review: r, changed: false, line: `${agency.name}'s chronology for case ${r.caseRef} was already confirmed sent${agency.confirmedBy ? ` by ${agency.confirmedBy}` : ''}.` };
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'chronology-sent', actorId: profile.memberId, detail: agency.name });
    const eventId = await audit(scope, profile, r, 'reviews.chronology-sent', { agencyId });
    const now = await rearm(scope, r.id);
    await refreshCards(scope, now, `chronology@${eventId}`);
    return { review: now, changed: true, line: `Thank you: ${agency.name}'s chronology for case ${r.caseRef} is recorded as sent. The reminders have stopped.` };
  });
}
