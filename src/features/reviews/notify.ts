import type { Message } from '../../messaging/message.js';
import { enqueueOutbound, updateCardsAbout } from '../../messaging/outbox.js';
import { groupChannelTargets, notifyMembers } from '../../messaging/recipients.js';
import { agencyCard, channelAlert, decisionCard, groupCard, leadCard, privateTo, receiptCard } from './cards.js';
import { reviewClocks } from './clocks.js';
import { formatDay } from '../../core/day-format.js';
import { adminRoles } from '../../directory/roles.js';
import { groupCardSubject, reviewSubject, type ReviewView } from './model.js';
import { groupMemberIds } from './people.js';
import type { ReviewScope } from './scope.js';

export const receiptSubject = (id: string) => `${reviewSubject(id)}:receipt`;
export const decisionSubject = (id: string) => `${reviewSubject(id)}:decision`;
export const leadSubject = (id: string) => `${reviewSubject(id)}:lead`;
export const agencySubject = (id: string, agencyId: string) => `${reviewSubject(id)}:agency:${agencyId}`;

/** A member of the group as their own copy of its card sees it: whether they run the review (its buttons) or not. */
export interface GroupViewer {
  id: string;
  name: string;
  runs: boolean;
}

/** The group's active members, with names, and whether each runs the review (chair, vice-chair, business unit). */
export async function groupViewers(scope: ReviewScope, r: Pick<ReviewView, 'partnershipId' | 'groupKey'>): Promise<GroupViewer[]> {
  const ids = await groupMemberIds(scope.tx, r.partnershipId, r.groupKey);
  const rows = await scope.tx.member.findMany({
    where: { id: { in: ids } },
    select: {
      id: true, displayName: true,
      memberships: { where: { active: true, group: { key: r.groupKey } }, select: { position: true } },
      roles: { where: { active: true, role: { in: [...adminRoles] } }, select: { role: true } },
    },
    orderBy: { displayName: 'asc' },
  });
  return rows.map((m) => ({ id: m.id, name: m.displayName, runs: m.roles.length > 0 || m.memberships.some((g) => g.position === 'chair' || g.position === 'vice_chair') }));
}

/** One member's copy of the group's card: every copy has its own subject, so each keeps that member's buttons. */
export const groupCardSubjectFor = (reviewId: string, memberId: string) => `${groupCardSubject(reviewId)}:${memberId}`;

/** The group's card as the review stands, for one member of the group (private to them). */
export async function groupCardNow(scope: ReviewScope, r: ReviewView, heading: string, viewerId: string, viewers?: GroupViewer[]): Promise<Message> {
  const members = viewers ?? (await groupViewers(scope, r));
  const viewer = members.find((m) => m.id === viewerId);
  return privateTo([viewerId], groupCard(r, members, scope.now, scope.calendar, heading, viewer ? { id: viewer.id, runs: viewer.runs } : undefined));
}

async function send(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, subjectKey: string | ((memberId: string) => string) | undefined, about: string, card: (memberId: string) => Message): Promise<void> {
  scope.fx.outbox(await notifyMembers(scope.tx, [...new Set(memberIds)].map((memberId) => ({
    memberId, partnershipId: r.partnershipId, key: `${reviewSubject(r.id)}:${key}:${memberId}`, message: card(memberId),
    ...(subjectKey ? { subjectKey: typeof subjectKey === 'string' ? subjectKey : subjectKey(memberId) } : {}), about,
  })), scope.platforms));
}

/** Each member of the group (or only these of them) gets their copy of the full card in their own chat; nobody else does. */
export async function tellGroup(scope: ReviewScope, r: ReviewView, key: string, heading: string, only?: readonly string[]): Promise<void> {
  const viewers = await groupViewers(scope, r);
  const to = viewers.filter((v) => !only || only.includes(v.id));
  const cards = new Map<string, Message>();
  for (const v of to) cards.set(v.id, await groupCardNow(scope, r, heading, v.id, viewers));
  await send(scope, r, to.map((v) => v.id), key, (id) => groupCardSubjectFor(r.id, id), `review #${r.number} for the group`, (id) => cards.get(id)!);
}

/** A short private note to each member of the group (a decision made): a new message, never updated. */
export async function noticeGroup(scope: ReviewScope, r: ReviewView, key: string, text: string): Promise<void> {
  const ids = await groupMemberIds(scope.tx, r.partnershipId, r.groupKey);
  await send(scope, r, ids, key, undefined, `review #${r.number} for the group`, (id) => privateTo([id], { title: `Review #${r.number} · case ${r.caseRef}`, text, sections: [{ kind: 'text', text }] }));
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

/**
 * The clocks, never the summary, to these members. The notifier's receipt (`kept`) is updated as the review moves;
 * a reminder, an escalation or an invitation is a notice of its moment and keeps its words.
 */
export async function tellReceipt(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, heading: string, kept = false): Promise<void> {
  await send(scope, r, memberIds, key, kept ? receiptSubject(r.id) : undefined, `review #${r.number}'s clocks`, (id) => privateTo([id], receiptCard(r, scope.now, scope.calendar, heading)));
}

export async function tellDeciders(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, heading: string): Promise<void> {
  await send(scope, r, memberIds, key, decisionSubject(r.id), `the decision on review #${r.number}`, (id) => privateTo([id], decisionCard(r, scope.now, scope.calendar, heading)));
}

export async function tellJointChairs(scope: ReviewScope, r: ReviewView, memberIds: readonly string[], key: string, heading: string): Promise<void> {
  await send(scope, r, memberIds, key, leadSubject(r.id), `which process leads review #${r.number}`, (id) => privateTo([id], leadCard(r, heading)));
}

/** What an agency's lead is asked, the same words on every copy of its card. */
export const chronologyAsk = (r: Pick<ReviewView, 'caseRef'>, agencyName: string, dueOn: string, zone: string) =>
  `Please send ${agencyName}'s chronology or summary for case ${r.caseRef} to the business unit by the secure route by ${formatDay(dueOn, zone)}, then press Confirm sent.`;

export async function tellAgencyLeads(scope: ReviewScope, r: ReviewView, agencyId: string, leadIds: readonly string[], key: string, heading: string): Promise<void> {
  const dueOn = reviewClocks(r, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn;
  if (!dueOn) return;
  await send(scope, r, leadIds, key, agencySubject(r.id, agencyId), `a chronology for review #${r.number}`, (id) => privateTo([id], agencyCard(r, agencyId, dueOn, scope.calendar, heading)));
}

/** Every copy of every card about the review now shows it as it stands. `version` names the change. */
export async function refreshCards(scope: ReviewScope, r: ReviewView, version: string): Promise<void> {
  const heading = r.status === 'open' ? `Review #${r.number}: case ${r.caseRef}.` : `Review #${r.number} is decided.`;
  const ids: string[] = [];
  // Only the group's members now: a copy held by someone who has left the group is not brought up to date.
  const viewers = await groupViewers(scope, r);
  for (const v of viewers) ids.push(...(await updateCardsAbout(scope.tx, groupCardSubjectFor(r.id, v.id), version, await groupCardNow(scope, r, heading, v.id, viewers))));
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
    if (leads.length && dueOn) ids.push(...(await updateCardsAbout(scope.tx, agencySubject(r.id, a.agencyId), version, privateTo(leads, agencyCard(r, a.agencyId, dueOn, scope.calendar, chronologyAsk(r, a.name, dueOn, scope.calendar.zone))))));
  }
  scope.fx.outbox(ids);
}
