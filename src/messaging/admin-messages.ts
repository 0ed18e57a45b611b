import { adminRoles } from '../directory/roles.js';
import type { Tx } from '../store/db.js';
import type { Message } from './message.js';
import { enqueueOutbound } from './outbox.js';
import { memberTargets, type EnabledPlatforms } from './recipients.js';

/**
 * Writes `message` to every active admin (business manager or admin) of a partnership who can be reached, each under
 * its own idempotency key; returns the outbox ids (none when no admin can be reached).
 */
export async function enqueueForAdmins(
  tx: Tx,
  partnershipId: string,
  platforms: EnabledPlatforms,
  keyFor: (memberId: string) => string,
  message: Message,
): Promise<string[]> {
  const admins = await tx.roleAssignment.findMany({
    where: { partnershipId, active: true, role: { in: [...adminRoles] }, member: { active: true } },
    select: { memberId: true },
    distinct: ['memberId'],
  });
  const targets = await memberTargets(tx, admins.map((a) => a.memberId), platforms);
  const ids: string[] = [];
  for (const admin of admins) {
    const target = targets.get(admin.memberId);
    if (target) ids.push(await enqueueOutbound(tx, { key: keyFor(admin.memberId), partnershipId, target, message }));
  }
  return ids;
}
