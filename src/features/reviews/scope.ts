import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { BotError, forbidden, invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { EnabledPlatforms } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import { Effects, inEffectsScope } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { armReview } from './arming.js';
import type { ReviewPolicy, ReviewView } from './model.js';
import { inGroup, reviewPolicyOf } from './people.js';
import { findReviewByNumber, loadReview } from './repository.js';

export interface ReviewScope {
  tx: Tx;
  fx: Effects;
  calendar: WorkingCalendar;
  now: DateTime;
  policy: ReviewPolicy;
  platforms: EnabledPlatforms;
}

/** One transaction with the partnership's calendar and policy; timers and messages go to the queues after commit. */
export function inReviewScope<T>(deps: FeatureDeps, partnershipId: string, work: (scope: ReviewScope) => Promise<T>): Promise<T> {
  return inEffectsScope(deps, (tx, fx, now) => scopeIn(tx, fx, partnershipId, now, deps.platforms), work);
}

export async function scopeIn(tx: Tx, fx: Effects, partnershipId: string, now: DateTime, platforms: EnabledPlatforms): Promise<ReviewScope> {
  return { tx, fx, now, platforms, policy: await reviewPolicyOf(tx, partnershipId), calendar: await partnershipCalendar(tx, partnershipId) };
}

export type ReviewRef = { number: number } | { id: string };

/**
 * The review, if `allowed` says this member may see it. One they may not see reads exactly like one that does not
 * exist, by number or by a crafted button id; the refusal is audited as what it is.
 */
export async function reviewFor(tx: Tx, profile: MemberProfile, ref: ReviewRef, allowed: (r: ReviewView) => boolean | Promise<boolean>): Promise<ReviewView> {
  if ('number' in ref) {
    const r = await findReviewByNumber(tx, profile.partnershipId, ref.number);
    const missing = `There is no review ${ref.number} that you can see. Type \`review list\` for those you can.`;
    if (!r) throw invalidInput(missing);
    if (!(await allowed(r))) throw new BotError('invalid_input', missing, missing, { reason: 'not-permitted', subjectType: 'rapid-review', subjectId: r.id });
    return r;
  }
  const r = looksLikeId(ref.id) ? await loadReview(tx, ref.id) : undefined;
  const unseen = 'That review is not one you can see.';
  if (!r || r.partnershipId !== profile.partnershipId) throw unknownSubject(unseen, 'rapid-review', ref.id, Boolean(r));
  if (!(await allowed(r))) throw new BotError('invalid_input', unseen, unseen, { reason: 'not-permitted', subjectType: 'rapid-review', subjectId: r.id });
  return r;
}

/** The review's details: only for the members of the group it was routed to. */
export const groupReview = (tx: Tx, profile: MemberProfile, ref: ReviewRef) => reviewFor(tx, profile, ref, (r) => inGroup(profile, r));

export const refuse = (r: ReviewView, what: string) => forbidden(`${what} Nothing was changed.`, { type: 'rapid-review', id: r.id });

/** Re-arms a review's timers from its current row, and returns that row. */
export async function rearm(scope: ReviewScope, reviewId: string): Promise<ReviewView> {
  const r = (await loadReview(scope.tx, reviewId))!;
  scope.fx.timers(await armReview(scope.tx, r, scope.policy, scope.calendar, scope.now));
  return r;
}
