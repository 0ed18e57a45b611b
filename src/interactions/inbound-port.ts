import type { CommandResult } from '../commands/types.js';
import type { Logger } from '../core/logger.js';
import type { PlatformIdentity } from '../directory/identity.js';
import type { Form, FormValues } from '../messaging/message.js';
import type { OutboundDraft, OutboundTarget } from '../messaging/outbound.js';
import type { ActionResult, SubmissionRequest, SubmissionResult } from './types.js';

/** A command received and not yet answered: everything needed to answer it after a crash (no platform objects). */
export interface AcceptedCommand {
  kind?: 'command';
  text: string;
  identity: PlatformIdentity;
  /** Where and under which outbox key the answer goes; a form is answered there with an "Open form" button. */
  reply: { key: string; target: OutboundTarget };
}

/** A button press received and not yet carried out: enough to carry it out after a crash. */
export interface AcceptedAction {
  kind: 'action';
  actionId: string;
  value: string | undefined;
  identity: PlatformIdentity;
  /** Where a notice about the press goes (the card itself is updated through the outbox by the feature). */
  reply: { key: string; target: OutboundTarget };
}

export type AcceptedRequest = AcceptedCommand | AcceptedAction;

export type CommandAcceptance = 'accepted' | 'duplicate' | 'unavailable';

/** The answer when a command could not be stored: said in the acknowledgement itself, which needs no database. */
export const commandUnavailableText = "I can't reach my records right now, so nothing was done. Please try again in a minute.";

/** Said at once when something was stored but its answer must wait for the scheduler's queues to come back. */
export const schedulerDelayedText = 'Got it. My scheduler is reconnecting, so my answer, card updates and reminders may be a few minutes late.';

/** The same for a form: shown on the form itself, which keeps everything typed. */
export const formUnavailableText = "I can't reach my records right now, so this was not saved. Everything you typed is still here: please submit again in a minute.";

/** Where the bot can reach a person or a channel later (a Teams conversation reference), as an adapter saw it. */
export interface ConversationRecord {
  conversationId: string;
  scope: 'personal' | 'channel' | 'groupChat';
  tenantId?: string;
  serviceUrl: string;
  /** The person's Entra object id, in a personal chat. */
  aadObjectId?: string;
  userId: string;
  /** The platform's own reference, stored as is for proactive messages. */
  reference: object;
}

/**
 * Everything a platform adapter may ask of the bot, and nothing more (as Bolt's receivers only see processEvent):
 * run a command, press a button, submit a form, remember a conversation, and the two chores every inbound
 * request shares (answer once however often the platform retries; reply through the outbox).
 */
export interface InboundPort {
  readonly logger: Logger;
  /** `requestKey`: the acknowledged request this answers (acceptCommand's key), so its changes are made only once. */
  runCommand(text: string, identity: PlatformIdentity, requestKey?: string): Promise<CommandResult>;
  runAction(identity: PlatformIdentity, actionId: string, value: string | undefined, requestKey?: string): Promise<ActionResult>;
  /** The form behind a callback id, so an adapter can read a submission's values. */
  formFor(callbackId: string, state: string | undefined): Promise<Form | undefined>;
  submitForm(
    identity: PlatformIdentity,
    callbackId: string,
    state: string | undefined,
    values: FormValues,
    intent?: SubmissionRequest['intent'],
  ): Promise<SubmissionResult>;
  /**
   * Stores (or refreshes) a conversation reference; `isNew` when this member was not reachable there before,
   * `anotherChat` when it is a new personal chat of a member who already had one.
   */
  recordConversation(record: ConversationRecord): Promise<{ memberId?: string; isNew: boolean; anotherChat: boolean }>;
  /**
   * A personal chat was opened (an install event at `at`): the new opening's stamp, or undefined when this event
   * belongs to an opening already recorded (see messaging/chat-openings.ts).
   */
  chatOpened(conversationId: string, at: Date): Promise<string | undefined>;
  /** A member just became reachable in a personal chat: features send what was already waiting for them. */
  memberReachable(memberId: string): Promise<void>;
  /** True the first time a key is seen: platforms retry deliveries, and a retry must have no second effect. */
  claimInbound(key: string): Promise<boolean>;
  /**
   * Claims a key and stores the command with it in one fast write, before the platform is acknowledged: then a crash
   * cannot lose an acknowledged command (recovery answers it). 'unavailable' when the write failed or did not finish
   * within a short deadline: nothing was stored or will be run, so the acknowledgement should say so
   * (commandUnavailableText), which needs no database. Call finishCommand once the command is answered.
   */
  acceptCommand(key: string, command: AcceptedRequest): Promise<CommandAcceptance>;
  finishCommand(key: string): Promise<void>;
  /** False while the scheduler's queues cannot be reached: answers, card updates and reminders wait until they are. */
  schedulerReachable(): boolean;
  /** Writes a reply to the outbox (durable before the platform hears back) and queues its delivery. */
  reply(draft: OutboundDraft): Promise<void>;
}
