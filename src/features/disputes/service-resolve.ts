import { recordAudit } from '../../core/audit.js';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { addAgendaItem } from '../../workflow/agenda.js';
import type { FeatureDeps } from '../contract.js';
import { partyCard, proposalCard, stageLabel } from './cards.js';
import { isFinalStage, isParty, type DisputeView } from './model.js';
import { refreshCards, tellParties } from './notify.js';
import { loadDispute, recordDisputeEvent } from './repository.js';
import { inDisputeScope, rearm, refuse, visibleDispute, type DisputeRef, type DisputeScope } from './scope.js';
import { enterStage } from './service-stage.js';

export type Outcome<T = DisputeView> = { dispute: T; changed: boolean; line: string };

function mustBeOpen(d: DisputeView): void {
  if (d.status !== 'open') throw invalidInput(`Dispute #${d.number} is already ${d.status}; nothing was changed.`);
}

/** A party proposes an outcome; the other party gets a card to confirm it or say it is not agreed. */
export async function proposeOutcome(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef, outcome: string, learning?: string): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await visibleDispute(scope, profile, ref);
    if (!isParty(profile, d)) throw refuse(d, `Only the two parties to dispute #${d.number} agree an outcome between them; at the chair's stage the chair records it.`);
    mustBeOpen(d);
    if (isFinalStage(d)) throw invalidInput(`Dispute #${d.number} is with the chair: the chair records the outcome.`);
    await scope.tx.dispute.update({ where: { id: d.id }, data: { proposedOutcome: outcome, proposedLearning: learning ?? null, proposedById: profile.memberId } });
    await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind: 'proposed', stage: d.stageIndex, actorId: profile.memberId, detail: outcome });
    const eventId = await recordAudit(scope.tx, { partnershipId: d.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.proposed', subjectType: 'dispute', subjectId: d.id, data: { number: d.number, stage: d.stageIndex + 1 } });
    const proposed = (await loadDispute(scope.tx, d.id))!;
    const other = profile.memberId === d.raisedBy.id ? d.otherParty : d.raisedBy;
    await refreshCards(scope, proposed, `proposed@${eventId}`);
    await tellParties(scope, proposed, `proposal@${eventId}`, proposalCard(proposed, scope.now, scope.calendar), `an outcome to confirm for dispute #${d.number}`, other.id);
    return { dispute: proposed, changed: true, line: `Sent to ${other.name} to confirm. Dispute #${d.number} stays at ${stageLabel(d)} until they do.` };
  });
}

/**
 * Settles a dispute (once: a double click or a retried request finds it settled and changes nothing). Learning goes
 * on the learning group's next meeting when the policy names one.
 */
export async function settle(scope: DisputeScope, d: DisputeView, by: { id: string; name: string }, kind: 'agreed' | 'decided', outcome: string, learning: string | undefined): Promise<boolean> {
  const claimed = await scope.tx.dispute.updateMany({
    where: { id: d.id, status: 'open', stage: d.stageIndex },
    data: { status: 'resolved', outcome, resolvedById: by.id, resolvedAt: scope.now.toJSDate(), learning: learning ?? null, learningGroupKey: learning ? scope.policy.learningGroup ?? null : null, proposedOutcome: null, proposedLearning: null, proposedById: null },
  });
  if (claimed.count !== 1) return false;
  await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind, stage: d.stageIndex, actorId: by.id, detail: outcome });
  let learningTo: string | undefined;
  if (learning && scope.policy.learningGroup) {
    const item = await addAgendaItem(scope.tx, { partnershipId: d.partnershipId, groupKey: scope.policy.learningGroup, title: `Learning from dispute #${d.number}: ${learning}`, sourceKey: `dispute:${d.id}` });
    learningTo = item?.groupName;
  }
  const eventId = await recordAudit(scope.tx, {
    partnershipId: d.partnershipId, actor: by.name, actorMemberId: by.id, action: `disputes.${kind}`, subjectType: 'dispute', subjectId: d.id,
    data: { number: d.number, stage: d.stageIndex + 1, learningFlagged: Boolean(learningTo) },
  });
  const settled = await rearm(scope, d.id);
  await refreshCards(scope, settled, `settled@${eventId}`);
  const line = `Dispute #${d.number} is resolved at ${stageLabel(d)}${kind === 'decided' ? ` by ${by.name}'s decision, which is final` : ', agreed by both parties'}.${learningTo ? ` The learning goes on the agenda of ${learningTo}'s next meeting.` : ''}`;
  await tellParties(scope, settled, `settled@${eventId}`, partyCard(settled, scope.now, scope.calendar, line), `the outcome of dispute #${d.number}`);
  return true;
}

/** The other party confirms the proposed outcome: the dispute is resolved at this stage. */
export async function confirmOutcome(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await visibleDispute(scope, profile, ref);
    if (d.status === 'resolved') return { dispute: d, changed: false, line: `Dispute #${d.number} is already resolved.` };
    if (!isParty(profile, d)) throw refuse(d, `Only the parties to dispute #${d.number} confirm its outcome.`);
    mustBeOpen(d);
    if (!d.proposed) throw invalidInput(`There is no proposed outcome on dispute #${d.number} to confirm (it may have been declined or the dispute moved on). Use Agree an outcome to propose one.`);
    if (d.proposed.byId === profile.memberId) throw invalidInput(`You proposed this outcome; ${profile.memberId === d.raisedBy.id ? d.otherParty.name : d.raisedBy.name} confirms it.`);
    const changed = await settle(scope, d, { id: profile.memberId, name: profile.displayName }, 'agreed', d.proposed.outcome, d.proposed.learning);
    return { dispute: (await loadDispute(scope.tx, d.id))!, changed, line: changed ? `Confirmed: dispute #${d.number} is resolved at ${stageLabel(d)}.` : `Dispute #${d.number} is already resolved.` };
  });
}

/** The other party does not agree the proposed outcome: the proposer is told, and the stage's clock runs on. */
export async function declineOutcome(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await visibleDispute(scope, profile, ref);
    if (!isParty(profile, d)) throw refuse(d, `Only the parties to dispute #${d.number} answer a proposed outcome.`);
    mustBeOpen(d);
    if (!d.proposed || d.proposed.byId === profile.memberId) return { dispute: d, changed: false, line: `There is no proposed outcome waiting for you on dispute #${d.number}.` };
    const cleared = await scope.tx.dispute.updateMany({ where: { id: d.id, proposedById: d.proposed.byId, proposedOutcome: d.proposed.outcome }, data: { proposedOutcome: null, proposedLearning: null, proposedById: null } });
    if (cleared.count !== 1) return { dispute: d, changed: false, line: `The proposal on dispute #${d.number} was already answered.` };
    await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind: 'declined', stage: d.stageIndex, actorId: profile.memberId });
    const eventId = await recordAudit(scope.tx, { partnershipId: d.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.declined', subjectType: 'dispute', subjectId: d.id, data: { number: d.number } });
    const now = (await loadDispute(scope.tx, d.id))!;
    await refreshCards(scope, now, `declined@${eventId}`);
    await tellParties(scope, now, `declined@${eventId}`, partyCard(now, scope.now, scope.calendar, `${profile.displayName} did not agree the proposed outcome for dispute #${d.number}. It stays at ${stageLabel(d)}.`), `a declined outcome on dispute #${d.number}`, d.proposed.byId);
    return { dispute: now, changed: true, line: `Noted: not agreed. ${d.proposed.byName} has been told; dispute #${d.number} stays at ${stageLabel(d)}.` };
  });
}

/** Either party escalates to the next stage before the time runs out, with a reason recorded in the timeline. */
export async function escalateEarly(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef, reason: string, fromStage?: number): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await visibleDispute(scope, profile, ref);
    if (!isParty(profile, d)) throw refuse(d, `Only the parties to dispute #${d.number} escalate it.`);
    mustBeOpen(d);
    const from = fromStage === undefined || Number.isNaN(fromStage) ? d.stageIndex : fromStage;
    if (from !== d.stageIndex) return { dispute: d, changed: false, line: `Dispute #${d.number} has already moved on to ${stageLabel(d)}.` };
    if (isFinalStage(d)) throw invalidInput(`Dispute #${d.number} is already with the chair, the last stage.`);
    const moved = await enterStage(scope, d, from, from + 1, { why: 'escalated-early', byId: profile.memberId, byName: profile.displayName, reason });
    if (!moved) return { dispute: d, changed: false, line: `Dispute #${d.number} has already moved on.` };
    return { dispute: moved, changed: true, line: `Escalated: dispute #${d.number} is now at ${stageLabel(moved)}. Both parties have been told${isFinalStage(moved) ? ', and the chair' : ''}.` };
  });
}
