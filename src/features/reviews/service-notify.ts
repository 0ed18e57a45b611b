import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { reviewClocks } from './clocks.js';
import { processNames, reviewTypeNames, type ReviewType, type ReviewView } from './model.js';
import { alertGroupChannel, tellGroup, tellJointChairs, tellReceipt } from './notify.js';
import { groupFor, groupMemberIds, inGroup, jointChairIds } from './people.js';
import { nextReviewNumber, recordReviewEvent } from './repository.js';
import { inReviewScope, rearm } from './scope.js';
import { askForChronologies, confirmedAudit } from './service-group.js';

export interface NewReview {
  type: ReviewType;
  caseRef: string;
  awareOn: string;
  nationalNotifiedOn: string | undefined;
  agencyIds: string[];
  jointWith: ReviewType | undefined;
  summary: string;
  /** Fields the identifying-details guard flagged and the notifier confirmed were not identifying (audited with who). */
  confirmedFields?: readonly string[];
}

export interface Notified {
  review: ReviewView;
  groupName: string;
  members: number;
}

/**
 * Records a notification and routes it: each member of the group named for its type gets the full card privately;
 * the group's channel a short alert (case reference and clocks); the notifier a receipt with the clocks; each
 * involved agency's lead a card asking for its chronology by the secure route; in a joint case, the chairs a choice.
 */
export async function notifyReview(deps: FeatureDeps, profile: MemberProfile, input: NewReview): Promise<Notified> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const { tx, policy, now } = scope;
    const group = await groupFor(tx, profile.partnershipId, policy, input.type);
    if (!group) throw invalidInput('This partnership has no Practice Review Group to send it to. Ask the business unit to add one (or `reviews: groups:`) to the partnership file. Nothing was sent.');
    const number = await nextReviewNumber(tx, profile.partnershipId);
    const created = await tx.rapidReview.create({
      data: {
        partnershipId: profile.partnershipId, number, type: input.type, caseRef: input.caseRef, awareOn: input.awareOn,
        nationalNotifiedOn: input.nationalNotifiedOn ?? null, summary: input.summary, notifierId: profile.memberId, groupKey: group.key,
        settings: policy.clocks as object, jointWith: input.jointWith ?? null, createdAt: now.toJSDate(),
        agencies: { create: [...new Set(input.agencyIds)].map((agencyId) => ({ agencyId })) },
      },
      select: { id: true },
    });
    await recordReviewEvent(tx, created.id, { at: now.toJSDate(), kind: 'notified', actorId: profile.memberId, detail: reviewTypeNames[input.type] });
    await recordAudit(tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'reviews.notified', subjectType: 'rapid-review', subjectId: created.id, data: { number, type: input.type, group: group.key, agencies: input.agencyIds.length } });
    await confirmedAudit(scope, profile, { id: created.id, partnershipId: profile.partnershipId }, input.confirmedFields);
    // Whoever notifies from within the group has seen it.
    if (profile.groups.some((g) => g.key === group.key)) await tx.rapidReviewAck.create({ data: { reviewId: created.id, memberId: profile.memberId, at: now.toJSDate() } });
    const r = await rearm(scope, created.id);
    const first = reviewClocks(r, scope.calendar).find((c) => c.dueOn && !c.done);
    await tellGroup(scope, r, 'notified', `New for the ${group.name}: ${reviewTypeNames[r.type].toLowerCase()}, case ${r.caseRef}.${first ? ` ${first.label} by ${formatDay(first.dueOn!, scope.calendar.zone)}.` : ''} Acknowledge it so the group knows you have seen it.`);
    await alertGroupChannel(scope, r);
    if (!inGroup(profile, r)) await tellReceipt(scope, r, [profile.memberId], 'receipt', `Sent privately to the ${group.name}. Your receipt for case ${r.caseRef}, with the clocks now running:`, true);
    await askForChronologies(scope, r);
    if (r.jointWith) {
      const chairs = await jointChairIds(tx, r.partnershipId, policy, r);
      await tellJointChairs(scope, r, chairs, 'lead-asked', `Case ${r.caseRef} may need both a ${processNames[r.type]} and a ${processNames[r.jointWith]}. Agree at the outset which process leads: each chair chooses below.`);
    }
    return { review: r, groupName: group.name, members: (await groupMemberIds(tx, r.partnershipId, r.groupKey)).length };
  });
}
