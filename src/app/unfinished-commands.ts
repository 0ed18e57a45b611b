import { errorLogFields } from '../core/error-log.js';
import type { Logger } from '../core/logger.js';
import { openFormMessage } from '../forms/open-form.js';
import type { InboundPort } from '../interactions/inbound-port.js';
import type { Db } from '../store/db.js';
import { finishPendingCommand, leaseUnfinishedCommands } from '../store/inbound-receipts.js';
import type { StoredCommand } from './accept-command.js';

/** Longer than any live answer takes, so recovery does not race the process still answering. */
export const unfinishedCommandGraceMs = 2 * 60 * 1000;
/** A Slack response_url stops working after 30 minutes: older commands are let go rather than answered. */
const answerableForMs = 30 * 60 * 1000;
const batchSize = 100;

export interface UnfinishedCommandsReport {
  answered: number;
  alreadyAnswered: number;
  expired: number;
  failed: number;
}

/**
 * Answers commands that were acknowledged but never answered (the process died, or the database went away
 * mid-answer). A command whose reply is already in the outbox is only marked finished, so it neither runs twice
 * nor replies twice. Safe to run from any process at any time.
 */
export async function answerUnfinishedCommands(
  deps: { db: Db; port: InboundPort; logger: Logger },
  options: { graceMs?: number } = {},
): Promise<UnfinishedCommandsReport> {
  const report: UnfinishedCommandsReport = { answered: 0, alreadyAnswered: 0, expired: 0, failed: 0 };
  const started = Date.now();
  const cutoff = new Date(started - (options.graceMs ?? unfinishedCommandGraceMs));
  for (;;) {
    const leased = await leaseUnfinishedCommands(deps.db, cutoff, new Date(started), batchSize);
    for (const { key, pendingCommand } of leased) {
      const outcome = await answerOne(deps, key, pendingCommand as StoredCommand, started).catch((error: unknown) => {
        deps.logger.error({ ...errorLogFields(error), key }, 'could not answer an unfinished command; left to the next pass');
        return 'failed' as const;
      });
      report[outcome] += 1;
    }
    if (leased.length < batchSize) break;
  }
  if (report.answered + report.alreadyAnswered + report.expired + report.failed > 0) deps.logger.info(report, 'unfinished commands recovered');
  return report;
}

async function answerOne(deps: { db: Db; port: InboundPort }, key: string, command: StoredCommand, now: number): Promise<'answered' | 'alreadyAnswered' | 'expired'> {
  const replied = await deps.db.outboxMessage.findUnique({ where: { idempotencyKey: command.reply.key }, select: { id: true } });
  if (replied) {
    await finishPendingCommand(deps.db, key);
    return 'alreadyAnswered';
  }
  if (now - Date.parse(command.acceptedAt) > answerableForMs) {
    await finishPendingCommand(deps.db, key);
    return 'expired';
  }
  const result = await deps.port.runCommand(command.text, command.identity);
  // A Slack modal's trigger has long expired: a form is offered as a button there (Teams shows the form card).
  const message = result.kind === 'reply' ? result.message : { ...openFormMessage(result.form), form: result.form };
  await deps.port.reply({ key: command.reply.key, target: command.reply.target, message });
  await finishPendingCommand(deps.db, key);
  return 'answered';
}
