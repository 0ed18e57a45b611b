// Dead letters: posts that failed for good. What an admin may see of them is only when, to whom, what kind of message
// and why: never its content, which may be a private group's material.
import { DateTime } from 'luxon';
import { recordAudit } from '../core/audit.js';
import type { Db, Tx } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import { DELIVERY_RETRIED_ACTION, describeFailure } from './delivery-failures.js';
import type { OutboundTarget } from './outbound.js';

/** Outbox keys of the admins' reports: a report that fails is never reported (no loops). */
export const DEAD_LETTER_REPORT_KEY = 'dead-letter-report:';

export interface PartnershipScope {
  id: string;
  slackTeamId: string | null;
  teamsTenantId: string | null;
}

export interface DeadLetter {
  id: string;
  failedAt: Date;
  /** "Rachel Whitmore", "channel #exec", "a Teams chat". */
  to: string;
  /** "a direct message", "a reply to a command", "a card about a stage". */
  kind: string;
  why: string;
}

type Row = { id: string; partnershipId: string | null; platform: string; target: unknown; subjectKey: string | null; idempotencyKey: string; updatedAt: Date };

/**
 * The failed posts a partnership's admins answer for: its own, and replies with no partnership recorded (answers to
 * commands) that went to its Slack workspace or Teams tenant. Updates of cards are left out: the post they update is
 * the one worth retrying.
 */
export function deadLettersOf(partnership: PartnershipScope) {
  const unattributed = [
    ...(partnership.slackTeamId ? [{ partnershipId: null, platform: 'slack', target: { path: ['teamId'], equals: partnership.slackTeamId } }] : []),
    ...(partnership.teamsTenantId ? [{ partnershipId: null, platform: 'teams', target: { path: ['tenantId'], equals: partnership.teamsTenantId } }] : []),
  ];
  return {
    status: 'failed' as const,
    operation: 'post',
    NOT: { idempotencyKey: { startsWith: DEAD_LETTER_REPORT_KEY } },
    OR: [{ partnershipId: partnership.id }, ...unattributed],
  };
}

export async function partnershipScope(db: Db | Tx, partnershipId: string): Promise<PartnershipScope> {
  return db.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { id: true, slackTeamId: true, teamsTenantId: true } });
}

/** Newest first, at most `limit`, with how many there are in all. */
export async function listDeadLetters(db: Db, partnershipId: string, limit: number): Promise<{ letters: DeadLetter[]; total: number }> {
  const where = deadLettersOf(await partnershipScope(db, partnershipId));
  const [rows, total] = await Promise.all([
    db.outboxMessage.findMany({ where, orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], take: limit, select: rowFields }),
    db.outboxMessage.count({ where }),
  ]);
  return { letters: await describeDeadLetters(db, partnershipId, rows), total };
}

const rowFields = { id: true, partnershipId: true, platform: true, target: true, subjectKey: true, idempotencyKey: true, updatedAt: true } as const;

export async function describeDeadLetters(db: Db | Tx, partnershipId: string, rows: readonly Row[]): Promise<DeadLetter[]> {
  const audits = await db.auditEvent.findMany({
    where: { action: 'delivery.failed', subjectType: 'outbox', subjectId: { in: rows.map((r) => r.id) } },
    orderBy: { id: 'desc' },
    select: { subjectId: true, data: true },
  });
  const reasonOf = (id: string) => (audits.find((a) => a.subjectId === id)?.data as { reason?: string } | undefined)?.reason;
  const letters: DeadLetter[] = [];
  for (const row of rows) {
    letters.push({ id: row.id, failedAt: row.updatedAt, to: await recipientName(db, partnershipId, row.target as OutboundTarget), kind: kindOf(row), why: describeFailure(reasonOf(row.id)) });
  }
  return letters;
}

function kindOf(row: Pick<Row, 'target' | 'subjectKey' | 'idempotencyKey'>): string {
  const target = row.target as OutboundTarget;
  if ((target.platform === 'slack' && target.kind === 'response_url') || row.idempotencyKey.endsWith(':reply')) return 'a reply to a command';
  if (row.subjectKey) return `a card about a ${row.subjectKey.split(':')[0]}`;
  if (target.platform === 'slack' && target.kind === 'ephemeral') return 'a message shown to one person in a channel';
  return 'a message';
}

async function recipientName(db: Db | Tx, partnershipId: string, target: OutboundTarget): Promise<string> {
  const member = async (where: { slackUserId: string } | { id: string }) =>
    (await db.member.findFirst({ where: { partnershipId, ...where }, select: { displayName: true } }))?.displayName;
  const channel = async (externalId: string) =>
    (await db.channel.findFirst({ where: { partnershipId, externalId }, select: { name: true } }))?.name;
  if (target.platform === 'slack') {
    const user = target.kind === 'channel' ? (/^[UW]/.test(target.channel) ? target.channel : undefined) : target.user;
    if (user) return (await member({ slackUserId: user })) ?? 'a person in Slack';
    if (target.kind === 'channel') return `channel ${(await channel(target.channel)) ?? target.channel}`;
    return 'the person who asked';
  }
  const ref = await db.conversationRef.findUnique({ where: { conversationId: target.conversationId }, select: { memberId: true } });
  if (ref?.memberId) return (await member({ id: ref.memberId })) ?? 'a person in Teams';
  const name = await channel(target.conversationId.split(';')[0]!);
  return name ? `channel ${name}` : 'a Teams chat';
}

export function failedAtText(at: Date, zone: string): string {
  return DateTime.fromJSDate(at).setZone(zone).toFormat('ccc d LLL yyyy, HH:mm');
}

/**
 * Puts dead letters back to pending (each audited with who asked) so they can be queued again; they are reported
 * again if they fail again. `ids` undefined: all of them. Returns the ids to queue.
 */
export async function reviveDeadLetters(db: Db, partnershipId: string, ids: readonly string[] | undefined, actor: { memberId: string; displayName: string }): Promise<string[]> {
  return transact(db, async (tx) => {
    const where = { ...deadLettersOf(await partnershipScope(tx, partnershipId)), ...(ids ? { id: { in: [...ids] } } : {}) };
    const rows = await tx.outboxMessage.findMany({ where, select: { id: true, platform: true } });
    if (rows.length === 0) return [];
    await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) }, status: 'failed' }, data: { status: 'pending', failureReportedAt: null, notBefore: new Date() } });
    for (const row of rows) {
      await recordAudit(tx, { partnershipId, actorMemberId: actor.memberId, actor: actor.displayName, action: DELIVERY_RETRIED_ACTION, subjectType: 'outbox', subjectId: row.id, data: { platform: row.platform } });
    }
    return rows.map((r) => r.id);
  });
}
