import { adminRoles } from './roles.js';

// Who is talking to the bot: platform identities resolved to partnership members.

export type PlatformName = 'slack' | 'teams';

export type PlatformIdentity =
  | { platform: 'slack'; userId: string; teamId?: string }
  | { platform: 'teams'; userId: string; aadObjectId?: string; tenantId?: string };

export interface RoleHeld {
  role: string;
  /** '' for partnership-wide, `group:<key>` or `agency:<key>` for scoped roles. */
  scopeKey: string;
  scopeName?: string;
}

export interface MemberProfile {
  memberId: string;
  /** The member's key in the partnership file. */
  memberKey?: string;
  partnershipId: string;
  partnershipSlug: string;
  partnershipName: string;
  timezone: string;
  displayName: string;
  jobTitle?: string;
  email?: string;
  agency?: { id: string; key: string; name: string };
  roles: RoleHeld[];
  groups: { id: string; key: string; name: string; kind: string; position: string }[];
  slackUserId?: string;
  teamsAadObjectId?: string;
}

/** Business managers and admins run the partnership: they may change anything and hear about problems. */
export function isPartnershipAdmin(profile: MemberProfile): boolean {
  return profile.roles.some((r) => (adminRoles as readonly string[]).includes(r.role));
}
