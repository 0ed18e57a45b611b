import type { Db, Tx } from '../../store/db.js';
import { businessManagerIds } from '../../workflow/owners.js';
import type { ChairIds, DisputePolicy } from './model.js';
import { disputePolicy } from './schema.js';

type Reader = Tx | Db;

/**
 * Who chairs disputes: the policy's chair, else the partnership's independent chair, else its business manager; the
 * deputy only when the policy names one.
 */
export async function chairIdsOf(tx: Reader, partnershipId: string, policy: Pick<DisputePolicy, 'chairKey' | 'deputyKey'>): Promise<ChairIds> {
  const byKey = async (key: string | undefined) =>
    key ? (await tx.member.findFirst({ where: { partnershipId, key, active: true }, select: { id: true } }))?.id : undefined;
  let chairId = await byKey(policy.chairKey);
  if (!chairId) {
    const independent = await tx.roleAssignment.findFirst({ where: { partnershipId, role: 'independent_chair', active: true, member: { active: true } }, select: { memberId: true }, orderBy: { createdAt: 'asc' } });
    chairId = independent?.memberId ?? (await businessManagerIds(tx, partnershipId))[0];
  }
  return { chairId, deputyId: await byKey(policy.deputyKey) };
}

/** The partnership's dispute policy, from its stored `disputes:` section (defaults where the file says nothing). */
export async function policyOf(tx: Reader, partnershipId: string): Promise<DisputePolicy> {
  return disputePolicy((await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { sections: true } })).sections);
}
