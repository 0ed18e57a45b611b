import type { CommandRouter } from '../commands/router.js';
import { parseCommand } from '../commands/parse.js';
import { errorLogFields, isUserMistake } from '../core/error-log.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../http/metrics.js';
import type { InboundPort } from '../interactions/inbound-port.js';
import type { CommandResult } from '../commands/types.js';
import type { PlatformIdentity } from '../directory/identity.js';
import { asRequest } from '../core/request-context.js';
import type { InteractionRouter } from '../interactions/router.js';
import { recordChatOpening } from '../messaging/chat-openings.js';
import { recordConversation } from '../messaging/conversation-refs.js';
import type { DeliveryJobs } from '../messaging/delivery-jobs.js';
import { failureMessage } from '../messaging/failure-message.js';
import { sendReply } from '../messaging/private-reply.js';
import type { EnabledPlatforms } from '../messaging/recipients.js';
import type { Db } from '../store/db.js';
import { claimInbound, finishPendingCommand } from '../store/inbound-receipts.js';
import { acceptCommand } from './accept-command.js';

export interface InboundDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  deliveryJobs: DeliveryJobs;
  platforms: EnabledPlatforms;
  commands: CommandRouter;
  interactions: InteractionRouter;
  /** Features' "member became reachable" hooks. */
  memberReachableHooks: readonly ((memberId: string) => Promise<void>)[];
  queuesReachable: () => boolean;
}

/** The one door from the platform adapters into the bot (see InboundPort). */
export function createInboundPort(deps: InboundDeps): InboundPort {
  const runCommand = async (text: string, identity: PlatformIdentity): Promise<CommandResult> => {
    const name = parseCommand(text).name || 'help';
    // Only a word the bot knows names the command in logs and metrics: anything else was typed by someone.
    const command = deps.commands.knows(name) ? name : 'unknown';
    try {
      const result = await deps.commands.run(text, identity);
      deps.metrics.commands.inc({ platform: identity.platform, command });
      return result;
    } catch (error) {
      // A failure becomes a polite answer instead of silence. A person's mistake (an unknown plan, a bad date) is not
      // the bot's error; the log never carries what was typed, which error messages often quote.
      if (isUserMistake(error)) deps.logger.info({ code: error.code, command, platform: identity.platform }, 'command refused');
      else deps.logger.error({ ...errorLogFields(error), command, platform: identity.platform }, 'command failed');
      return { kind: 'reply', message: failureMessage(error) };
    }
  };
  const runAction = (identity: PlatformIdentity, actionId: string, value: string | undefined) => deps.interactions.runAction(identity, actionId, value);
  return {
    logger: deps.logger,
    runCommand: (text, identity, requestKey) => (requestKey ? asRequest(requestKey, () => runCommand(text, identity)) : runCommand(text, identity)),
    runAction: (identity, actionId, value, requestKey) =>
      requestKey ? asRequest(requestKey, () => runAction(identity, actionId, value)) : runAction(identity, actionId, value),
    formFor: (callbackId, state) => deps.interactions.formFor(callbackId, state),
    submitForm: (identity, callbackId, state, values, intent) => deps.interactions.submitForm(identity, callbackId, state, values, intent),
    recordConversation: (record) => recordConversation(deps.db, record),
    chatOpened: (conversationId, at) => recordChatOpening(deps.db, conversationId, at),
    async memberReachable(memberId) {
      for (const hook of deps.memberReachableHooks) {
        await hook(memberId).catch((err: unknown) => deps.logger.error({ ...errorLogFields(err), memberId }, 'member-reachable hook failed'));
      }
    },
    claimInbound: (key) => claimInbound(deps.db, key),
    acceptCommand: (key, command) => acceptCommand(deps, key, command),
    finishCommand: (key) => finishPendingCommand(deps.db, key),
    schedulerReachable: () => deps.queuesReachable(),
    async reply(draft) {
      await sendReply(deps, draft);
    },
  };
}
