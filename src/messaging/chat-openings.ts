import type { Db, Tx } from '../store/db.js';

/**
 * A chat opening: a member opened their personal chat with the bot on a screen that shows nothing of it yet. Teams
 * marks it with an install event; the Agents Playground sends the same install events into the SAME conversation on
 * every page reload, and its screen starts empty each time. The greeting and the copies of what is waiting for the
 * member are sent once per opening, so they are there after every reload, and never twice in one opening.
 *
 * An opening is stored as an inbound receipt `chat-opened:<conversation>@<the event's time>`.
 */

/**
 * Events this close together are one opening: Teams and the Playground send two install events a few ms apart, and
 * the Playground may send one again within a second. A reload takes longer than this (about 3 s in the e2e test,
 * which is why 3 s was too wide: a quick reload went ungreeted).
 */
const SAME_OPENING_MS = 1500;

const prefixOf = (conversationId: string) => `chat-opened:${conversationId}@`;

/**
 * Records that the chat was opened at `at` (the install event's own time). Returns the new opening's stamp, or
 * undefined when this event belongs to an opening already recorded (the other event of the pair, or a retry).
 */
export async function recordChatOpening(db: Db, conversationId: string, at: Date): Promise<string | undefined> {
  const prefix = prefixOf(conversationId);
  return db.$transaction(async (tx) => {
    // The two events of an opening arrive together and are handled at the same time: one at a time here.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${prefix}))`;
    const recorded = await tx.inboundReceipt.findMany({ where: { key: { startsWith: prefix } }, select: { key: true } });
    const near = recorded.some((r) => Math.abs(Date.parse(r.key.slice(prefix.length)) - at.getTime()) < SAME_OPENING_MS);
    if (near) return undefined;
    const stamp = at.toISOString();
    await tx.inboundReceipt.create({ data: { key: `${prefix}${stamp}` } });
    return stamp;
  });
}

/** The latest opening of a conversation, if it was ever opened: its stamp, and when the bot recorded it. */
export async function latestChatOpening(tx: Tx, conversationId: string): Promise<{ stamp: string; recordedAt: Date } | undefined> {
  const prefix = prefixOf(conversationId);
  const row = await tx.inboundReceipt.findFirst({ where: { key: { startsWith: prefix } }, orderBy: { receivedAt: 'desc' }, select: { key: true, receivedAt: true } });
  return row ? { stamp: row.key.slice(prefix.length), recordedAt: row.receivedAt } : undefined;
}
