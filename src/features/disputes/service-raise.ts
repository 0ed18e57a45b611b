import { recordAudit } from '../../core/audit.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { partyCard } from './cards.js';
import { startingStage, limitOf, stageDueOn, type DisputeView } from './model.js';
import { tellParties } from './notify.js';
import { loadDispute, nextDisputeNumber, recordDisputeEvent } from './repository.js';
import { inDisputeScope } from './scope.js';
import { enterStage } from './service-stage.js';

export interface NewDispute {
  otherPartyId: string;
  otherAgencyId: string | undefined;
  subject: string;
  tried: string;
  outcomeSought: string;
  caseRef: string | undefined;
  urgent: boolean;
}

/** Records a dispute at its first stage (or the urgent start), tells the other party with a card, and arms its clock. */
export async function raiseDispute(deps: FeatureDeps, profile: MemberProfile, input: NewDispute): Promise<DisputeView> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const { tx, policy, calendar, now } = scope;
    const index = startingStage(policy, input.urgent);
    // The dispute keeps the limits it runs to: an urgent one's stages before the chair's have the urgent limit.
    const stages = policy.stages.map((s, i) => (i < policy.stages.length - 1 ? { ...s, limit: limitOf(s, input.urgent, policy) } : s));
    const stage = stages[index]!;
    const final = index === stages.length - 1;
    const number = await nextDisputeNumber(tx, profile.partnershipId);
    const created = await tx.dispute.create({
      data: {
        partnershipId: profile.partnershipId, number, subject: input.subject, tried: input.tried, outcomeSought: input.outcomeSought,
        caseRef: input.caseRef ?? null, urgent: input.urgent, raisedById: profile.memberId, raisedByAgencyId: profile.agency?.id ?? null,
        otherPartyId: input.otherPartyId, otherAgencyId: input.otherAgencyId ?? null, stages: stages as object, stage: index,
        stageStartedAt: now.toJSDate(), stageDueOn: stageDueOn(stage.limit, now, calendar),
        chairId: final ? scope.chairs.chairId ?? null : null, createdAt: now.toJSDate(),
      },
      select: { id: true },
    });
    await recordDisputeEvent(tx, created.id, { at: now.toJSDate(), kind: 'raised', stage: index, actorId: profile.memberId, ...(input.urgent ? { detail: 'A child is at immediate risk: started at this stage' } : {}) });
    await recordAudit(tx, {
      partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.raised',
      subjectType: 'dispute', subjectId: created.id, data: { number, stage: index + 1, urgent: input.urgent },
    });
    const d = (await enterStage(scope, (await loadDispute(tx, created.id))!, index, index, { why: 'raised' }))!;
    await tellParties(scope, d, 'raised', partyCard(d, now, calendar, `${profile.displayName} has raised a disagreement with you: dispute #${d.number}, at ${`stage ${index + 1} (${stage.name})`}.`), `the new dispute #${number}`, input.otherPartyId);
    const line = `Raised: dispute #${d.number}. ${d.otherParty.name} has been told and can agree an outcome with you from their card.`;
    await tellParties(scope, d, 'raised-by', partyCard(d, now, calendar, line), `the dispute #${number} they raised`, profile.memberId);
    return d;
  });
}
