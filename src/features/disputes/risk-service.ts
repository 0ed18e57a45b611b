import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { forbidden, invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import { notifyMember } from '../../messaging/recipients.js';
import type { Db, Tx } from '../../store/db.js';
import { transact } from '../../store/unit-of-work.js';
import { Effects } from '../../workflow/effects.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { riskSubject, type DisputePolicy } from './model.js';
import { closedCard, newOwnerCard, reopenedCard, reviewedCard } from './risk-cards.js';
import { canCloseRisk, canReviewRisk } from './risk-policy.js';
import { armRiskReminders } from './risk-reminders.js';
import { disputeOf, findRiskByNumber, loadRisk, nextRiskNumber, type RiskRecord } from './risk-repository.js';
import { policyOf } from './people.js';

interface Scope {
  tx: Tx;
  fx: Effects;
  calendar: WorkingCalendar;
  policy: DisputePolicy;
  now: DateTime;
}

/** One transaction with the partnership's calendar and policy; timers and messages go to the queues after commit. */
export function inRiskScope<T>(deps: FeatureDeps, partnershipId: string, work: (scope: Scope) => Promise<T>): Promise<T> {
  return transact(deps.db, async (tx, afterCommit) => {
    const fx = new Effects();
    const calendar = await partnershipCalendar(tx, partnershipId);
    const result = await work({ tx, fx, calendar, policy: await policyOf(tx, partnershipId), now: deps.clock.now() });
    fx.flushAfter(afterCommit, deps);
    return result;
  });
}

const audit = (tx: Tx, profile: MemberProfile, action: string, riskId: string, data: Record<string, unknown>) =>
  recordAudit(tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action, subjectType: 'risk', subjectId: riskId, data });

export interface NewRisk {
  risk: string;
  impact: number;
  likelihood: number;
  ownerId: string;
  mitigation: string;
  reviewOn: string;
  disputeId?: string;
}

/** Adds an entry (any member may), tells its owner when someone else added it, and arms its review reminders. */
export async function addRisk(deps: FeatureDeps, profile: MemberProfile, input: NewRisk): Promise<RiskRecord> {
  return inRiskScope(deps, profile.partnershipId, async ({ tx, fx, calendar, policy, now }) => {
    // A dispute id from a form's state is believed only when it is this partnership's dispute.
    const dispute = input.disputeId && looksLikeId(input.disputeId) ? await disputeOf(tx, profile.partnershipId, input.disputeId) : undefined;
    if (input.disputeId && !dispute) throw unknownSubject('That dispute is no longer there. Nothing was added.', 'dispute', input.disputeId);
    const number = await nextRiskNumber(tx, profile.partnershipId);
    const created = await tx.riskEntry.create({
      data: {
        partnershipId: profile.partnershipId, number, risk: input.risk, impact: input.impact, likelihood: input.likelihood, ownerId: input.ownerId,
        mitigation: input.mitigation, reviewOn: input.reviewOn, disputeId: dispute?.id ?? null, createdById: profile.memberId, createdAt: now.toJSDate(),
      },
      select: { id: true },
    });
    const risk = (await loadRisk(tx, created.id))!;
    await audit(tx, profile, 'disputes.risk.added', risk.id, {
      number, impact: input.impact, likelihood: input.likelihood, score: risk.score, ownerId: input.ownerId, reviewOn: input.reviewOn, ...(dispute ? { disputeId: dispute.id } : {}),
    });
    if (input.ownerId !== profile.memberId) {
      fx.outbox(await notifyMember(tx, {
        memberId: input.ownerId, partnershipId: profile.partnershipId, key: `${riskSubject(risk.id)}:added`,
        message: newOwnerCard(risk, profile.displayName, calendar.zone), subjectKey: riskSubject(risk.id), about: `the new risk #${number} they own`,
      }, deps.platforms));
    }
    fx.timers(await armRiskReminders(tx, risk, policy, calendar, now));
    return risk;
  });
}

export type RiskReference = { number: number } | { id: string };

/** The entry a command number or a button's id names, in the member's own partnership only. */
export async function riskFor(tx: Tx | Db, profile: MemberProfile, ref: RiskReference): Promise<RiskRecord> {
  if ('number' in ref) {
    const risk = await findRiskByNumber(tx, profile.partnershipId, ref.number);
    if (!risk) throw invalidInput(`There is no risk ${ref.number}. Type \`risks\` to see the register.`);
    return risk;
  }
  // An id from another partnership's button reads as "no such risk", never as that partnership's risk.
  const risk = looksLikeId(ref.id) ? await loadRisk(tx, ref.id) : undefined;
  if (!risk || risk.partnershipId !== profile.partnershipId) throw unknownSubject('That risk is no longer there.', 'risk', ref.id, Boolean(risk));
  return risk;
}

export interface Review {
  impact: number;
  likelihood: number;
  mitigation: string;
  reviewOn: string;
}

/** Records a review: the score and mitigation as they stand, the next review date; the reminders count down to it. */
export async function recordReview(deps: FeatureDeps, profile: MemberProfile, ref: RiskReference, review: Review): Promise<RiskRecord> {
  return inRiskScope(deps, profile.partnershipId, async ({ tx, fx, calendar, policy, now }) => {
    const risk = await riskFor(tx, profile, ref);
    await mayReview(tx, profile, risk, policy);
    const changed = await tx.riskEntry.updateMany({ where: { id: risk.id, status: 'open' }, data: review });
    if (changed.count !== 1) throw invalidInput(`Risk #${risk.number} is closed, so there is nothing to review. Nothing was changed.`);
    const reviewed = (await loadRisk(tx, risk.id))!;
    const eventId = await audit(tx, profile, 'disputes.risk.reviewed', risk.id, {
      number: risk.number, from: { impact: risk.impact, likelihood: risk.likelihood, reviewOn: risk.reviewOn }, to: { impact: review.impact, likelihood: review.likelihood, reviewOn: review.reviewOn }, mitigationChanged: review.mitigation !== risk.mitigation,
    });
    fx.timers(await armRiskReminders(tx, reviewed, policy, calendar, now));
    fx.outbox(await updateCardsAbout(tx, riskSubject(risk.id), `reviewed@${eventId}`, reviewedCard(reviewed, profile.displayName, now.toJSDate(), calendar.zone)));
    return reviewed;
  });
}

const refusal = (risk: RiskRecord, what: string, others = '') =>
  forbidden(`Only the risk's owner (${risk.owner.name}), ${others}the business manager or an admin can ${what} risk #${risk.number}. Nothing was changed.`, { type: 'risk', id: risk.id });

/** Refuses, before a review form opens or is saved, anyone who may not record a review. */
export async function mayReview(tx: Tx | Db, profile: MemberProfile, risk: RiskRecord, policy: Pick<DisputePolicy, 'riskRegister'>): Promise<void> {
  const groupKey = policy.riskRegister.reviewGroup;
  if (canReviewRisk(profile, risk, groupKey)) return;
  const group = groupKey ? await tx.group.findFirst({ where: { partnershipId: risk.partnershipId, key: groupKey }, select: { name: true } }) : null;
  throw refusal(risk, 'record a review of', `${group ? `members of ${group.name}, ` : ''}the independent chair, `);
}

/** Closes a risk and stops its reminders. `changed` is false when it was already closed (a second press). */
export async function closeRisk(deps: FeatureDeps, profile: MemberProfile, ref: RiskReference): Promise<{ risk: RiskRecord; changed: boolean }> {
  return inRiskScope(deps, profile.partnershipId, async ({ tx, fx, calendar, policy, now }) => {
    const risk = await riskFor(tx, profile, ref);
    if (!canCloseRisk(profile, risk)) throw refusal(risk, 'close');
    const claimed = await tx.riskEntry.updateMany({ where: { id: risk.id, status: 'open' }, data: { status: 'closed', closedAt: now.toJSDate() } });
    if (claimed.count !== 1) return { risk, changed: false };
    const closed = (await loadRisk(tx, risk.id))!;
    const eventId = await audit(tx, profile, 'disputes.risk.closed', risk.id, { number: risk.number, score: risk.score, reviewOn: risk.reviewOn });
    fx.timers(await armRiskReminders(tx, closed, policy, calendar, now));
    fx.outbox(await updateCardsAbout(tx, riskSubject(risk.id), `closed@${eventId}`, closedCard(closed, profile.displayName, calendar.zone)));
    return { risk: closed, changed: true };
  });
}

/** Undo of "closed": back on the register; its reminders come back (a review date since passed is chased once). */
export async function reopenRisk(deps: FeatureDeps, profile: MemberProfile, riskId: string): Promise<{ risk: RiskRecord; changed: boolean }> {
  return inRiskScope(deps, profile.partnershipId, async ({ tx, fx, calendar, policy, now }) => {
    const risk = await riskFor(tx, profile, { id: riskId });
    if (!canCloseRisk(profile, risk)) throw refusal(risk, 'reopen');
    const claimed = await tx.riskEntry.updateMany({ where: { id: risk.id, status: 'closed' }, data: { status: 'open', closedAt: null } });
    if (claimed.count !== 1) return { risk, changed: false };
    const reopened = (await loadRisk(tx, risk.id))!;
    const eventId = await audit(tx, profile, 'disputes.risk.reopened', risk.id, { number: risk.number });
    fx.timers(await armRiskReminders(tx, reopened, policy, calendar, now));
    fx.outbox(await updateCardsAbout(tx, riskSubject(risk.id), `reopened@${eventId}`, reopenedCard(reopened, profile.displayName, calendar.zone)));
    return { risk: reopened, changed: true };
  });
}
