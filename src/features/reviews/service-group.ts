import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import { auditConfirmedFalsePositive } from '../../forms/identifying-confirm.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { reviewClocks } from './clocks.js';
import { nationalBody, outcomeLabel, reviewTypeNames, type ReviewView } from './model.js';
import { chronologyAsk, refreshCards, tellAgencyLeads, tellDeciders, tellReceipt } from './notify.js';
import { agencyLeadIds, deciderIds, groupMemberIds, runsReview } from './people.js';
import { recordReviewEvent } from './repository.js';
import { groupReview, inReviewScope, rearm, refuse, type ReviewRef, type ReviewScope } from './scope.js';

export interface Outcome {
  review: ReviewView;
  changed: boolean;
  line: string;
}

export const audit = (scope: ReviewScope, profile: MemberProfile, r: ReviewView, action: string, data: Record<string, unknown> = {}) =>
  recordAudit(scope.tx, { partnershipId: r.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action, subjectType: 'rapid-review', subjectId: r.id, data: { number: r.number, ...data } });

/** Who confirmed that text the guard flagged was not identifying, and in which fields (never the text). */
export const confirmedAudit = (scope: ReviewScope, profile: MemberProfile, r: Pick<ReviewView, 'id' | 'partnershipId'>, fields: readonly string[] = []) =>
  auditConfirmedFalsePositive(scope.tx, { partnershipId: r.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'reviews.identifying.confirmed', subjectType: 'rapid-review', subjectId: r.id, fields });

/** After a change: timers re-armed from the new state, and every card updated in place. */
async function after(scope: ReviewScope, r: ReviewView, version: string): Promise<ReviewView> {
  const now = await rearm(scope, r.id);
  await refreshCards(scope, now, version);
  return now;
}

function mustBeOpen(r: ReviewView): void {
  if (r.status !== 'open') throw invalidInput(`Review #${r.number} is already ${r.status}; nothing was changed.`);
}

/** A group member has seen it. Pressing again, or a retried request, counts once. */
export async function acknowledgeReview(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await groupReview(scope.tx, profile, ref);
    const inserted = await scope.tx.rapidReviewAck.createMany({ data: [{ reviewId: r.id, memberId: profile.memberId, at: scope.now.toJSDate() }], skipDuplicates: true });
    if (inserted.count === 0) return { review: r, changed: false, line: `You had already acknowledged review #${r.number}.` };
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'acknowledged', actorId: profile.memberId });
    const eventId = await audit(scope, profile, r, 'reviews.acknowledged');
    return { review: await after(scope, r, `ack@${eventId}`), changed: true, line: `Acknowledged review #${r.number} (case ${r.caseRef}). The group can see you have.` };
  });
}

/** The day the national notification (Panel and Ofsted, or the Home Office) was made: between awareness and today. */
/** Each involved agency's leads are asked for the chronology by its due day; sent once per review and agency. */
export async function askForChronologies(scope: ReviewScope, r: ReviewView): Promise<void> {
  const dueOn = reviewClocks(r, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn;
  if (!dueOn) return;
  for (const a of r.agencies.filter((x) => !x.confirmedAt)) {
    const leads = await agencyLeadIds(scope.tx, r.partnershipId, a.agencyId);
    await tellAgencyLeads(scope, r, a.agencyId, leads, 'chronology-asked', `A rapid review has started. ${chronologyAsk(r, a.name, dueOn, scope.calendar.zone)}`);
  }
}

export async function recordNationalNotification(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef, on: string): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await groupReview(scope.tx, profile, ref);
    // Owed whatever the group decides: it can be recorded after the decision too.
    if (r.status === 'closed') throw invalidInput(`Review #${r.number} is closed; nothing was changed.`);
    if (!nationalBody[r.type]) throw invalidInput(`A ${reviewTypeNames[r.type].toLowerCase()} has no national notification to record.`);
    if (r.nationalNotifiedOn === on) return { review: r, changed: false, line: `The national notification for review #${r.number} is already recorded as ${formatDay(on, scope.calendar.zone)}.` };
    await scope.tx.rapidReview.update({ where: { id: r.id }, data: { nationalNotifiedOn: on } });
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'national-notified', actorId: profile.memberId, detail: formatDay(on, scope.calendar.zone) });
    const eventId = await audit(scope, profile, r, 'reviews.national-notified', { on });
    const now = await after(scope, r, `national@${eventId}`);
    // Counted from the notification, the chronologies had no due day until now: their leads are asked now (once).
    await askForChronologies(scope, now);
    return { review: now, changed: true, line: `Recorded: ${nationalBody[r.type]} notified on ${formatDay(on, scope.calendar.zone)} for review #${r.number}.` };
  });
}

/** The rapid review meeting's date; the group and the involved agencies' leads get an invitation card. */
export async function setMeeting(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef, on: string): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await groupReview(scope.tx, profile, ref);
    mustBeOpen(r);
    if (!runsReview(profile, r)) throw refuse(r, "Only the group's chair, vice-chair or the business manager can set the meeting.");
    if (r.meetingOn === on) return { review: r, changed: false, line: `The meeting for review #${r.number} is already on ${formatDay(on, scope.calendar.zone)}.` };
    await scope.tx.rapidReview.update({ where: { id: r.id }, data: { meetingOn: on } });
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'meeting-set', actorId: profile.memberId, detail: formatDay(on, scope.calendar.zone) });
    const eventId = await audit(scope, profile, r, 'reviews.meeting-set', { on });
    const now = await after(scope, r, `meeting@${eventId}`);
    const invite = `You are invited to the rapid review meeting for case ${r.caseRef} (review #${r.number}) on ${formatDay(on, scope.calendar.zone)}. Bring your agency's learning; the papers come by the secure route.`;
    await tellReceipt(scope, now, await groupMemberIds(scope.tx, r.partnershipId, r.groupKey), `invite@${eventId}`, invite);
    for (const a of now.agencies) await tellAgencyLeads(scope, now, a.agencyId, await agencyLeadIds(scope.tx, r.partnershipId, a.agencyId), `invite@${eventId}`, invite);
    return { review: now, changed: true, line: `Meeting for review #${r.number} set for ${formatDay(on, scope.calendar.zone)}; the group and the agencies' leads have their invitations.` };
  });
}

export interface Recommendation {
  recommendation: string;
  note: string | undefined;
  attendeeIds: string[];
  /** Fields the identifying-details guard flagged that the person confirmed were not identifying. */
  confirmed?: readonly string[];
}

/** The group's recommendation after the meeting, with who attended; the decision maker gets a card to decide. */
export async function recommend(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef, input: Recommendation): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await groupReview(scope.tx, profile, ref);
    mustBeOpen(r);
    if (!runsReview(profile, r)) throw refuse(r, "Only the group's chair, vice-chair or the business manager can record the recommendation.");
    await scope.tx.rapidReview.update({ where: { id: r.id }, data: { recommendation: input.recommendation, recommendationNote: input.note ?? null, recommendedById: profile.memberId, attendeeIds: input.attendeeIds } });
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'recommended', actorId: profile.memberId, detail: `${outcomeLabel(r.type, input.recommendation)}; ${input.attendeeIds.length} attended` });
    await confirmedAudit(scope, profile, r, input.confirmed);
    const eventId = await audit(scope, profile, r, 'reviews.recommended', { recommendation: input.recommendation, attendees: input.attendeeIds.length });
    const now = await after(scope, r, `recommended@${eventId}`);
    const deciders = await deciderIds(scope.tx, r.partnershipId, scope.policy, r.type);
    await tellDeciders(scope, now, deciders, `recommended@${eventId}`, `The group recommends for case ${r.caseRef}: ${outcomeLabel(r.type, input.recommendation)}. Please record your decision, with reasons.`);
    return { review: now, changed: true, line: `Recommendation recorded for review #${r.number}; the decision maker has a card to decide.` };
  });
}
