import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { canChair, isFinalStage, type DisputeView } from './model.js';
import { refreshCards, tellChair, tellParties } from './notify.js';
import { partyCard } from './cards.js';
import { loadDispute, recordDisputeEvent } from './repository.js';
import { inDisputeScope, rearm, refuse, visibleDispute, type DisputeRef, type DisputeScope } from './scope.js';
import { settle, type Outcome } from './service-resolve.js';

/** The dispute, open and at the chair's stage, and this member able to act as its chair. */
async function chairsDispute(scope: DisputeScope, profile: MemberProfile, ref: DisputeRef, what: string, alsoAllowed = false): Promise<DisputeView> {
  const d = await visibleDispute(scope, profile, ref);
  mayChair(scope, profile, d, what, alsoAllowed);
  return d;
}

/** Throws unless the dispute is open at the chair's stage and this member may act as its chair. */
function mayChair(scope: DisputeScope, profile: MemberProfile, d: DisputeView, what: string, alsoAllowed = false): void {
  if (!alsoAllowed && !canChair(profile, d, scope.chairs)) throw refuse(d, `Only the chair holding dispute #${d.number}${d.chair ? ` (${d.chair.name})` : ''}, the deputy or the independent chair can ${what}.`);
  if (d.status !== 'open') throw invalidInput(`Dispute #${d.number} is already ${d.status}; nothing was changed.`);
  if (!isFinalStage(d)) throw invalidInput(`Dispute #${d.number} is at stage ${d.stageIndex + 1}; it has not reached the chair.`);
}

/** Any step the chair takes also acknowledges the ping: the repeats and the deputy stand down. */
async function acknowledgeIn(scope: DisputeScope, profile: MemberProfile, d: DisputeView): Promise<boolean> {
  const claimed = await scope.tx.dispute.updateMany({ where: { id: d.id, chairAckAt: null }, data: { chairAckAt: scope.now.toJSDate(), chairAckById: profile.memberId } });
  if (claimed.count !== 1) return false;
  await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind: 'acknowledged', stage: d.stageIndex, actorId: profile.memberId });
  await recordAudit(scope.tx, { partnershipId: d.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.chair.acknowledged', subjectType: 'dispute', subjectId: d.id, data: { number: d.number } });
  return true;
}

async function after(scope: DisputeScope, d: DisputeView, version: string): Promise<DisputeView> {
  const now = await rearm(scope, d.id);
  await refreshCards(scope, now, version);
  return now;
}

export async function acknowledgeDispute(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await chairsDispute(scope, profile, ref, 'acknowledge it');
    if (!(await acknowledgeIn(scope, profile, d))) return { dispute: d, changed: false, line: `Dispute #${d.number} was already acknowledged${d.chairAck ? ` by ${d.chairAck.name}` : ''}.` };
    return { dispute: await after(scope, d, `ack@${scope.now.toMillis()}`), changed: true, line: `Acknowledged dispute #${d.number}. The reminders to the chair, the deputy and the business manager have stopped.` };
  });
}

/** The joint meeting's date: from today to the policy's deadline (a later date is refused, saying the deadline). */
export async function scheduleJointMeeting(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef, on: string): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await chairsDispute(scope, profile, ref, 'schedule the joint meeting');
    if (d.jointMeetingOn === on) return { dispute: d, changed: false, line: `The joint meeting for dispute #${d.number} is already on ${formatDay(on, scope.calendar.zone)}.` };
    await acknowledgeIn(scope, profile, d);
    await scope.tx.dispute.update({ where: { id: d.id }, data: { jointMeetingOn: on } });
    await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind: 'meeting-scheduled', stage: d.stageIndex, actorId: profile.memberId, detail: formatDay(on, scope.calendar.zone) });
    const eventId = await recordAudit(scope.tx, { partnershipId: d.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.chair.meeting', subjectType: 'dispute', subjectId: d.id, data: { number: d.number, on } });
    const now = await after(scope, d, `meeting@${eventId}`);
    await tellParties(scope, now, `meeting@${eventId}`, partyCard(now, scope.now, scope.calendar, `${profile.displayName} has set the joint meeting for dispute #${d.number} on ${formatDay(on, scope.calendar.zone)}.`), `the joint meeting for dispute #${d.number}`);
    return { dispute: now, changed: true, line: `Joint meeting for dispute #${d.number} set for ${formatDay(on, scope.calendar.zone)}; both parties have been told.` };
  });
}

export async function appointMediator(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef, mediator: string): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await chairsDispute(scope, profile, ref, 'appoint a mediator');
    if (d.mediator === mediator) return { dispute: d, changed: false, line: `${mediator} is already the mediator for dispute #${d.number}.` };
    await acknowledgeIn(scope, profile, d);
    await scope.tx.dispute.update({ where: { id: d.id }, data: { mediator } });
    await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind: 'mediator-appointed', stage: d.stageIndex, actorId: profile.memberId, detail: mediator });
    const eventId = await recordAudit(scope.tx, { partnershipId: d.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.chair.mediator', subjectType: 'dispute', subjectId: d.id, data: { number: d.number } });
    const now = await after(scope, d, `mediator@${eventId}`);
    await tellParties(scope, now, `mediator@${eventId}`, partyCard(now, scope.now, scope.calendar, `${profile.displayName} has appointed an independent mediator for dispute #${d.number}: ${mediator}.`), `the mediator for dispute #${d.number}`);
    return { dispute: now, changed: true, line: `${mediator} is the mediator for dispute #${d.number}; both parties have been told.` };
  });
}

/** The chair's decision at the last stage: final, recorded, and both parties told. */
export async function recordDecision(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef, outcome: string, learning: string | undefined): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await visibleDispute(scope, profile, ref);
    if (d.status === 'resolved') return { dispute: d, changed: false, line: `Dispute #${d.number} is already resolved.` };
    mayChair(scope, profile, d, 'record its outcome');
    await acknowledgeIn(scope, profile, d);
    const changed = await settle(scope, d, { id: profile.memberId, name: profile.displayName }, 'decided', outcome, learning);
    return { dispute: (await loadDispute(scope.tx, d.id))!, changed, line: changed ? `Recorded: your decision on dispute #${d.number} is final; both parties have been told.` : `Dispute #${d.number} is already resolved.` };
  });
}

/** The chair hands the dispute to another member (a vice-chair, a board member): they get the chair's card and pings. */
export async function delegateDispute(deps: FeatureDeps, profile: MemberProfile, ref: DisputeRef, toMemberId: string): Promise<Outcome> {
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    // The business manager, pinged when nobody acknowledges, may hand it on too.
    const d = await chairsDispute(scope, profile, ref, 'delegate it', isPartnershipAdmin(profile));
    const to = await scope.tx.member.findFirst({ where: { id: toMemberId, partnershipId: d.partnershipId, active: true }, select: { id: true, displayName: true } });
    if (!to) throw invalidInput('Choose a member of the partnership to delegate to.');
    if (to.id === d.raisedBy.id || to.id === d.otherParty.id) throw invalidInput(`${to.displayName} is a party to dispute #${d.number}; choose someone independent of it.`);
    if (d.chair?.id === to.id) return { dispute: d, changed: false, line: `Dispute #${d.number} is already with ${to.displayName}.` };
    await scope.tx.dispute.update({ where: { id: d.id }, data: { chairId: to.id, chairAckAt: null, chairAckById: null } });
    await recordDisputeEvent(scope.tx, d.id, { at: scope.now.toJSDate(), kind: 'delegated', stage: d.stageIndex, actorId: profile.memberId, detail: `to ${to.displayName}` });
    const eventId = await recordAudit(scope.tx, { partnershipId: d.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'disputes.chair.delegated', subjectType: 'dispute', subjectId: d.id, data: { number: d.number, toMemberId: to.id } });
    const now = await after(scope, d, `delegated@${eventId}`);
    await tellChair(scope, now, [to.id], `delegated@${eventId}`, `${profile.displayName} has delegated dispute #${d.number} to you as chair: convene a joint meeting by ${formatDay(d.stageDueOn, scope.calendar.zone)}.`);
    return { dispute: now, changed: true, line: `Delegated dispute #${d.number} to ${to.displayName}; they have the chair's card and its reminders.` };
  });
}
