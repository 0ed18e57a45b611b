// Who is who for a Section 11 round: an agency's leads (complete its return), its signatories (sign it off), its
// board representatives (hear when it is late), the moderating group and its chair, and the business unit.
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { Db, Tx } from '../../store/db.js';
import { businessManagerIds, groupChairId, ownerMemberIds } from '../../workflow/owners.js';
import type { ReturnView, S11Policy } from './model.js';

type Reader = Tx | Db;

const agencyRoleIds = async (tx: Reader, partnershipId: string, agencyId: string, role: 'agency_lead' | 'signatory') =>
  (await tx.roleAssignment.findMany({ where: { partnershipId, agencyId, role, active: true, member: { active: true } }, select: { memberId: true }, distinct: ['memberId'] })).map((r) => r.memberId);

/** The agency's safeguarding leads: who complete its return. */
export const leadIds = (tx: Reader, partnershipId: string, agencyId: string) => agencyRoleIds(tx, partnershipId, agencyId, 'agency_lead');

/** The agency's named signatories: who sign its return off (none named: its leads' return goes straight to the business unit). */
export const signatoryIds = (tx: Reader, partnershipId: string, agencyId: string) => agencyRoleIds(tx, partnershipId, agencyId, 'signatory');

/** The group that moderates: the one the file names, else the partnership's first quality-assurance group. */
export async function moderatingGroup(tx: Reader, partnershipId: string, key: string | undefined): Promise<{ key: string; name: string } | undefined> {
  return (await tx.group.findFirst({
    where: { partnershipId, active: true, ...(key ? { key } : { kind: 'quality_assurance' }) },
    select: { key: true, name: true },
    orderBy: { createdAt: 'asc' },
  })) ?? undefined;
}

/**
 * The agency's representatives on the board: members of the board group (the file's `boardGroup`, else the executive
 * and board groups) who belong to the agency; none there, its signatories.
 */
export async function boardRepIds(tx: Reader, partnershipId: string, agencyId: string, policy: Pick<S11Policy, 'boardGroup'>): Promise<string[]> {
  const rows = await tx.groupMembership.findMany({
    where: {
      active: true,
      member: { active: true, agencyId },
      group: { partnershipId, active: true, ...(policy.boardGroup ? { key: policy.boardGroup } : { kind: { in: ['executive', 'board'] } }) },
    },
    select: { memberId: true },
  });
  const ids = [...new Set(rows.map((r) => r.memberId))];
  return ids.length > 0 ? ids : signatoryIds(tx, partnershipId, agencyId);
}

/** The moderating group's chair and the business managers: the last rung of the chasing ladder. */
export async function chairAndBusinessManagerIds(tx: Reader, partnershipId: string, moderatedBy: string | undefined): Promise<string[]> {
  const group = await moderatingGroup(tx, partnershipId, moderatedBy);
  const chair = group ? await groupChairId(tx, partnershipId, group.key) : undefined;
  return [...new Set([...(chair ? [chair] : []), ...(await businessManagerIds(tx, partnershipId))])];
}

export const moderatorIds = async (tx: Reader, partnershipId: string, moderatedBy: string | undefined) => {
  const group = await moderatingGroup(tx, partnershipId, moderatedBy);
  return group ? ownerMemberIds(tx, partnershipId, { kind: 'group', group: group.key }) : [];
};

export const businessUnitIds = (tx: Reader, partnershipId: string) => businessManagerIds(tx, partnershipId);

const holds = (profile: MemberProfile, role: string, agencyKey: string) => profile.roles.some((r) => r.role === role && r.scopeKey === `agency:${agencyKey}`);

/** A safeguarding lead of the return's agency. */
export const leadsAgency = (profile: MemberProfile, r: Pick<ReturnView, 'agencyKey'>) => holds(profile, 'agency_lead', r.agencyKey);
export const signsForAgency = (profile: MemberProfile, r: Pick<ReturnView, 'agencyKey'>) => holds(profile, 'signatory', r.agencyKey);

/** A member of the moderating group (by key as resolved for the round). */
export const moderates = (profile: MemberProfile, groupKey: string | undefined) => groupKey !== undefined && profile.groups.some((g) => g.key === groupKey);

/** Business unit and the moderating group: they see every agency's return. */
export const seesAllReturns = (profile: MemberProfile, groupKey: string | undefined) => isPartnershipAdmin(profile) || moderates(profile, groupKey);

/** The agencies whose returns this member may see: every one for the business unit and moderators, else their own lead or signatory agencies. */
export function ownAgencyKeys(profile: MemberProfile): string[] {
  return [...new Set(profile.roles.filter((r) => (r.role === 'agency_lead' || r.role === 'signatory') && r.scopeKey.startsWith('agency:')).map((r) => r.scopeKey.slice('agency:'.length)))];
}
