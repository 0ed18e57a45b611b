import { recordAudit } from '../core/audit.js';
import type { Refusal } from '../core/errors.js';
import type { MemberProfile, PlatformIdentity } from '../directory/identity.js';
import type { Db } from '../store/db.js';

/**
 * Records that someone was refused for who they are (their role, not a member, an id that is not theirs to use): an
 * `access.refused` audit row with who asked (member and platform identity), what (a command name, button or form id),
 * the subject and the reason. Never what was typed. Written outside the refused change's transaction, which rolled back.
 */
export async function auditRefusal(db: Db, request: { identity: PlatformIdentity; profile?: MemberProfile; what: string; refusal: Refusal }): Promise<void> {
  const { identity, profile, what, refusal } = request;
  const workspace = identity.platform === 'slack' ? { teamId: identity.teamId ?? null } : { tenantId: identity.tenantId ?? null, aadObjectId: identity.aadObjectId ?? null };
  await recordAudit(db, {
    partnershipId: profile?.partnershipId ?? null,
    actorMemberId: profile?.memberId ?? null,
    actor: profile?.displayName ?? `${identity.platform} user who is not a member`,
    action: 'access.refused',
    subjectType: refusal.subjectType ?? 'none',
    subjectId: refusal.subjectId ?? '',
    data: { platform: identity.platform, userId: identity.userId, ...workspace, what, reason: refusal.reason },
  });
}
