import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Message } from '../../messaging/message.js';
import type { Db, Tx } from '../../store/db.js';
import { enqueueOutbound, updateCardsAbout } from '../../messaging/outbox.js';
import { groupChannelTargets, notifyMembers } from '../../messaging/recipients.js';
import { businessManagerIds } from '../../workflow/owners.js';
import { chairCard, partyCard } from './cards.js';
import { disputeSubject, type DisputeView } from './model.js';
import { disputeTimeline } from './repository.js';
import type { DisputeScope } from './scope.js';

/** Both parties get `message` (once per `key`); cards sent are updated in place later. */
export async function tellParties(scope: DisputeScope, d: DisputeView, key: string, message: Message, about: string, only?: string): Promise<void> {
  const ids = only ? [only] : [d.raisedBy.id, d.otherParty.id];
  scope.fx.outbox(await notifyMembers(scope.tx, ids.map((memberId) => ({
    memberId, partnershipId: d.partnershipId, key: `${disputeSubject(d.id)}:${key}:${memberId}`, message, subjectKey: disputeSubject(d.id), about,
  })), scope.platforms));
}

/** The chair's card as the dispute stands, with its whole history read now. */
export async function chairCardNow(db: Tx | Db, d: DisputeView, now: DateTime, calendar: WorkingCalendar, heading: string, forManager = false): Promise<Message> {
  return chairCard(d, await disputeTimeline(db, d.id), now, calendar, heading, forManager);
}

export type ChairAudience = 'chair' | 'deputy' | 'business-manager';

/** Who hears a chair ping: the chair holding the dispute, the policy's deputy, or the business managers. */
export async function chairAudience(scope: DisputeScope, d: DisputeView, audience: ChairAudience): Promise<string[]> {
  if (audience === 'chair') return d.chair ? [d.chair.id] : await businessManagerIds(scope.tx, d.partnershipId);
  if (audience === 'deputy') return scope.chairs.deputyId ? [scope.chairs.deputyId] : [];
  return businessManagerIds(scope.tx, d.partnershipId);
}

/** The chair's card (full history and actions) to these members; its copies are updated as the dispute moves. */
export async function tellChair(scope: DisputeScope, d: DisputeView, memberIds: string[], key: string, heading: string, forManager = false): Promise<void> {
  const card = await chairCardNow(scope.tx, d, scope.now, scope.calendar, heading, forManager);
  scope.fx.outbox(await notifyMembers(scope.tx, memberIds.map((memberId) => ({
    memberId, partnershipId: d.partnershipId, key: `${disputeSubject(d.id)}:${key}:${memberId}`, message: card, subjectKey: chairSubject(d.id), about: `dispute #${d.number} at the chair's stage`,
  })), scope.platforms));
}

export const chairSubject = (disputeId: string) => `${disputeSubject(disputeId)}:chair`;

/** The executive's channel (when the policy names one) hears that a dispute reached the chair, with the full card. */
export async function alertExecutive(scope: DisputeScope, d: DisputeView): Promise<void> {
  if (!scope.policy.executiveGroup) return;
  const group = await scope.tx.group.findFirst({ where: { partnershipId: d.partnershipId, key: scope.policy.executiveGroup }, select: { id: true } });
  if (!group) return;
  const card = await chairCardNow(scope.tx, d, scope.now, scope.calendar, `Dispute #${d.number} has reached the chair.`);
  const targets = await groupChannelTargets(scope.tx, group.id, scope.platforms);
  for (const [i, target] of targets.entries()) {
    scope.fx.outbox([await enqueueOutbound(scope.tx, { key: `${chairSubject(d.id)}:executive:${d.stageIndex}:${i}`, partnershipId: d.partnershipId, target, message: card, subjectKey: chairSubject(d.id) })]);
  }
}

/** Every copy of the parties' and the chair's cards now shows the dispute as it stands. `version` names the change. */
export async function refreshCards(scope: DisputeScope, d: DisputeView, version: string): Promise<void> {
  scope.fx.outbox(await updateCardsAbout(scope.tx, disputeSubject(d.id), version, partyCard(d, scope.now, scope.calendar)));
  const heading = d.status === 'open' ? `Dispute #${d.number} is with the chair.` : `Dispute #${d.number} is settled.`;
  scope.fx.outbox(await updateCardsAbout(scope.tx, chairSubject(d.id), version, await chairCardNow(scope.tx, d, scope.now, scope.calendar, heading)));
}
