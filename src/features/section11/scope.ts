import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { BotError, forbidden, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { EnabledPlatforms } from '../../messaging/recipients.js';
import type { Db, Tx } from '../../store/db.js';
import { Effects, inEffectsScope } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import type { ReturnView, RoundView, S11Policy } from './model.js';
import { leadsAgency, moderatingGroup, seesAllReturns, signsForAgency } from './people.js';
import { loadReturn, loadRound } from './repository.js';
import { section11Policy } from './schema.js';

export interface S11Scope {
  tx: Tx;
  fx: Effects;
  calendar: WorkingCalendar;
  now: DateTime;
  policy: S11Policy;
  platforms: EnabledPlatforms;
}

export async function policyOf(tx: Tx | Db, partnershipId: string): Promise<S11Policy> {
  return section11Policy((await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { sections: true } })).sections);
}

/** One transaction with the partnership's calendar and policy; timers and messages go to the queues after commit. */
export function inS11Scope<T>(deps: FeatureDeps, partnershipId: string, work: (scope: S11Scope) => Promise<T>): Promise<T> {
  return inEffectsScope(deps, (tx, fx, now) => scopeIn(tx, fx, partnershipId, now, deps.platforms), work);
}

export async function scopeIn(tx: Tx, fx: Effects, partnershipId: string, now: DateTime, platforms: EnabledPlatforms): Promise<S11Scope> {
  return { tx, fx, now, platforms, policy: await policyOf(tx, partnershipId), calendar: await partnershipCalendar(tx, partnershipId) };
}

/** Today in the partnership's zone, YYYY-MM-DD. */
export const todayIn = (scope: Pick<S11Scope, 'now' | 'calendar'>) => scope.now.setZone(scope.calendar.zone).toISODate()!;

export interface ReturnInRound {
  ret: ReturnView;
  round: RoundView;
  /** The moderating group's key as it resolves now (the round's setting, else the partnership's QA group). */
  moderatedBy: string | undefined;
}

/**
 * A return by id, if `allowed` says this member may act on it. A crafted id of another agency's return reads like
 * one that does not exist, and the refusal is audited as what it is.
 */
export async function returnFor(tx: Tx | Db, profile: MemberProfile, id: string, allowed: (x: ReturnInRound) => boolean): Promise<ReturnInRound> {
  const ret = looksLikeId(id) ? await loadReturn(tx, id) : undefined;
  const unseen = 'That return is not one you can see.';
  if (!ret || ret.partnershipId !== profile.partnershipId) throw unknownSubject(unseen, 's11-return', id, Boolean(ret));
  const round = (await loadRound(tx, ret.roundId))!;
  const moderatedBy = (await moderatingGroup(tx, ret.partnershipId, round.settings.moderatedBy))?.key;
  const found = { ret, round, moderatedBy };
  if (!allowed(found)) throw new BotError('invalid_input', unseen, unseen, { reason: 'not-permitted', subjectType: 's11-return', subjectId: ret.id });
  return found;
}

export const refuse = (r: Pick<ReturnView, 'id'>, what: string) => forbidden(`${what} Nothing was changed.`, { type: 's11-return', id: r.id });

/**
 * Refuses an act on something of a return's (an action, a request for more time): whoever may not see the return is
 * told `unseen`, the words for an id that names nothing; whoever may see it is told `why`. Both are audited.
 */
export async function refuseOnReturn(tx: Tx, profile: MemberProfile, ret: ReturnView, round: RoundView, subject: { type: string; id: string }, unseen: string, why: string): Promise<never> {
  const moderatedBy = (await moderatingGroup(tx, ret.partnershipId, round.settings.moderatedBy))?.key;
  const sees = leadsAgency(profile, ret) || signsForAgency(profile, ret) || seesAllReturns(profile, moderatedBy);
  if (!sees) throw new BotError('invalid_input', unseen, unseen, { reason: 'not-permitted', subjectType: subject.type, subjectId: subject.id });
  throw forbidden(`${why} Nothing was changed.`, subject);
}

/** Something of a return's (an action, a request for more time) by id, with its return and round; an id naming nothing in this partnership reads as unknown. */
export async function returnItem<T extends { returnId: string }>(tx: Tx, profile: MemberProfile, id: string, find: (id: string) => Promise<T | null>, subjectType: string, unseen: string): Promise<{ item: T; ret: ReturnView; round: RoundView }> {
  const item = looksLikeId(id) ? await find(id) : null;
  const ret = item ? await loadReturn(tx, item.returnId) : undefined;
  if (!item || !ret || ret.partnershipId !== profile.partnershipId) throw unknownSubject(unseen, subjectType, id, Boolean(ret));
  return { item, ret, round: (await loadRound(tx, ret.roundId))! };
}
