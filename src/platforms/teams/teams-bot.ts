import { ActivityHandler, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { PlatformIdentity } from '../../directory/identity.js';
import { commandUnavailableText, schedulerDelayedText, type AcceptedCommand, type InboundPort } from '../../interactions/inbound-port.js';
import { openFormMessage } from '../../forms/open-form.js';
import type { OutboundTarget } from '../../messaging/outbound.js';
import { baseConversationId, conversationRecordOf, scopeOf, tenantOf } from './conversation-refs.js';
import { welcomeMessage } from './welcome.js';
import { answerCardAction } from './teams-invoke.js';
import { isDatabaseUnavailable } from '../../store/db-errors.js';
import { errorLogFields } from '../../core/error-log.js';

/** Teams activities in, the same command router as Slack, replies out through the outbox. */
export class TeamsBot extends ActivityHandler {
  constructor(private readonly port: InboundPort) {
    super();

    this.onMessage(async (context, next) => {
      const command = this.commandOf(context);
      // Stored before anything else touches the database; when it cannot be, Teams is told straight away (no database).
      const acceptance = command ? await this.port.acceptCommand(command.key, command.accepted) : undefined;
      if (acceptance === 'unavailable') {
        await context.sendActivity(commandUnavailableText);
        return;
      }
      // Stored, but its answer waits for the queues: said at once, straight to the chat.
      if (acceptance === 'accepted' && !this.port.schedulerReachable()) await context.sendActivity(schedulerDelayedText);
      const { memberId, isNew, anotherChat } = await this.port.recordConversation(conversationRecordOf(context.activity));
      const personal = scopeOf(context.activity) === 'personal';
      // A member opening a new chat (no install event came with it) is greeted there before the answer.
      if (anotherChat && personal) await this.greet(context);
      if (command && acceptance === 'accepted') await this.answer(command.key, command.accepted);
      if (isNew && memberId && personal) await this.port.memberReachable(memberId);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      const { memberId } = await this.port.recordConversation(conversationRecordOf(context.activity));
      await this.welcome(context, memberId);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) {
        const { memberId } = await this.port.recordConversation(conversationRecordOf(context.activity));
        await this.welcome(context, memberId);
      }
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      // Remembering where the person is can wait for their next message; the press itself is answered either way.
      await this.port.recordConversation(conversationRecordOf(context.activity)).catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) this.port.logger.error(errorLogFields(error), 'could not record a conversation');
      });
      return answerCardAction(this.port, context);
    }
    return super.onInvokeActivity(context);
  }

  private identityOf(context: TurnContext): PlatformIdentity {
    const a = context.activity;
    return { platform: 'teams', userId: a.from.id, aadObjectId: a.from.aadObjectId, tenantId: tenantOf(a) };
  }

  private targetOf(context: TurnContext, replyInThread: boolean): OutboundTarget {
    const a = context.activity;
    const conversationId = baseConversationId(a.conversation.id);
    const threadRoot = a.conversation.id.includes(';messageid=') ? a.conversation.id.split(';messageid=')[1] : a.replyToId ?? a.id;
    return {
      platform: 'teams',
      kind: 'conversation',
      conversationId,
      serviceUrl: a.serviceUrl,
      tenantId: tenantOf(a),
      ...(replyInThread && threadRoot ? { replyToId: threadRoot } : {}),
    };
  }

  /** A message with text is a command: its receipt key, and what answering it needs (also after a crash). */
  private commandOf(context: TurnContext): { key: string; accepted: AcceptedCommand } | undefined {
    const activity = context.activity;
    if (typeof activity.text !== 'string' || activity.text.trim() === '') return undefined;
    const key = `teams:activity:${activity.conversation.id}:${activity.id}`;
    const target = this.targetOf(context, scopeOf(activity) === 'channel');
    return { key, accepted: { text: activity.text, identity: this.identityOf(context), reply: { key: `${key}:reply`, target } } };
  }

  private async answer(key: string, command: AcceptedCommand): Promise<void> {
    const result = await this.port.runCommand(command.text, command.identity, key);
    await this.port.reply({
      ...command.reply,
      // A form goes out as its card (its buttons come back as adaptiveCard/action); its answers live in its draft.
      message: result.kind === 'reply' ? result.message : { ...openFormMessage(result.form), form: result.form },
    });
    await this.port.finishCommand(key);
  }

  private async welcome(context: TurnContext, memberId: string | undefined): Promise<void> {
    const activity = context.activity;
    if (scopeOf(activity) !== 'personal') return this.greet(context);
    // Each opening of the chat gets the greeting and what is waiting for the member: the Playground reopens the same
    // conversation, with an empty screen, on every reload (two install events each time, one opening).
    const opening = await this.port.chatOpened(baseConversationId(activity.conversation.id), eventTime(activity));
    if (!opening) return;
    await this.greet(context, opening);
    if (memberId) await this.port.memberReachable(memberId);
  }

  /** The greeting, once per conversation (per opening of a personal chat). */
  private async greet(context: TurnContext, opening?: string): Promise<void> {
    const conversationId = baseConversationId(context.activity.conversation.id);
    await this.port.reply({
      key: `teams:welcome:${conversationId}${opening ? `@${opening}` : ''}`,
      target: this.targetOf(context, false),
      message: welcomeMessage(scopeOf(context.activity)),
    });
  }
}

/** When the platform says the event happened (both events of one opening carry nearly the same time). */
function eventTime(activity: Activity): Date {
  const at = new Date(activity.timestamp ?? Date.now());
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
