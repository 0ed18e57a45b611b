// The daily report of members the bot could not reach. Each miss is recorded when it happens (recipients.ts, audit
// `delivery.unreachable`); once a day, from DIGEST_HOUR, the partnership's business managers and admins get ONE card
// naming each member, why the bot cannot reach them and how to fix it. Nothing is sent on a day with no misses.
// At most one a day per partnership: each admin's copy has an outbox key with the partnership and the day, and the
// digest's audit event marks the last miss it covered, so the next digest starts after it.
import type { DateTime } from 'luxon';
import { recordAudit } from '../core/audit.js';
import type { Db, Tx } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import type { ListItem, Message } from './message.js';
import { enqueueForAdmins } from './admin-messages.js';
import { UNREACHABLE_ACTION, type EnabledPlatforms } from './recipients.js';

export const DIGEST_ACTION = 'delivery.unreachable.digest';
/** Local hour from which the day's digest may go (after the 09:30 reminders). */
export const DIGEST_HOUR = 10;
const MAX_MEMBERS_LISTED = 40;
const MAX_MISSES_NAMED = 3;

export interface UnreachableDigestDeps {
  db: Db;
  platforms: EnabledPlatforms;
  /** Queues delivery of the digest's outbox rows once committed. */
  pushOutbox(ids: readonly string[]): Promise<void>;
  /** Said under the list, e.g. in the demo: why nobody but you can be reached there. */
  note?: string;
}

/** Sends every partnership's digest that is due at `now`. Safe to run often and from several processes. */
export async function sendUnreachableDigests(deps: UnreachableDigestDeps, now: DateTime): Promise<void> {
  const partnerships = await deps.db.partnership.findMany({ select: { id: true, timezone: true } });
  for (const partnership of partnerships) {
    const local = now.setZone(partnership.timezone);
    if (local.hour < DIGEST_HOUR) continue;
    const ids = await transact(deps.db, (tx) => digestFor(tx, deps, partnership.id, local.toISODate()!));
    if (ids.length > 0) await deps.pushOutbox(ids).catch(() => undefined); // the reconcile queues them if this fails
  }
}

interface Miss {
  eventId: bigint;
  memberId: string;
  about: string;
}

async function digestFor(tx: Tx, deps: UnreachableDigestDeps, partnershipId: string, day: string): Promise<string[]> {
  const last = await tx.auditEvent.findFirst({ where: { partnershipId, action: DIGEST_ACTION }, orderBy: { id: 'desc' }, select: { data: true } });
  const lastData = (last?.data ?? {}) as { day?: string; throughEventId?: string };
  if (lastData.day === day) return [];
  const events = await tx.auditEvent.findMany({
    where: { partnershipId, action: UNREACHABLE_ACTION, ...(lastData.throughEventId ? { id: { gt: BigInt(lastData.throughEventId) } } : {}) },
    orderBy: { id: 'asc' },
    select: { id: true, subjectId: true, data: true },
  });
  if (events.length === 0) return [];
  const misses: Miss[] = events.map((e) => ({ eventId: e.id, memberId: e.subjectId, about: String((e.data as { about?: unknown }).about ?? 'a message') }));
  const message = await digestMessage(tx, deps, misses);
  await recordAudit(tx, {
    partnershipId,
    actor: 'delivery',
    action: DIGEST_ACTION,
    subjectType: 'partnership',
    subjectId: partnershipId,
    data: { day, throughEventId: events.at(-1)!.id.toString(), messages: misses.length, members: new Set(misses.map((m) => m.memberId)).size },
  });
  if (!message) return [];
  return enqueueForAdmins(tx, partnershipId, deps.platforms, (memberId) => `unreachable-digest:${partnershipId}:${day}:${memberId}`, message);
}

interface Reason {
  /** Short, for the list's status column. */
  label: string;
  why: string;
  fix: string;
}

/** Why a member cannot be reached now, or undefined if they can (they were fixed since they missed something). */
function reasonFor(member: { slackUserId: string | null; teamsAadObjectId: string | null; active: boolean }, hasTeamsChat: boolean, platforms: EnabledPlatforms): Reason | undefined {
  if (!member.active) return { label: 'Not active', why: 'no longer active in the partnership file', fix: 'nothing, unless they should still get messages: then make them active again in the partnership file' };
  if (platforms.slack && member.slackUserId) return undefined;
  if (platforms.teams && member.teamsAadObjectId) {
    if (hasTeamsChat) return undefined;
    return {
      label: 'No chat with the bot',
      why: 'has not installed Partnership Bot in Teams (or never opened a chat with it)',
      fix: 'ask them to open Partnership Bot in Teams once; what is waiting for them is sent as soon as they do',
    };
  }
  const ids = [platforms.slack ? 'Slack user id (U…)' : undefined, platforms.teams ? 'Teams identity (Entra object id)' : undefined].filter(Boolean).join(' or ');
  return { label: 'Not connected', why: `has no ${ids} in the partnership file`, fix: `add their ${ids} to their entry in the partnership file and import it again` };
}

async function digestMessage(tx: Tx, deps: UnreachableDigestDeps, misses: Miss[]): Promise<Message | undefined> {
  const memberIds = [...new Set(misses.map((m) => m.memberId))];
  const members = await tx.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, displayName: true, slackUserId: true, teamsAadObjectId: true, active: true } });
  const chats = deps.platforms.teams ? await tx.conversationRef.findMany({ where: { memberId: { in: memberIds }, scope: 'personal' }, select: { memberId: true } }) : [];
  const items: ListItem[] = [];
  for (const member of members.sort((a, b) => a.displayName.localeCompare(b.displayName))) {
    const reason = reasonFor(member, chats.some((c) => c.memberId === member.id), deps.platforms);
    if (!reason) continue;
    items.push({ title: `*${member.displayName}*: ${reason.why}`, detail: `Missed ${missedWording(misses.filter((m) => m.memberId === member.id))}. To fix: ${reason.fix}.`, status: reason.label, tone: 'warning' });
  }
  if (items.length === 0) return undefined;
  const count = items.length === 1 ? 'A member' : `${items.length} members`;
  const shown = items.slice(0, MAX_MEMBERS_LISTED);
  const hidden = items.length - shown.length;
  return {
    title: `${count} could not be reached`,
    text: `${count} could not be reached since the last report: ${items.length === 1 ? 'who, why' : 'who, why for each'}, and how to fix it.`,
    sections: [
      // Said first: in the demo this is the whole explanation, and the list below only illustrates it.
      ...(deps.note ? [{ kind: 'text' as const, text: deps.note }] : []),
      { kind: 'text', text: `Since the last report the bot could not send messages to ${items.length === 1 ? 'this member' : `these ${items.length} members`}. Who, why, and how to fix it:` },
      { kind: 'list', items: shown },
      ...(hidden > 0 ? [{ kind: 'context' as const, text: `…and ${hidden} more.` }] : []),
      { kind: 'context', text: 'One report a day at most, only on a day something could not be delivered.' },
    ],
  };
}

/** "the reminder for stage X (2 times) and 3 other messages". */
function missedWording(misses: Miss[]): string {
  const counts = new Map<string, number>();
  for (const m of misses) counts.set(m.about, (counts.get(m.about) ?? 0) + 1);
  const named = [...counts].slice(0, MAX_MISSES_NAMED).map(([about, n]) => (n > 1 ? `${about} (${n} times)` : about));
  const others = [...counts].slice(MAX_MISSES_NAMED).reduce((sum, [, n]) => sum + n, 0);
  return others > 0 ? `${named.join('; ')}; and ${others} other message${others === 1 ? '' : 's'}` : named.join('; ');
}
