import type { Db, Tx } from '../store/db.js';
import type { MemberProfile, PlatformIdentity } from './identity.js';

type Reader = Db | Tx;

/**
 * Finds the active member behind a platform identity, only in the partnerships the request may act in (see
 * `partnershipsServing`). When one person is in two of those (two partnerships sharing a tenant), the first by name.
 */
export async function findMemberId(db: Reader, identity: PlatformIdentity): Promise<string | undefined> {
  if (identity.platform === 'teams' && !identity.aadObjectId) return undefined;
  const partnershipIds = await partnershipsServing(db, identity);
  if (partnershipIds.length === 0) return undefined;
  const candidates = await db.member.findMany({
    where: {
      partnershipId: { in: partnershipIds },
      active: true,
      ...(identity.platform === 'slack' ? { slackUserId: identity.userId } : { teamsAadObjectId: identity.aadObjectId }),
    },
    select: { id: true, partnership: { select: { name: true } } },
  });
  return candidates.sort((a, b) => a.partnership.name.localeCompare(b.partnership.name))[0]?.id;
}

/**
 * The partnerships a request may act in: those bound to its Slack workspace (`slackTeamId`) or Teams tenant
 * (`teamsTenantId`). A workspace or tenant bound to no partnership, or a request that names none, reaches only the
 * partnerships that bind none on that platform (a single-partnership install that never set its ids; the demo's
 * Playground tenant for a partnership with no tenant). So a partnership that binds its workspace is never reached from
 * another, and a request signed for workspace A never acts as a member of workspace B's partnership.
 */
async function partnershipsServing(db: Reader, identity: PlatformIdentity): Promise<string[]> {
  const asked = identity.platform === 'slack' ? identity.teamId : identity.tenantId;
  const field = identity.platform === 'slack' ? 'slackTeamId' : 'teamsTenantId';
  const bindings = await db.partnership.findMany({
    where: { OR: [{ [field]: null }, ...(asked ? [{ [field]: asked }] : [])] },
    select: { id: true, slackTeamId: true, teamsTenantId: true },
  });
  const bound = asked ? bindings.filter((p) => p[field] === asked) : [];
  return (bound.length > 0 ? bound : bindings.filter((p) => p[field] === null)).map((p) => p.id);
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
