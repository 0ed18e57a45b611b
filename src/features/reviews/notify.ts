import type { Message } from '../../messaging/message.js';
import { enqueueOutbound, updateCardsAbout } from '../../messaging/outbox.js';
import { groupChannelTargets, notifyMembers } from '../../messaging/recipients.js';
import { agencyCard, channelAlert, decisionCard, groupCard, leadCard, privateTo, receiptCard } from './cards.js';
import { reviewClocks } from './clocks.js';
import { groupCardSubject, reviewSubject, type ReviewView } from './model.js';
import { groupMemberIds } from './people.js';
import type { ReviewScope } from './scope.js';

export const receiptSubject = (id: string) => `${reviewSubject(id)}:receipt`;
export const decisionSubject = (id: string) => `${reviewSubject(id)}:decision`;
export const leadSubject = (id: string) => `${reviewSubject(id)}:lead`;
export const agencySubject = (id: string, agencyId: string) => `${reviewSubject(id)}:agency:${agencyId}`;

/** The group's members with their names, for "acknowledged / not yet". */
export async function groupMembers(scope: ReviewScope, r: Pick<ReviewView, 'partnershipId' | 'groupKey'>): Promise<{ id: string; name: string }[]> {
  const ids = await groupMemberIds(scope.tx, r.partnershipId, r.groupKey);
  const rows = await scope.tx.member.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' } });
  return rows.map((m) => ({ id: m.id, name: m.displayName }));
}

/** The group's card as the review stands, private to its members. */
export async function groupCardNow(scope: ReviewScope, r: ReviewView, heading: string): Promise<Message> {
  const members = await groupMembers(scope, r);
  return privateTo(members.map((m) => m.id), groupCard(r, members, scope.now, scope.calendar, heading));
}

async function send(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, subjectKey: string, about: string, card: (memberId: string) => Message): Promise<void> {
  scope.fx.outbox(await notifyMembers(scope.tx, [...new Set(memberIds)].map((memberId) => ({
    memberId, partnershipId: r.partnershipId, key: `${reviewSubject(r.id)}:${key}:${memberId}`, message: card(memberId), subjectKey, about,
  })), scope.platforms));
}

/** Each member of the group (or only these of them) gets the full card in their own chat; nobody else does. */
export async function tellGroup(scope: ReviewScope, r: ReviewView, key: string, heading: string, only?: readonly string[]): Promise<void> {
  const card = await groupCardNow(scope, r, heading);
  const ids = only ? card.audience!.memberIds.filter((id) => only.includes(id)) : card.audience!.memberIds;
  await send(scope, r, ids, key, groupCardSubject(r.id), `review #${r.number} for the group`, () => card);
}

/** The group's channel: a short alert with the case reference and the clocks only. */
export async function alertGroupChannel(scope: ReviewScope, r: ReviewView): Promise<void> {
  const group = await scope.tx.group.findFirst({ where: { partnershipId: r.partnershipId, key: r.groupKey }, select: { id: true } });
  if (!group) return;
  const alert = channelAlert(r, scope.now, scope.calendar);
  for (const [i, target] of (await groupChannelTargets(scope.tx, group.id, scope.platforms)).entries()) {
    scope.fx.outbox([await enqueueOutbound(scope.tx, { key: `${reviewSubject(r.id)}:channel:${i}`, partnershipId: r.partnershipId, target, message: alert })]);
  }
}

/** The receipt (clocks, never the summary) to these members: the notifier, and who is reminded of the clocks. */
export async function tellReceipt(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, heading: string): Promise<void> {
  await send(scope, r, memberIds, key, receiptSubject(r.id), `review #${r.number}'s clocks`, (id) => privateTo([id], receiptCard(r, scope.now, scope.calendar, heading)));
}

export async function tellDeciders(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, heading: string): Promise<void> {
  await send(scope, r, memberIds, key, decisionSubject(r.id), `the decision on review #${r.number}`, (id) => privateTo([id], decisionCard(r, scope.now, scope.calendar, heading)));
}

export async function tellJointChairs(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, heading: string): Promise<void> {
  await send(scope, r, memberIds, key, leadSubject(r.id), `which process leads review #${r.number}`, (id) => privateTo([id], leadCard(r, heading)));
}

export async function tellAgencyLeads(scope: ReviewScope, r: ReviewView, agencyId: string, leadIds: readonly string[], key: string, heading: string): Promise<void> {
  const dueOn = reviewClocks(r, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn;
  if (!dueOn) return;
  await send(scope, r, leadIds, key, agencySubject(r.id, agencyId), `a chronology for review #${r.number}`, (id) => privateTo([id], agencyCard(r, agencyId, dueOn, scope.calendar, heading)));
}

/** Every copy of every card about the review now shows it as it stands. `version` names the change. */
export async function refreshCards(scope: ReviewScope, r: ReviewView, version: string): Promise<void> {
  const heading = r.status === 'open' ? `Review #${r.number}: case ${r.caseRef}.` : `Review #${r.number} is decided.`;
  const ids: string[] = [];
  ids.push(...(await updateCardsAbout(scope.tx, groupCardSubject(r.id), version, await groupCardNow(scope, r, heading))));
  // Each copy was sent private to the one member who holds it: its update is for them alone too.
  const holders = async (subjectKey: string) => {
    const posts = await scope.tx.outboxMessage.findMany({ where: { subjectKey, operation: 'post' }, select: { payload: true } });
    return [...new Set(posts.flatMap((p) => (p.payload as { message?: Message }).message?.audience?.memberIds ?? []))];
  };
  const receiptHolders = await holders(receiptSubject(r.id));
  if (receiptHolders.length) ids.push(...(await updateCardsAbout(scope.tx, receiptSubject(r.id), version, privateTo(receiptHolders, receiptCard(r, scope.now, scope.calendar, heading)))));
  const deciders = await holders(decisionSubject(r.id));
  if (deciders.length) ids.push(...(await updateCardsAbout(scope.tx, decisionSubject(r.id), version, privateTo(deciders, decisionCard(r, scope.now, scope.calendar, r.status === 'open' ? `Review #${r.number} is waiting for a decision.` : heading)))));
  const chairs = await holders(leadSubject(r.id));
  if (chairs.length && r.jointWith) ids.push(...(await updateCardsAbout(scope.tx, leadSubject(r.id), version, privateTo(chairs, leadCard(r, r.leadProcess ? 'The chairs have agreed which process leads.' : 'Which process leads this joint case?')))));
  const dueOn = reviewClocks(r, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn;
  for (const a of r.agencies) {
    const leads = await holders(agencySubject(r.id, a.agencyId));
    if (leads.length && dueOn) ids.push(...(await updateCardsAbout(scope.tx, agencySubject(r.id, a.agencyId), version, privateTo(leads, agencyCard(r, a.agencyId, dueOn, scope.calendar, `Confirm ${a.name}'s chronology for case ${r.caseRef} was sent.`)))));
  }
  scope.fx.outbox(ids);
}
