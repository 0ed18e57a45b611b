import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { Db, Tx } from '../../store/db.js';
import { businessManagerIds, groupChairId, ownerMemberIds } from '../../workflow/owners.js';
import type { ReviewPolicy, ReviewType, ReviewView } from './model.js';
import { reviewPolicy } from './schema.js';

type Reader = Tx | Db;

export async function reviewPolicyOf(tx: Reader, partnershipId: string): Promise<ReviewPolicy> {
  return reviewPolicy((await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { sections: true } })).sections);
}

/** The group a type is routed to: the one the policy names, else the partnership's practice-review group. */
export async function groupFor(tx: Reader, partnershipId: string, policy: ReviewPolicy, type: ReviewType): Promise<{ id: string; key: string; name: string } | undefined> {
  const key = policy.groups[type];
  return (await tx.group.findFirst({
    where: { partnershipId, active: true, ...(key ? { key } : { kind: 'practice_review' }) },
    select: { id: true, key: true, name: true },
    orderBy: { createdAt: 'asc' },
  })) ?? undefined;
}

/** The group's active members: the only people who get the details. */
export async function groupMemberIds(tx: Reader, partnershipId: string, groupKey: string): Promise<string[]> {
  return ownerMemberIds(tx, partnershipId, { kind: 'group', group: groupKey });
}

/** The group's chair, else its vice-chair. */
export async function groupLeadId(tx: Reader, partnershipId: string, groupKey: string): Promise<string | undefined> {
  const chair = await groupChairId(tx, partnershipId, groupKey);
  if (chair) return chair;
  const vice = await tx.groupMembership.findFirst({ where: { position: 'vice_chair', active: true, member: { active: true }, group: { partnershipId, key: groupKey } }, select: { memberId: true } });
  return vice?.memberId;
}

/** Who hears an escalation after the group's chair: the policy's members, else the independent chair, else the business manager. */
export async function escalationIds(tx: Reader, partnershipId: string, policy: ReviewPolicy): Promise<string[]> {
  if (policy.escalateTo.length > 0) return ownerMemberIds(tx, partnershipId, { kind: 'members', members: policy.escalateTo });
  const chairs = await ownerMemberIds(tx, partnershipId, { kind: 'role', role: 'independent_chair' });
  return chairs.length > 0 ? chairs : businessManagerIds(tx, partnershipId);
}

/** Who decides a type: the policy's owner, else the independent chair, else the business manager. */
export async function deciderIds(tx: Reader, partnershipId: string, policy: ReviewPolicy, type: ReviewType): Promise<string[]> {
  const owner = policy.decidedBy[type];
  if (owner) {
    const ids = await ownerMemberIds(tx, partnershipId, owner);
    if (ids.length > 0) return ids;
  }
  const chairs = await ownerMemberIds(tx, partnershipId, { kind: 'role', role: 'independent_chair' });
  return chairs.length > 0 ? chairs : businessManagerIds(tx, partnershipId);
}

/** In a joint case, the chairs who agree which process leads: the policy's, else the chairs of both types' groups. */
export async function jointChairIds(tx: Reader, partnershipId: string, policy: ReviewPolicy, r: Pick<ReviewView, 'type' | 'jointWith' | 'groupKey'>): Promise<string[]> {
  if (!r.jointWith) return [];
  if (policy.jointChairs.length > 0) return ownerMemberIds(tx, partnershipId, { kind: 'members', members: policy.jointChairs });
  const other = await groupFor(tx, partnershipId, policy, r.jointWith);
  const ids = [await groupLeadId(tx, partnershipId, r.groupKey), other ? await groupLeadId(tx, partnershipId, other.key) : undefined];
  const distinct = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  // One group handles both processes: its chair and the independent chair agree.
  return distinct.length > 1 ? distinct : [...new Set([...distinct, ...(await escalationIds(tx, partnershipId, policy))])];
}

/** The agency's safeguarding leads: who confirms its chronology was sent. */
export async function agencyLeadIds(tx: Reader, partnershipId: string, agencyId: string): Promise<string[]> {
  const rows = await tx.roleAssignment.findMany({ where: { partnershipId, agencyId, role: 'agency_lead', active: true, member: { active: true } }, select: { memberId: true }, distinct: ['memberId'] });
  return rows.map((r) => r.memberId);
}

/** The group's chair and the business managers, each once: who is reminded of the clocks. */
export async function clockKeepers(tx: Reader, r: Pick<ReviewView, 'partnershipId' | 'groupKey'>): Promise<string[]> {
  const lead = await groupLeadId(tx, r.partnershipId, r.groupKey);
  return [...new Set([...(lead ? [lead] : []), ...(await businessManagerIds(tx, r.partnershipId))])];
}

/** Only the members of the group a review was routed to see its details. */
export const inGroup = (profile: MemberProfile, r: Pick<ReviewView, 'partnershipId' | 'groupKey'>) =>
  profile.partnershipId === r.partnershipId && profile.groups.some((g) => g.key === r.groupKey);

/** Runs the review for the group: its chair or vice-chair, or a business manager who is in the group. */
export const runsReview = (profile: MemberProfile, r: Pick<ReviewView, 'partnershipId' | 'groupKey'>) =>
  inGroup(profile, r) && (profile.groups.some((g) => g.key === r.groupKey && (g.position === 'chair' || g.position === 'vice_chair')) || isPartnershipAdmin(profile));
