import type { InvokeResponse, TurnContext } from 'botbuilder';
import type { Services } from '../../app/services.js';
import type { PlatformIdentity } from '../../directory/identity.js';
import { failureMessage } from '../../messaging/failure-message.js';
import type { Message } from '../../messaging/message.js';
import { toPlainText } from '../../messaging/markdown.js';
import { baseConversationId, tenantOf } from './conversation-refs.js';
import { sendOutbound } from '../../messaging/send.js';
import { renderAdaptiveCard } from './render-card.js';
import { readAdaptiveAction, renderAdaptiveForm } from './render-form.js';

const cardResponse = (card: Record<string, unknown>): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
});

/** A short message Teams shows to the person who pressed; the card itself stays as it was. */
const noticeResponse = (message: Message): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: toPlainText(message.text) },
});

/** A rich answer (a status card) arrives as a message in the conversation; a one-liner as a notice. */
async function noticeOrMessage(services: Services, context: TurnContext, message: Message): Promise<InvokeResponse> {
  if (!message.title) return noticeResponse(message);
  const a = context.activity;
  await sendOutbound(services, {
    key: `teams:invoke:${a.conversation.id}:${a.id}`,
    target: { platform: 'teams', kind: 'conversation', conversationId: baseConversationId(a.conversation.id), serviceUrl: a.serviceUrl, tenantId: tenantOf(a) },
    message,
  });
  return noticeResponse({ text: `${message.title}: sent to this chat.`, sections: [] });
}

/**
 * An Adaptive Card `Action.Execute` (adaptiveCard/action invoke): a button or a form submission. The answer
 * replaces the card for the person who pressed: the updated card, the form, or the form again with its errors
 * beside the fields and every typed value kept.
 */
export async function answerCardAction(services: Services, context: TurnContext): Promise<InvokeResponse> {
  const activity = context.activity;
  const submission = readAdaptiveAction(activity.value);
  if (!submission) return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'not a card action' } } };
  const identity: PlatformIdentity = { platform: 'teams', userId: activity.from.id, aadObjectId: activity.from.aadObjectId, tenantId: tenantOf(activity) };
  try {
    if (submission.kind === 'action') {
      const result = await services.interactions.runAction(identity, submission.actionId, submission.value);
      if (result.kind === 'form') return cardResponse(renderAdaptiveForm(result.form));
      if (result.kind === 'notice') return noticeOrMessage(services, context, result.message);
      return cardResponse(renderAdaptiveCard(result.card));
    }
    const form = services.interactions.formFor(submission.callbackId, submission.state);
    if (!form) return noticeResponse({ text: 'That form is no longer in use.', sections: [] });
    const result = await services.interactions.submitForm(identity, submission.callbackId, submission.state, submission.values);
    if (result.kind === 'errors') return cardResponse(renderAdaptiveForm(form, { values: submission.values, errors: result.errors }));
    if (result.card) return cardResponse(renderAdaptiveCard(result.card));
    return noticeResponse(result.notice ?? { text: 'Saved.', sections: [] });
  } catch (error) {
    services.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'teams card action failed');
    return noticeResponse(failureMessage(error));
  }
}
