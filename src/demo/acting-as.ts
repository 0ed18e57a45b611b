// `demo as <role>`: the demo user acts as a real member of the partnership who holds that role, so a newcomer sees
// what an agency lead, a PRG member or a chair sees. Applied through the runtime's resolveMemberId hook.
import type { MemberIdResolver } from '../directory/member-lookup.js';
import type { PlatformIdentity } from '../directory/identity.js';
import { findMemberId } from '../directory/member-lookup.js';
import type { Db } from '../store/db.js';
import { clearDemoSetting, demoSettingKeys, readDemoSetting, writeDemoSetting } from './demo-settings.js';

interface Candidate {
  id: string;
  key: string;
  roles: { role: string }[];
  memberships: { position: string; group: { kind: string } }[];
}

interface DemoRole {
  label: string;
  /** Who fits; among those, the member holding the fewest other roles is shown, so whoami is about this role. */
  fits(member: Candidate): boolean;
}

const holds = (m: Candidate, role: string) => m.roles.some((r) => r.role === role);

export const demoRoles: Record<string, DemoRole> = {
  'business-manager': { label: 'business manager (you)', fits: (m) => holds(m, 'business_manager') },
  'agency-lead': { label: 'agency safeguarding lead', fits: (m) => holds(m, 'agency_lead') },
  'prg-member': { label: 'Practice Review Group member', fits: (m) => m.memberships.some((g) => g.group.kind === 'practice_review' && g.position === 'member') },
  chair: { label: 'independent chair', fits: (m) => holds(m, 'independent_chair') },
  'group-chair': { label: 'group chair', fits: (m) => holds(m, 'group_chair') },
  'partner-lead': { label: 'safeguarding partner lead', fits: (m) => holds(m, 'partner_lead') },
  signatory: { label: 'agency signatory', fits: (m) => holds(m, 'signatory') },
  member: { label: 'member with no special role', fits: (m) => m.roles.every((r) => r.role === 'member') },
};

export const demoRoleNames = Object.keys(demoRoles);

export interface ActingAs {
  memberId: string;
  role: string;
}

/** The member the demo signs in as: `demo-user` when the partnership has one, else its first business manager. */
export async function findHomeMemberId(db: Db, partnershipId: string): Promise<string | undefined> {
  const demoUser = await db.member.findFirst({ where: { partnershipId, key: 'demo-user', active: true }, select: { id: true } });
  if (demoUser) return demoUser.id;
  const manager = await db.member.findFirst({
    where: { partnershipId, active: true, roles: { some: { role: 'business_manager', active: true } } },
    orderBy: { key: 'asc' },
    select: { id: true },
  });
  return manager?.id;
}

/** A real member of the partnership who holds the role, or undefined when nobody does. */
export async function findMemberForRole(db: Db, partnershipId: string, role: string, homeMemberId: string): Promise<string | undefined> {
  const spec = demoRoles[role];
  if (!spec) return undefined;
  if (role === 'business-manager') return homeMemberId;
  const members: Candidate[] = await db.member.findMany({
    where: { partnershipId, active: true, id: { not: homeMemberId } },
    orderBy: { key: 'asc' },
    select: {
      id: true,
      key: true,
      roles: { where: { active: true }, select: { role: true } },
      memberships: { where: { active: true, group: { active: true } }, select: { position: true, group: { select: { kind: true } } } },
    },
  });
  const fitting = members.filter((m) => spec.fits(m));
  // Among equals, one who chairs the executive first: `demo as chair` should be the chair who decides (disputes).
  const chairsExecutive = (m: Candidate) => (m.memberships.some((g) => g.position === 'chair' && g.group.kind === 'executive') ? 1 : 0);
  fitting.sort((a, b) => a.roles.length - b.roles.length || chairsExecutive(b) - chairsExecutive(a) || a.key.localeCompare(b.key));
  return fitting[0]?.id;
}

export async function readActingAs(db: Db): Promise<ActingAs | undefined> {
  return readDemoSetting<ActingAs>(db, demoSettingKeys.actingAs);
}

export async function saveActingAs(db: Db, acting: ActingAs | undefined): Promise<void> {
  if (acting) await writeDemoSetting(db, demoSettingKeys.actingAs, acting);
  else await clearDemoSetting(db, demoSettingKeys.actingAs);
}

/**
 * Resolves the demo user to the member they act as. Anyone else resolves as usual. `homeIdentity` is how the
 * Playground's signed-in user appears (its AAD object id), for partnerships whose business manager has no Teams id.
 */
export function actingResolver(getDb: () => Db, homeMemberId: () => string | undefined, homeAadObjectId: string): MemberIdResolver {
  return async (identity: PlatformIdentity) => {
    const db = getDb();
    const home = homeMemberId();
    const real = (await findMemberId(db, identity)) ?? (identity.platform === 'teams' && identity.aadObjectId === homeAadObjectId ? home : undefined);
    if (!real || real !== home) return real;
    const acting = await readActingAs(db);
    return acting?.memberId ?? real;
  };
}
