import type { Db, Tx } from '../store/db.js';
import type { MemberProfile, PlatformIdentity } from './identity.js';

type Reader = Db | Tx;

/** Finds the active member behind a platform identity, preferring the partnership bound to that workspace or tenant. */
export async function findMemberId(db: Reader, identity: PlatformIdentity): Promise<string | undefined> {
  if (identity.platform === 'slack') {
    const candidates = await db.member.findMany({
      where: { slackUserId: identity.userId, active: true },
      select: { id: true, partnership: { select: { slackTeamId: true, name: true } } },
    });
    return pickPreferred(candidates, (c) => c.partnership.slackTeamId === identity.teamId)?.id;
  }
  if (!identity.aadObjectId) return undefined;
  const candidates = await db.member.findMany({
    where: { teamsAadObjectId: identity.aadObjectId, active: true },
    select: { id: true, partnership: { select: { teamsTenantId: true, name: true } } },
  });
  return pickPreferred(candidates, (c) => c.partnership.teamsTenantId === identity.tenantId)?.id;
}

function pickPreferred<T extends { partnership: { name: string } }>(candidates: T[], preferred: (c: T) => boolean): T | undefined {
  const sorted = [...candidates].sort((a, b) => a.partnership.name.localeCompare(b.partnership.name));
  return sorted.find(preferred) ?? sorted[0];
}

export async function loadMemberProfile(db: Reader, memberId: string): Promise<MemberProfile | undefined> {
  const m = await db.member.findUnique({
    where: { id: memberId },
    include: {
      partnership: true,
      agency: true,
      roles: { where: { active: true }, include: { group: true, agency: true } },
      memberships: { where: { active: true, group: { active: true } }, include: { group: true } },
    },
  });
  if (!m || !m.active) return undefined;
  return {
    memberId: m.id,
    memberKey: m.key,
    partnershipId: m.partnershipId,
    partnershipSlug: m.partnership.slug,
    partnershipName: m.partnership.name,
    timezone: m.partnership.timezone,
    displayName: m.displayName,
    jobTitle: m.jobTitle ?? undefined,
    email: m.email ?? undefined,
    agency: m.agency ? { id: m.agency.id, key: m.agency.key, name: m.agency.name } : undefined,
    roles: m.roles
      .map((r) => ({ role: r.role, scopeKey: r.scopeKey, scopeName: r.group?.name ?? r.agency?.name }))
      .sort((a, b) => a.role.localeCompare(b.role) || a.scopeKey.localeCompare(b.scopeKey)),
    groups: m.memberships
      .map((gm) => ({ id: gm.group.id, key: gm.group.key, name: gm.group.name, kind: gm.group.kind, position: gm.position }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    slackUserId: m.slackUserId ?? undefined,
    teamsAadObjectId: m.teamsAadObjectId ?? undefined,
  };
}

/** Maps a platform identity to a member id; the demo swaps in one that lets a person act as another role. */
export type MemberIdResolver = (identity: PlatformIdentity) => Promise<string | undefined>;

/** Who is asking: the profile behind an identity (through the demo's resolver when one is given). */
export function profileLoader(db: Reader, resolveMemberId?: MemberIdResolver): (identity: PlatformIdentity) => Promise<MemberProfile | undefined> {
  const resolve = resolveMemberId ?? ((identity: PlatformIdentity) => findMemberId(db, identity));
  return async (identity) => {
    const memberId = await resolve(identity);
    return memberId ? loadMemberProfile(db, memberId) : undefined;
  };
}

/** Business managers and admins of the partnership bound to a workspace or tenant, for "how to be added" answers. */
export async function partnershipContactsFor(db: Reader, identity: PlatformIdentity): Promise<{ partnershipName: string; contacts: string[] } | undefined> {
  const partnership = await db.partnership.findFirst({
    where: identity.platform === 'slack' ? { slackTeamId: identity.teamId ?? '__none__' } : { teamsTenantId: identity.tenantId ?? '__none__' },
  });
  if (!partnership) return undefined;
  const managers = await db.roleAssignment.findMany({
    where: { partnershipId: partnership.id, active: true, role: { in: ['business_manager', 'admin'] }, member: { active: true } },
    include: { member: true },
    orderBy: { role: 'asc' },
  });
  const contacts = [...new Set(managers.map((r) => r.member.displayName + (r.member.email ? ` (${r.member.email})` : '')))];
  return { partnershipName: partnership.name, contacts };
}
