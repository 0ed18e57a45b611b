import type { Tx } from '../../store/db.js';
import { memberTargets, type EnabledPlatforms } from '../../messaging/recipients.js';
import { businessManagerIds, groupChairId } from '../../workflow/owners.js';

/** Who decides a request for more time, and whether they can be told in chat now. */
export interface ExtensionApprover {
  /** The person asked (recorded on the request); absent when the partnership has nobody who could decide. */
  memberId?: string;
  name?: string;
  role: 'chair' | 'business manager';
  reachable: boolean;
  /** The chair, when they could not be reached and the request went to the business manager instead. */
  unreachableChair?: string;
}

async function nameOf(tx: Tx, memberId: string): Promise<string> {
  return (await tx.member.findUnique({ where: { id: memberId }, select: { displayName: true } }))?.displayName ?? 'a member';
}

/**
 * The chair of the stage's escalation group decides; when there is none (or they asked), or they cannot be reached in
 * chat, the first reachable business manager does. Nobody reachable: the chair (or a business manager) is still
 * recorded, and the request waits in `requests` for them.
 */
export async function chooseApprover(tx: Tx, partnershipId: string, escalationGroup: string | null | undefined, requesterId: string, platforms: EnabledPlatforms): Promise<ExtensionApprover> {
  const chairId = escalationGroup ? await groupChairId(tx, partnershipId, escalationGroup) : undefined;
  const chair = chairId && chairId !== requesterId ? chairId : undefined;
  const managers = (await businessManagerIds(tx, partnershipId)).filter((id) => id !== requesterId && id !== chair);
  const reachable = await memberTargets(tx, [...(chair ? [chair] : []), ...managers], platforms);
  if (chair && reachable.has(chair)) return { memberId: chair, name: await nameOf(tx, chair), role: 'chair', reachable: true };
  const manager = managers.find((id) => reachable.has(id));
  const unreachableChair = chair ? await nameOf(tx, chair) : undefined;
  if (manager) return { memberId: manager, name: await nameOf(tx, manager), role: 'business manager', reachable: true, unreachableChair };
  const fallback = chair ?? managers[0];
  return { memberId: fallback, name: fallback ? await nameOf(tx, fallback) : undefined, role: chair ? 'chair' : 'business manager', reachable: false };
}

/** What the requester is told: who decides, and whether they can be told now. Never claims a message went where it could not. */
export function approverSentence(approver: ExtensionApprover, groupName: string | undefined): string {
  const chairOf = groupName ? `chair of ${groupName}` : 'the chair';
  if (approver.reachable && approver.role === 'chair') return `Sent to ${approver.name} (${chairOf}) to decide.`;
  if (approver.reachable) {
    const why = approver.unreachableChair ? `${approver.unreachableChair} (${chairOf}) cannot be reached in chat yet, so it` : 'It';
    return `${why} went to ${approver.name}, the business manager, to decide.`;
  }
  const waits = 'so nothing was sent: the request waits in `requests` for the chair, the business manager or an admin.';
  if (!approver.name) return `Nobody who can decide can be reached in chat yet, ${waits}`;
  return `${approver.name} (${approver.role === 'chair' ? chairOf : 'the business manager'}) cannot be reached in chat yet, ${waits}`;
}
