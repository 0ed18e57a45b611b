import { errorLogFields } from '../core/error-log.js';
import { storableText } from '../core/storable-text.js';
import type { Logger } from '../core/logger.js';
import type { AcceptedRequest, CommandAcceptance } from '../interactions/inbound-port.js';
import type { Db } from '../store/db.js';
import { claimInboundWithCommand, dropInbound } from '../store/inbound-receipts.js';

/** Well inside Slack's 3 s: the acknowledgement still has time to say "try again" when the write is stuck. */
export const acceptDeadlineMs = 1500;

/** What an unfinished receipt stores: the command or press, and when it came (a Slack response_url lasts 30 minutes). */
export type StoredCommand = AcceptedRequest & { acceptedAt: string };

/** What was typed or pressed, as PostgreSQL can hold it (the parser reads the same words either way). */
function storable(command: AcceptedRequest): AcceptedRequest {
  if (command.kind === 'action') return command.value === undefined ? command : { ...command, value: storableText(command.value) };
  return { ...command, text: storableText(command.text) };
}

/**
 * Stores a command before it is acknowledged (see InboundPort.acceptCommand). A write that misses the deadline is
 * answered 'unavailable'; if it lands later anyway it is taken back, since the person was told nothing was done.
 */
export async function acceptCommand(deps: { db: Db; logger: Logger }, key: string, command: AcceptedRequest, deadlineMs = acceptDeadlineMs): Promise<CommandAcceptance> {
  const stored: StoredCommand = { ...storable(command), acceptedAt: new Date().toISOString() };
  const insert = claimInboundWithCommand(deps.db, key, stored);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  try {
    const outcome = await Promise.race([insert, late]);
    if (outcome !== 'late') return outcome ? 'accepted' : 'duplicate';
    deps.logger.warn({ deadlineMs, platform: command.identity.platform }, 'command refused: the database did not answer in time');
    void insert.then((won) => (won ? dropInbound(deps.db, key) : undefined)).catch(() => undefined);
    return 'unavailable';
  } catch (error) {
    deps.logger.error({ ...errorLogFields(error), platform: command.identity.platform }, 'command refused: the database is unavailable');
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
