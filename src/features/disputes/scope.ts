import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { BotError, forbidden, invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { EnabledPlatforms } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import { Effects, inEffectsScope } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { armDispute } from './arming.js';
import { canSee, type ChairIds, type DisputePolicy, type DisputeView } from './model.js';
import { chairIdsOf, policyOf } from './people.js';
import { findDisputeByNumber, loadDispute } from './repository.js';

export interface DisputeScope {
  tx: Tx;
  fx: Effects;
  calendar: WorkingCalendar;
  now: DateTime;
  policy: DisputePolicy;
  chairs: ChairIds;
  platforms: EnabledPlatforms;
}

/** One transaction with the partnership's calendar and policy; timers and messages go to the queues after commit. */
export function inDisputeScope<T>(deps: FeatureDeps, partnershipId: string, work: (scope: DisputeScope) => Promise<T>): Promise<T> {
  return inEffectsScope(deps, (tx, fx, now) => scopeIn(tx, fx, partnershipId, now, deps.platforms), work);
}

export async function scopeIn(tx: Tx, fx: Effects, partnershipId: string, now: DateTime, platforms: EnabledPlatforms): Promise<DisputeScope> {
  const policy = await policyOf(tx, partnershipId);
  return { tx, fx, now, policy, platforms, calendar: await partnershipCalendar(tx, partnershipId), chairs: await chairIdsOf(tx, partnershipId, policy) };
}

export type DisputeRef = { number: number } | { id: string };

/**
 * The dispute, if this member may see it. One they may not see reads exactly like one that does not exist, by
 * number or by a crafted button id: a third party learns nothing, not even that it exists.
 */
export async function visibleDispute(scope: Pick<DisputeScope, 'tx' | 'chairs'>, profile: MemberProfile, ref: DisputeRef): Promise<DisputeView> {
  if ('number' in ref) {
    const d = await findDisputeByNumber(scope.tx, profile.partnershipId, ref.number);
    if (!d || !canSee(profile, d, scope.chairs)) throw invalidInput(`There is no dispute ${ref.number} that you can see. Type \`dispute list\` for yours.`);
    return d;
  }
  const d = looksLikeId(ref.id) ? await loadDispute(scope.tx, ref.id) : undefined;
  const unseen = 'That dispute is not one you can see.';
  if (!d || d.partnershipId !== profile.partnershipId) throw unknownSubject(unseen, 'dispute', ref.id, Boolean(d));
  // Told exactly what a missing one gets; audited as what it is (a member who is not party to it).
  if (!canSee(profile, d, scope.chairs)) throw new BotError('invalid_input', unseen, unseen, { reason: 'not-permitted', subjectType: 'dispute', subjectId: d.id });
  return d;
}

export const refuse = (d: DisputeView, what: string) => forbidden(`${what} Nothing was changed.`, { type: 'dispute', id: d.id });

/** Re-arms a dispute's timers from its current row, and returns that row. */
export async function rearm(scope: DisputeScope, disputeId: string): Promise<DisputeView> {
  const d = (await loadDispute(scope.tx, disputeId))!;
  await arm(scope, d);
  return d;
}

/** Arms the timers a dispute just read from its row calls for. */
export async function arm(scope: DisputeScope, d: DisputeView): Promise<void> {
  scope.fx.timers(await armDispute(scope.tx, d, scope.policy, Boolean(scope.chairs.deputyId), scope.calendar, scope.now));
}
