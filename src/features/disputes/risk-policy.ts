// The risk register's rules: who may do what, how reviews are reminded, and the ids of its buttons and forms.
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { Ladder } from '../../workflow/ladder.js';
import type { DisputePolicy, RiskView } from './model.js';

/** Buttons on risk cards. `add` carries a dispute id (the dispute card's "Add to risk register"), or nothing. */
export const riskButtons = {
  add: 'disputes.risk.add',
  review: 'disputes.risk.review',
  close: 'disputes.risk.close',
  reopen: 'disputes.risk.reopen',
} as const;

export const riskFormIds = { add: 'disputes.risk-add', review: 'disputes.risk-review' } as const;

/** The standing agenda item's source key: one per review group. */
export const RISK_AGENDA_SOURCE = 'risk-register';
export const RISK_AGENDA_TITLE = 'Review the risk register (type `risks`)';

export type RiskReminderKind = 'before' | 'due' | 'chase';
export const RISK_REMINDER_KINDS: readonly string[] = ['before', 'due', 'chase'];

/** Reminders to the owner `remindBefore` working days before the review date and on it, and one chaser the working day after. */
export function riskLadder(policy: Pick<DisputePolicy, 'sendAt' | 'riskRegister'>): Ladder {
  return {
    sendAt: policy.sendAt,
    before: [policy.riskRegister.remindBefore],
    onStart: false,
    onDueDay: true,
    chaseEvery: null,
    levels: [{ kind: 'chase', audience: 'owner', who: 'the owner', after: { workingDays: 1 } }],
  };
}

const inGroup = (profile: MemberProfile, groupKey: string | undefined) => groupKey !== undefined && profile.groups.some((g) => g.key === groupKey);
const isIndependentChair = (profile: MemberProfile) => profile.roles.some((r) => r.role === 'independent_chair');

/** The owner, the business manager or an admin closes a risk (or undoes that). */
export function canCloseRisk(profile: MemberProfile, risk: Pick<RiskView, 'partnershipId' | 'owner'>): boolean {
  if (profile.partnershipId !== risk.partnershipId) return false;
  return profile.memberId === risk.owner.id || isPartnershipAdmin(profile);
}

/** The owner, the business manager, an admin, the independent chair and the review group (the Executive) record reviews. */
export function canReviewRisk(profile: MemberProfile, risk: Pick<RiskView, 'partnershipId' | 'owner'>, reviewGroup: string | undefined): boolean {
  if (profile.partnershipId !== risk.partnershipId) return false;
  return canCloseRisk(profile, risk) || isIndependentChair(profile) || inGroup(profile, reviewGroup);
}

/** The whole register, closed entries included, goes to the business manager, admins, the independent chair and the review group. */
export function canExportRegister(profile: MemberProfile, reviewGroup: string | undefined): boolean {
  return isPartnershipAdmin(profile) || isIndependentChair(profile) || inGroup(profile, reviewGroup);
}

/** Who may export, in words, for a refusal. */
export function exportersInWords(reviewGroupName: string | undefined): string {
  return `the business manager, an admin, the independent chair${reviewGroupName ? ` or members of ${reviewGroupName}` : ''}`;
}
