// Who hears what about a return, privately in their own chat. Each person's copy of a return's card has its own
// subject, so a later change (submitted, signed off, sent back) redraws every copy they hold with the right buttons.
import type { Message } from '../../messaging/message.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import { notifyMembers } from '../../messaging/recipients.js';
import { feedbackCard, leadCard, privateTo, reviewerCard, signOffCard } from './cards.js';
import { returnCardSubject, signOffSubject, type ReturnView, type RoundView } from './model.js';
import { businessUnitIds, leadIds, moderatorIds, signatoryIds } from './people.js';
import { returnHistory } from './repository.js';
import type { S11Scope } from './scope.js';

export const reviewerSubject = (returnId: string, memberId: string) => `s11:${returnId}:review:${memberId}`;

async function send(scope: S11Scope, partnershipId: string, memberIds: readonly string[], key: string, subjectKey: ((memberId: string) => string) | undefined, about: string, card: (memberId: string) => Message): Promise<void> {
  scope.fx.outbox(await notifyMembers(scope.tx, [...new Set(memberIds)].map((memberId) => ({
    memberId, partnershipId, key: `${key}:${memberId}`, message: privateTo([memberId], card(memberId)),
    ...(subjectKey ? { subjectKey: subjectKey(memberId) } : {}), about,
  })), scope.platforms));
}

/** A short private note (not a card that changes later). */
export async function noticeTo(scope: S11Scope, partnershipId: string, memberIds: readonly string[], key: string, text: string, title?: string): Promise<void> {
  await send(scope, partnershipId, memberIds, key, undefined, 'a Section 11 return', () => ({ ...(title ? { title } : {}), text, sections: [{ kind: 'text', text }] }));
}

/** The agency's leads each get their card for the return with `heading` (a reminder, a chaser, news of it). */
export async function tellLeads(scope: S11Scope, round: RoundView, ret: ReturnView, key: string, heading: string, only?: readonly string[]): Promise<void> {
  const history = await returnHistory(scope.tx, ret.id);
  const ids = only ?? (await leadIds(scope.tx, ret.partnershipId, ret.agencyId));
  await send(scope, ret.partnershipId, ids, `s11:${ret.id}:${key}`, (id) => returnCardSubject(ret.id, id), `${ret.agencyName}'s return`, () => leadCard(round, ret, heading, scope.now, scope.calendar, history));
}

export async function tellSignatories(scope: S11Scope, round: RoundView, ret: ReturnView, key: string, heading: string, submittedBy: string | undefined): Promise<string[]> {
  const ids = await signatoryIds(scope.tx, ret.partnershipId, ret.agencyId);
  await send(scope, ret.partnershipId, ids, `s11:${ret.id}:${key}`, (id) => signOffSubject(ret.id, id), `${ret.agencyName}'s return to sign off`, () => signOffCard(round, ret, heading, submittedBy, scope.calendar.zone));
  return ids;
}

/** The business unit and the moderating group get the reviewer's card (ratings, Moderate, Return for more evidence). */
export async function tellReviewers(scope: S11Scope, round: RoundView, ret: ReturnView, moderatedBy: string | undefined, key: string, heading: string): Promise<void> {
  const ids = [...new Set([...(await businessUnitIds(scope.tx, ret.partnershipId)), ...(await moderatorIds(scope.tx, ret.partnershipId, moderatedBy))])];
  await send(scope, ret.partnershipId, ids, `s11:${ret.id}:${key}`, (id) => reviewerSubject(ret.id, id), `${ret.agencyName}'s return`, () => reviewerCard(round, ret, heading));
}

export async function tellFeedback(scope: S11Scope, round: RoundView, ret: ReturnView, key: string, heading: string): Promise<void> {
  const ids = await leadIds(scope.tx, ret.partnershipId, ret.agencyId);
  await send(scope, ret.partnershipId, ids, `s11:${ret.id}:${key}`, (id) => returnCardSubject(ret.id, id), `feedback on ${ret.agencyName}'s return`, () => feedbackCard(round, ret, heading));
}

/**
 * Redraws every copy of the return's cards as it now stands: the leads', the signatories', the reviewers'. `version`
 * names the change (e.g. its event), so a retried change redraws once.
 */
export async function redrawReturnCards(scope: S11Scope, round: RoundView, ret: ReturnView, moderatedBy: string | undefined, version: string, heading: string): Promise<void> {
  const history = await returnHistory(scope.tx, ret.id);
  const leads = await leadIds(scope.tx, ret.partnershipId, ret.agencyId);
  const signatories = await signatoryIds(scope.tx, ret.partnershipId, ret.agencyId);
  const reviewers = [...new Set([...(await businessUnitIds(scope.tx, ret.partnershipId)), ...(await moderatorIds(scope.tx, ret.partnershipId, moderatedBy))])];
  const submittedBy = history.filter((e) => e.kind === 'submitted').at(-1)?.actor;
  const updates: [string, Message][] = [
    ...leads.map((id): [string, Message] => [returnCardSubject(ret.id, id), privateTo([id], ret.moderation ? feedbackCard(round, ret, heading) : leadCard(round, ret, heading, scope.now, scope.calendar, history))]),
    ...signatories.map((id): [string, Message] => [signOffSubject(ret.id, id), privateTo([id], signOffCard(round, ret, heading, submittedBy, scope.calendar.zone))]),
    ...reviewers.map((id): [string, Message] => [reviewerSubject(ret.id, id), privateTo([id], reviewerCard(round, ret, heading))]),
  ];
  for (const [subject, card] of updates) scope.fx.outbox(await updateCardsAbout(scope.tx, subject, version, card));
}
