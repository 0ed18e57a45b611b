// Partnership admins' tools. For now: the messages the bot could not deliver (dead letters), and retrying them.
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import { adminRoles } from '../../directory/roles.js';

export const adminButtons = { retry: 'admin.failed.retry', retryAll: 'admin.failed.retry-all' } as const;

/** Dead letters listed by `admin failed`; the rest are counted ("and 4 more") and retried by "Retry all". */
export const MAX_LISTED = 10;

export const ADMIN_AUDIENCE = adminRoles;

export const ONLY_ADMINS = "Only the partnership's business managers and admins can use `admin` commands.";

export function canAdminister(profile: MemberProfile | undefined): profile is MemberProfile {
  return profile !== undefined && isPartnershipAdmin(profile);
}
