import type { MemberProfile } from '../../directory/identity.js';
import { isPartnershipAdmin } from '../../directory/identity.js';
import { isOwner } from '../../workflow/owners.js';
import type { CycleRow, StageRow } from './stage-row.js';

export const isAdmin = isPartnershipAdmin;

/** Admins start cycles. */
export function canStartCycle(profile: MemberProfile): boolean {
  return isAdmin(profile);
}

/** Only admins and the cycle's lead may change a cycle (move, pause, resume, cancel). */
export function canChangeCycle(profile: MemberProfile, cycle: CycleRow): boolean {
  return profile.partnershipId === cycle.partnershipId && (isAdmin(profile) || cycle.leadMemberId === profile.memberId);
}

/** A stage's owners, the cycle's lead and admins may mark it done, snooze it or ask for more time. */
export function canActOnStage(profile: MemberProfile, cycle: CycleRow, stage: StageRow): boolean {
  return canChangeCycle(profile, cycle) || (profile.partnershipId === cycle.partnershipId && isOwner(profile, stage.owner));
}

/**
 * A request for more time is decided by the member it was sent to, the chair of the stage's escalation group, the
 * partnership's independent chair (who holds every group's work to account), or an admin (business managers are
 * admins). Nobody but an admin decides their own request.
 */
export function mayDecideExtension(profile: MemberProfile, request: { approverId: string | null; requestedById: string }, stage: StageRow): boolean {
  if (isAdmin(profile)) return true;
  if (request.requestedById === profile.memberId) return false;
  if (profile.roles.some((r) => r.role === 'independent_chair')) return true;
  const group = stage.reminders.escalationGroup;
  return request.approverId === profile.memberId || (Boolean(group) && profile.groups.some((g) => g.key === group && g.position === 'chair'));
}
