import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { notifyMembers, type EnabledPlatforms } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import type { Effects } from '../../workflow/effects.js';
import { ladderSteps } from '../../workflow/ladder.js';
import { armExactly, ladderTimers, sentStepKeys } from '../../workflow/ladder-timers.js';
import { businessManagerIds } from '../../workflow/owners.js';
import { riskSubject, riskTimerKind, riskTimerPrefix, type DisputePolicy, type RiskView } from './model.js';
import { riskReminderCard } from './risk-cards.js';
import { riskLadder, type RiskReminderKind } from './risk-policy.js';
import { isActiveMember } from './risk-repository.js';

/**
 * Makes a risk's pending timers exactly what its state calls for now: the ladder's steps up to its review date while it
 * is open (those already sent left out), nothing once it is closed. A moved review date gives new step keys, so the
 * old date's timers are cancelled. Returns every timer id touched, to sync after commit.
 */
export async function armRiskReminders(tx: Tx, risk: Pick<RiskView, 'id' | 'reviewOn' | 'status'>, policy: Pick<DisputePolicy, 'sendAt' | 'riskRegister'>, calendar: WorkingCalendar, now: DateTime): Promise<string[]> {
  const prefix = riskTimerPrefix(risk.id);
  const alreadySent = await sentStepKeys(tx, prefix);
  const steps = ladderSteps({ dueOn: risk.reviewOn }, riskLadder(policy), calendar, {
    now,
    state: risk.status === 'open' ? 'open' : 'settled',
    startedAt: now,
    alreadySent,
  });
  return armExactly(tx, risk.id, ladderTimers(prefix, riskTimerKind, steps, alreadySent), now);
}

/** The step key behind a timer key, e.g. `before:5@2027-03-15`. */
export function riskStepKeyOf(timerKey: string, riskId: string): string {
  return timerKey.slice(riskTimerPrefix(riskId).length);
}

const wording: Record<RiskReminderKind, string> = {
  before: 'a reminder before the review date',
  due: 'the review-day reminder',
  chase: 'an overdue review reminder',
};

/** Sends one step of a risk's ladder to its owner (to the business manager when the owner has left the partnership). */
export async function sendRiskReminder(tx: Tx, fx: Effects, platforms: EnabledPlatforms, risk: RiskView, kind: RiskReminderKind, stepKey: string, calendar: WorkingCalendar, now: DateTime): Promise<void> {
  const ownerHere = await isActiveMember(tx, risk.partnershipId, risk.owner.id);
  const recipients = ownerHere ? [risk.owner.id] : await businessManagerIds(tx, risk.partnershipId);
  const message = riskReminderCard(risk, kind, now, calendar);
  const baseKey = `${riskSubject(risk.id)}:${stepKey}`;
  const about = `${wording[kind]} for risk #${risk.number}`;
  fx.outbox(await notifyMembers(tx, recipients.map((memberId) => ({ memberId, partnershipId: risk.partnershipId, key: `${baseKey}:${memberId}`, message, subjectKey: riskSubject(risk.id), about })), platforms));
  await recordAudit(tx, {
    partnershipId: risk.partnershipId,
    actor: 'scheduler',
    action: 'disputes.risk.reminder.sent',
    subjectType: 'risk',
    subjectId: risk.id,
    data: { number: risk.number, reminder: stepKey, kind, recipients: recipients.length, ownerLeft: !ownerHere, at: now.toUTC().toISO() },
  });
}
