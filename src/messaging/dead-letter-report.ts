// Tells each partnership's admins, in one message per run, which messages could not be delivered since the last
// report: when, to whom, what kind and why, never what they said. Runs with each maintenance run (every reconcile
// interval). Rows with no partnership (replies to commands) go to every partnership on that workspace or tenant.
import type { Logger } from '../core/logger.js';
import { recordAudit } from '../core/audit.js';
import type { Db, Tx } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import { DEAD_LETTER_REPORT_KEY, deadLettersOf, describeDeadLetters, failedAtText } from './dead-letters.js';
import type { Message } from './message.js';
import { enqueueForAdmins } from './admin-messages.js';
import type { EnabledPlatforms } from './recipients.js';

export const DEAD_LETTER_REPORT_ACTION = 'delivery.failed.report';
const MAX_LISTED = 10;
/** Taken per run; the next run takes the rest. */
const MAX_ROWS = 500;

export interface DeadLetterReportDeps {
  db: Db;
  platforms: EnabledPlatforms;
  logger: Logger;
  pushOutbox(ids: readonly string[]): Promise<void>;
}

/** Safe to run often and from several processes: a transaction-wide lock makes one of them do it. */
export async function reportDeadLetters(deps: DeadLetterReportDeps): Promise<void> {
  const ids = await transact(deps.db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dead-letter-report'))`;
    const partnerships = await tx.partnership.findMany({ select: { id: true, slackTeamId: true, teamsTenantId: true, timezone: true } });
    const reported = new Set<string>();
    const outbox: string[] = [];
    for (const partnership of partnerships) {
      const rows = await tx.outboxMessage.findMany({
        where: { ...deadLettersOf(partnership), failureReportedAt: null },
        orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
        take: MAX_ROWS,
        select: { id: true, partnershipId: true, platform: true, target: true, subjectKey: true, idempotencyKey: true, updatedAt: true },
      });
      if (rows.length === 0) continue;
      rows.forEach((r) => reported.add(r.id));
      outbox.push(...(await reportTo(tx, deps, partnership, rows)));
    }
    if (reported.size > 0) await tx.outboxMessage.updateMany({ where: { id: { in: [...reported] } }, data: { failureReportedAt: new Date() } });
    return outbox;
  });
  if (ids.length > 0) await deps.pushOutbox(ids).catch(() => undefined); // the reconcile queues them if this fails
}

async function reportTo(
  tx: Tx,
  deps: DeadLetterReportDeps,
  partnership: { id: string; timezone: string },
  rows: Parameters<typeof describeDeadLetters>[2],
): Promise<string[]> {
  const letters = await describeDeadLetters(tx, partnership.id, rows.slice(0, MAX_LISTED));
  const count = rows.length === 1 ? 'A message' : `${rows.length} messages`;
  const hidden = rows.length - letters.length;
  const message: Message = {
    title: `${count} could not be delivered`,
    text: `${count} could not be delivered. Type \`admin failed\` to see them and retry.`,
    sections: [
      { kind: 'text', text: `${count} could not be delivered. When, to whom and why:` },
      { kind: 'list', items: letters.map((l) => ({ title: `${capitalised(l.kind)} to ${l.to}`, detail: `${failedAtText(l.failedAt, partnership.timezone)}: ${l.why}.`, tone: 'warning' as const })) },
      ...(hidden > 0 ? [{ kind: 'context' as const, text: `…and ${hidden} more.` }] : []),
      { kind: 'context', text: 'Type `admin failed` to see them and retry them once the cause is fixed.' },
    ],
  };
  const event = await recordAudit(tx, {
    partnershipId: partnership.id,
    actor: 'delivery',
    action: DEAD_LETTER_REPORT_ACTION,
    subjectType: 'partnership',
    subjectId: partnership.id,
    data: { messages: rows.length },
  });
  const ids = await enqueueForAdmins(tx, partnership.id, deps.platforms, (memberId) => `${DEAD_LETTER_REPORT_KEY}${partnership.id}:${event}:${memberId}`, message);
  if (ids.length === 0) deps.logger.warn({ partnershipId: partnership.id, messages: rows.length }, 'no admin could be told about messages that could not be delivered');
  return ids;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
