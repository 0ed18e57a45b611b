import { DateTime } from 'luxon';
import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { followThrough, PUBLIC_UNTIL, startsReview } from './clocks.js';
import { nationalBody, outcomeLabel, processNames, type ReviewType } from './model.js';
import { noticeGroup, refreshCards } from './notify.js';
import { deciderIds, jointChairIds, runsReview } from './people.js';
import { loadReview, recordReviewEvent } from './repository.js';
import { groupReview, inReviewScope, rearm, reviewFor, type ReviewRef } from './scope.js';
import { audit, confirmedAudit, type Outcome } from './service-group.js';

export interface Decision {
  decision: string;
  reasons: string;
  /** The day the Panel (or the Home Office) was told of the decision; undefined: not yet. */
  nationalToldOn: string | undefined;
  confirmed?: readonly string[];
}

/**
 * The decision maker the partnership names records the decision, with reasons, whether the national body was told
 * and the time. A decision to review starts the follow-through: its steps get reminders through the scheduler.
 */
export async function decideReview(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef, input: Decision): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const deciders = (r: { type: ReviewType }) => deciderIds(scope.tx, profile.partnershipId, scope.policy, r.type);
    const r = await reviewFor(scope.tx, profile, ref, async (x) => (await deciders(x)).includes(profile.memberId));
    if (r.status !== 'open') return { review: r, changed: false, line: `Review #${r.number} is already decided: ${outcomeLabel(r.type, r.decision) ?? ''}.` };
    const today = scope.now.setZone(scope.calendar.zone).toISODate()!;
    // Only one decision: a second press or a retried submission finds the review no longer open.
    const claimed = await scope.tx.rapidReview.updateMany({
      where: { id: r.id, status: 'open' },
      data: { status: 'decided', decision: input.decision, decisionReasons: input.reasons, nationalToldOn: input.nationalToldOn ?? null, decidedAt: scope.now.toJSDate(), decidedById: profile.memberId },
    });
    if (claimed.count !== 1) return { review: (await loadReview(scope.tx, r.id))!, changed: false, line: `Review #${r.number} was decided a moment ago.` };
    if (startsReview({ type: r.type, decision: input.decision })) {
      const steps = followThrough(r.settings.publish, today, scope.calendar);
      await scope.tx.rapidReviewMilestone.createMany({ data: steps.map((s, position) => ({ reviewId: r.id, key: s.key, name: s.name, position, dueOn: s.dueOn })), skipDuplicates: true });
    }
    const body = nationalBody[r.type];
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'decided', actorId: profile.memberId, detail: `${outcomeLabel(r.type, input.decision)}${body ? `; ${body} ${input.nationalToldOn ? `told ${formatDay(input.nationalToldOn, scope.calendar.zone)}` : 'not yet told'}` : ''}` });
    await confirmedAudit(scope, profile, r, input.confirmed);
    const eventId = await audit(scope, profile, r, 'reviews.decided', { decision: input.decision, nationalTold: Boolean(input.nationalToldOn) });
    const now = await rearm(scope, r.id);
    await refreshCards(scope, now, `decided@${eventId}`);
    await noticeGroup(scope, now, `decided@${eventId}`, `Decision on case ${r.caseRef} by ${profile.displayName}: ${outcomeLabel(r.type, input.decision)}.${now.milestones.length ? ` The follow-through has started: ${now.milestones[0]!.name} by ${formatDay(now.milestones[0]!.dueOn, scope.calendar.zone)}.` : ''}`);
    return { review: now, changed: true, line: `Decision recorded for review #${r.number} at ${scope.now.setZone(scope.calendar.zone).toFormat('HH:mm')}: ${outcomeLabel(r.type, input.decision)}. The group has been told.` };
  });
}

/** A joint case: one chair's choice of the process that leads; agreed once every chair has chosen the same. */
export async function chooseLead(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef, process: ReviewType): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    let chairs: string[] = [];
    const r = await reviewFor(scope.tx, profile, ref, async (x) => {
      chairs = await jointChairIds(scope.tx, profile.partnershipId, scope.policy, x);
      return chairs.includes(profile.memberId);
    });
    if (!r.jointWith || (process !== r.type && process !== r.jointWith)) throw invalidInput('That is not one of the processes for this case.');
    if (r.leadProcess) return { review: r, changed: false, line: `Already agreed: the ${processNames[r.leadProcess]} leads for case ${r.caseRef}.` };
    if (r.leadChoices.find((c) => c.memberId === profile.memberId)?.process === process) return { review: r, changed: false, line: `You had already chosen the ${processNames[process]}.` };
    await scope.tx.rapidReviewLeadChoice.upsert({
      where: { reviewId_memberId: { reviewId: r.id, memberId: profile.memberId } },
      create: { reviewId: r.id, memberId: profile.memberId, process, at: scope.now.toJSDate() },
      update: { process, at: scope.now.toJSDate() },
    });
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'lead-chosen', actorId: profile.memberId, detail: processNames[process] });
    const choices = await scope.tx.rapidReviewLeadChoice.findMany({ where: { reviewId: r.id, memberId: { in: chairs } } });
    const agreed = choices.length === chairs.length && choices.every((c) => c.process === process);
    if (agreed) {
      await scope.tx.rapidReview.update({ where: { id: r.id }, data: { leadProcess: process } });
      await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'lead-agreed', detail: `The ${processNames[process]} leads` });
    }
    const eventId = await audit(scope, profile, r, agreed ? 'reviews.lead-agreed' : 'reviews.lead-chosen', { process });
    const now = await rearm(scope, r.id);
    await refreshCards(scope, now, `lead@${eventId}`);
    const waiting = chairs.length - choices.length;
    const line = agreed
      ? `Agreed: the ${processNames[process]} leads for case ${r.caseRef}, with a joint report to both boards.`
      : waiting > 0
        ? `You chose the ${processNames[process]}. Waiting for ${waiting} more chair${waiting === 1 ? '' : 's'} to choose.`
        : `You chose the ${processNames[process]}, but the chairs chose differently: talk it through, then choose again.`;
    return { review: now, changed: true, line };
  });
}

/** A step of the follow-through done; publication starts the "kept public until" reminder where the partnership keeps one. */
export async function markMilestone(deps: FeatureDeps, profile: MemberProfile, ref: ReviewRef, key: string, on: string): Promise<Outcome> {
  return inReviewScope(deps, profile.partnershipId, async (scope) => {
    const r = await groupReview(scope.tx, profile, ref);
    if (!runsReview(profile, r)) throw invalidInput("Only the group's chair, vice-chair or the business manager can record the follow-through. Nothing was changed.");
    const m = r.milestones.find((x) => x.key === key);
    if (!m) throw invalidInput(`Review #${r.number} has no step "${key}".`);
    if (m.doneOn) return { review: r, changed: false, line: `${m.name} was already recorded done on ${formatDay(m.doneOn, scope.calendar.zone)}.` };
    await scope.tx.rapidReviewMilestone.update({ where: { reviewId_key: { reviewId: r.id, key } }, data: { doneOn: on, doneById: profile.memberId } });
    const keep = r.settings.keepPublished;
    if (key === 'publication' && keep) {
      // "At least N months": never earlier than that, so a weekend moves it on.
      const until = scope.calendar.workingDayOnOrAfter(DateTime.fromISO(on, { zone: scope.calendar.zone }).set({ hour: 12 }).plus({ months: keep.months }));
      await scope.tx.rapidReviewMilestone.create({ data: { reviewId: r.id, key: PUBLIC_UNTIL, name: `Report kept public at least ${keep.months} months`, position: r.milestones.length, dueOn: until.toISODate()! } });
    }
    await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'milestone-done', actorId: profile.memberId, detail: `${m.name}: ${formatDay(on, scope.calendar.zone)}` });
    const eventId = await audit(scope, profile, r, 'reviews.milestone-done', { step: key, on });
    const now = await rearm(scope, r.id);
    if (now.milestones.every((x) => x.doneOn)) {
      await scope.tx.rapidReview.update({ where: { id: r.id }, data: { status: 'closed' } });
    }
    const final = (await loadReview(scope.tx, r.id))!;
    await refreshCards(scope, final, `milestone@${eventId}`);
    return { review: final, changed: true, line: `Recorded: ${m.name}, ${formatDay(on, scope.calendar.zone)}, for review #${r.number}.` };
  });
}
