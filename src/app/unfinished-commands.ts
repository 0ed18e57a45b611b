import { errorLogFields } from '../core/error-log.js';
import type { Logger } from '../core/logger.js';
import { openFormMessage } from '../forms/open-form.js';
import type { AcceptedAction, AcceptedCommand, InboundPort } from '../interactions/inbound-port.js';
import type { Message } from '../messaging/message.js';
import { parseCommand } from '../commands/parse.js';
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
  /** Its changes were made before the crash and only the answer was lost: it is not run again. */
  carriedOut: number;
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
  const report: UnfinishedCommandsReport = { answered: 0, alreadyAnswered: 0, carriedOut: 0, expired: 0, failed: 0 };
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
  if (Object.values(report).some((n) => n > 0)) deps.logger.info(report, 'unfinished commands recovered');
  return report;
}

async function answerOne(deps: { db: Db; port: InboundPort }, key: string, command: StoredCommand, now: number): Promise<Exclude<keyof UnfinishedCommandsReport, 'failed'>> {
  const replied = await deps.db.outboxMessage.findUnique({ where: { idempotencyKey: command.reply.key }, select: { id: true } });
  if (replied) {
    await finishPendingCommand(deps.db, key);
    return 'alreadyAnswered';
  }
  if (now - Date.parse(command.acceptedAt) > answerableForMs) {
    await finishPendingCommand(deps.db, key);
    return 'expired';
  }
  if (await changesWereMade(deps.db, key)) {
    // Running it again would make them twice (a second cycle, a second request): say it was done instead.
    if (command.kind !== 'action') await deps.port.reply({ key: command.reply.key, target: command.reply.target, message: carriedOutMessage(command.text) });
    await finishPendingCommand(deps.db, key);
    return 'carriedOut';
  }
  const message = command.kind === 'action' ? await carryOutPress(deps.port, key, command) : await runTypedCommand(deps.port, key, command);
  if (message) await deps.port.reply({ key: command.reply.key, target: command.reply.target, message });
  await finishPendingCommand(deps.db, key);
  return 'answered';
}

/** True when an audit event says this request already changed something (see core/request-context.ts, REQUEST_KEY_FIELD). */
async function changesWereMade(db: Db, key: string): Promise<boolean> {
  // Written to match the partial index on data->>'requestKey' (migration *_audit_request_key).
  // The field is spelled out (REQUEST_KEY_FIELD): a parameter there could not use the index. A refusal changed nothing.
  const rows = await db.$queryRaw<unknown[]>`SELECT 1 FROM "AuditEvent" WHERE "data" ? 'requestKey' AND "data"->>'requestKey' = ${key} AND "action" <> 'access.refused' LIMIT 1`;
  return rows.length > 0;
}

function carriedOutMessage(typed: string): Message {
  const name = parseCommand(typed).name || 'help';
  const text = `Your \`${name.slice(0, 30)}\` command was carried out, but a restart lost its answer. Type \`tasks\` to see where things stand.`;
  return { text, sections: [{ kind: 'text', text }] };
}

async function runTypedCommand(port: InboundPort, key: string, command: AcceptedCommand): Promise<Message> {
  const result = await port.runCommand(command.text, command.identity, key);
  // A Slack modal's trigger has long expired: a form is offered as a button there (Teams shows the form card).
  return result.kind === 'reply' ? result.message : { ...openFormMessage(result.form), form: result.form };
}

/** A press whose card change the feature sends itself: only a notice or a form needs answering here. */
async function carryOutPress(port: InboundPort, key: string, press: AcceptedAction): Promise<Message | undefined> {
  const result = await port.runAction(press.identity, press.actionId, press.value, key);
  if (result.kind === 'form') return { ...openFormMessage(result.form), form: result.form };
  if (result.kind === 'notice') return result.message;
  return result.notice;
}
