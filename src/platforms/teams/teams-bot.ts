import { ActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { PlatformIdentity } from '../../directory/identity.js';
import type { InboundPort } from '../../interactions/inbound-port.js';
import { openFormMessage } from '../../forms/open-form.js';
import type { OutboundTarget } from '../../messaging/outbound.js';
import { baseConversationId, conversationRecordOf, scopeOf, tenantOf } from './conversation-refs.js';
import { welcomeMessage } from './welcome.js';
import { answerCardAction } from './teams-invoke.js';

/** Teams activities in, the same command router as Slack, replies out through the outbox. */
export class TeamsBot extends ActivityHandler {
  constructor(private readonly port: InboundPort) {
    super();

    this.onMessage(async (context, next) => {
      const { memberId, isNew } = await this.port.recordConversation(conversationRecordOf(context.activity));
      if (typeof context.activity.text === 'string' && context.activity.text.trim() !== '') await this.answer(context);
      if (isNew && memberId && scopeOf(context.activity) === 'personal') await this.port.memberReachable(memberId);
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
      await this.port.recordConversation(conversationRecordOf(context.activity));
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

  private async answer(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!(await this.port.claimInbound(`teams:activity:${activity.conversation.id}:${activity.id}`))) return;
    const result = await this.port.runCommand(activity.text ?? '', this.identityOf(context));
    await this.port.reply({
      key: `teams:activity:${activity.conversation.id}:${activity.id}:reply`,
      target: this.targetOf(context, scopeOf(activity) === 'channel'),
      // A form goes out as its card (its buttons come back as adaptiveCard/action); its answers live in its draft.
      message: result.kind === 'reply' ? result.message : { ...openFormMessage(result.form), form: result.form },
    });
  }

  private async welcome(context: TurnContext, memberId: string | undefined): Promise<void> {
    const conversationId = baseConversationId(context.activity.conversation.id);
    await this.port.reply({
      key: `teams:welcome:${conversationId}`,
      target: this.targetOf(context, false),
      message: welcomeMessage(scopeOf(context.activity)),
    });
    // Someone the bot could not reach until now: features send them what is already waiting for them.
    if (memberId && scopeOf(context.activity) === 'personal') await this.port.memberReachable(memberId);
  }

}
