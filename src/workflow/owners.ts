import type { MemberProfile } from '../directory/identity.js';
import type { MemberRole } from '../directory/schema-primitives.js';
import type { Tx, Db } from '../store/db.js';

type Reader = Tx | Db;

/** Who does a piece of work: one group, everyone holding a partnership role, or named members (by member key). */
export type Owner =
  | { kind: 'group'; group: string }
  | { kind: 'role'; role: MemberRole }
  | { kind: 'members'; members: string[] };

/** The active members who own a piece of work: a group's members, everyone holding a role, or the named members. */
export async function ownerMemberIds(tx: Reader, partnershipId: string, owner: Owner): Promise<string[]> {
  if (owner.kind === 'group') {
    const rows = await tx.groupMembership.findMany({
      where: { active: true, member: { active: true }, group: { partnershipId, key: owner.group, active: true } },
      select: { memberId: true },
    });
    return rows.map((r) => r.memberId);
  }
  if (owner.kind === 'role') {
    const rows = await tx.roleAssignment.findMany({ where: { partnershipId, role: owner.role, active: true, member: { active: true } }, select: { memberId: true }, distinct: ['memberId'] });
    return rows.map((r) => r.memberId);
  }
  const rows = await tx.member.findMany({ where: { partnershipId, key: { in: owner.members }, active: true }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function describeOwner(tx: Reader, partnershipId: string, owner: Owner): Promise<string> {
  if (owner.kind === 'group') {
    const group = await tx.group.findFirst({ where: { partnershipId, key: owner.group }, select: { name: true } });
    return group?.name ?? owner.group;
  }
  if (owner.kind === 'role') return `Every ${owner.role.replace(/_/g, ' ')}`;
  const members = await tx.member.findMany({ where: { partnershipId, key: { in: owner.members } }, select: { displayName: true } });
  return members.map((m) => m.displayName).join(', ') || owner.members.join(', ');
}

/** Whether this member is one of the owners. */
export function isOwner(profile: MemberProfile, owner: Owner): boolean {
  if (owner.kind === 'group') return profile.groups.some((g) => g.key === owner.group);
  if (owner.kind === 'role') return profile.roles.some((r) => r.role === owner.role);
  return owner.members.includes(memberKeyOf(profile));
}

function memberKeyOf(profile: MemberProfile): string {
  return profile.memberKey ?? '';
}

/** The chair of a group, if it has one. */
export async function groupChairId(tx: Reader, partnershipId: string, groupKey: string): Promise<string | undefined> {
  const row = await tx.groupMembership.findFirst({
    where: { position: 'chair', active: true, member: { active: true }, group: { partnershipId, key: groupKey } },
    select: { memberId: true },
  });
  return row?.memberId;
}

export async function businessManagerIds(tx: Reader, partnershipId: string): Promise<string[]> {
  const rows = await tx.roleAssignment.findMany({
    where: { partnershipId, role: { in: ['business_manager'] }, active: true, member: { active: true } },
    select: { memberId: true },
    distinct: ['memberId'],
  });
  if (rows.length > 0) return rows.map((r) => r.memberId);
  const admins = await tx.roleAssignment.findMany({ where: { partnershipId, role: 'admin', active: true, member: { active: true } }, select: { memberId: true }, distinct: ['memberId'] });
  return admins.map((r) => r.memberId);
}
