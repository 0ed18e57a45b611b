import type { InvokeResponse, TurnContext } from 'botbuilder';
import type { PlatformIdentity } from '../../directory/identity.js';
import { commandUnavailableText, formUnavailableText, type InboundPort } from '../../interactions/inbound-port.js';
import { isDatabaseUnavailable } from '../../store/db-errors.js';
import { withTypedChoices } from '../../forms/typed-choices.js';
import { failureMessage } from '../../messaging/failure-message.js';
import type { Form, FormValues, Message } from '../../messaging/message.js';
import { toPlainText } from '../../messaging/markdown.js';
import { teamsMarkdown } from './teams-text.js';
import { baseConversationId, tenantOf } from './conversation-refs.js';
import { withViewerRefresh } from './personal-refresh.js';
import { renderAdaptiveCard, type AdaptiveCardJson } from './render-card.js';
import { formValuesFrom, readAdaptiveAction, renderAdaptiveForm } from './render-form.js';
import { errorLogFields } from '../../core/error-log.js';

const cardResponse = (card: Record<string, unknown>): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
});

/** A short message Teams shows to the person who pressed; the card itself stays as it was. */
const noticeResponse = (message: Message): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: toPlainText(message.text) },
});

/**
 * The answer to an automatic refresh that has no card for this viewer: a success with nothing to show, so their card
 * stays as it is. Universal Actions has no "unchanged" answer; an error status would print "Something went wrong" on
 * the card, and a card or a message here would show the viewer something they never asked for.
 */
const keepCardResponse: InvokeResponse = {
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' },
};

/** Teams asked by itself (a `refresh` as the card came into view), rather than someone pressing a button. */
function isAutomaticRefresh(activityValue: unknown): boolean {
  return typeof activityValue === 'object' && activityValue !== null && (activityValue as { trigger?: unknown }).trigger === 'automatic';
}

/** A card answered to one person; a personal view keeps its refresh, so Teams goes on asking for that person's version. */
function cardFor(card: Message, context: TurnContext, automatic: boolean): AdaptiveCardJson {
  const rendered = renderAdaptiveCard(card);
  return card.personalView ? withViewerRefresh(rendered, card.personalView, automatic ? context.activity.from.id : undefined) : rendered;
}

/**
 * A word for the presser alongside the card (e.g. "That stage was already marked done."), shown at the top of the card
 * answered to them. An invoke has one answer, a card or a message, not both; the card answer replaces the card for the
 * person who pressed only (as Slack's ephemeral notice is theirs only) and goes at the next update or refresh. Posting
 * the notice to the conversation instead would show it to a whole channel and leave it in the chat for good.
 */
function withNotice(card: AdaptiveCardJson, notice: Message | undefined): AdaptiveCardJson {
  const text = notice ? teamsMarkdown(notice.text).trim() : '';
  if (!text) return card;
  const banner = { type: 'Container', style: 'emphasis', items: [{ type: 'TextBlock', text, wrap: true, weight: 'Bolder' }] };
  return { ...card, body: [banner, ...((card.body as unknown[] | undefined) ?? [])] };
}

/** A rich answer (a status card) arrives as a message in the conversation; a one-liner as a notice. */
async function noticeOrMessage(port: InboundPort, context: TurnContext, message: Message): Promise<InvokeResponse> {
  if (!message.title) return noticeResponse(message);
  const a = context.activity;
  await port.reply({
    key: `teams:invoke:${a.conversation.id}:${a.id}`,
    target: { platform: 'teams', kind: 'conversation', conversationId: baseConversationId(a.conversation.id), serviceUrl: a.serviceUrl, tenantId: tenantOf(a) },
    message,
  });
  return noticeResponse({ text: `${message.title}: sent to this chat.`, sections: [] });
}

/**
 * An Adaptive Card `Action.Execute` (adaptiveCard/action invoke): a button or a form submission. The answer
 * replaces the card for the person who pressed: the updated card, the form, the form again with its errors
 * beside the fields and every typed value kept, or another page of it (Next, Back, Reload), refreshed in place.
 * An automatic refresh (a personal view) is answered with that person's card, or leaves the card as it is: it never
 * posts a message or shows a notice, and never fails the card.
 */
export async function answerCardAction(port: InboundPort, context: TurnContext): Promise<InvokeResponse> {
  const activity = context.activity;
  const submission = readAdaptiveAction(activity.value);
  if (!submission) return { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'not a card action' } } };
  const identity: PlatformIdentity = { platform: 'teams', userId: activity.from.id, aadObjectId: activity.from.aadObjectId, tenantId: tenantOf(activity) };
  const automatic = isAutomaticRefresh(activity.value);
  let form: Form | undefined;
  let values: FormValues | undefined;
  try {
    if (submission.kind === 'action') {
      const result = await port.runAction(identity, submission.actionId, submission.value);
      // Teams' own refresh never shows a notice: nobody pressed anything.
      if (result.kind === 'card') return cardResponse(automatic ? cardFor(result.card, context, true) : withNotice(cardFor(result.card, context, false), result.notice));
      if (automatic) return keepCardResponse;
      if (result.kind === 'form') return cardResponse(renderAdaptiveForm(result.form));
      return noticeOrMessage(port, context, result.message);
    }
    if (automatic) return keepCardResponse;
    form = await port.formFor(submission.callbackId, submission.state);
    if (!form) return noticeResponse({ text: 'That form is no longer in use.', sections: [] });
    values = formValuesFrom(form, submission.values);
    const result = await port.submitForm(identity, submission.callbackId, submission.state, values, submission.intent);
    switch (result.kind) {
      case 'errors':
        // A form that redraws its own page already holds what was typed.
        if (result.form) return cardResponse(renderAdaptiveForm(result.form, { errors: result.errors }));
        return cardResponse(renderAdaptiveForm(form, { values, errors: result.errors }));
      case 'page':
        return cardResponse(renderAdaptiveForm(result.form, { errors: result.errors }));
      case 'close':
        return cardResponse(renderAdaptiveCard(result.notice ?? { text: 'Saved as a draft.', sections: [{ kind: 'text', text: 'Saved as a draft.' }] }));
      case 'done':
        if (result.card) return cardResponse(cardFor(result.card, context, false));
        return noticeResponse(result.notice ?? { text: 'Saved.', sections: [] });
    }
  } catch (error) {
    port.logger.error({ ...errorLogFields(error), automatic }, 'teams card action failed');
    if (automatic) return keepCardResponse;
    if (!isDatabaseUnavailable(error)) return noticeResponse(failureMessage(error));
    // Nothing was recorded, and the person is told so in the answer itself, which needs no database: a form comes
    // back as it was sent, with everything typed and the reason on top.
    if (form && values) return cardResponse(renderAdaptiveForm({ ...withTypedChoices(form, values), notice: { text: formUnavailableText, tone: 'warning' } }, { values }));
    return noticeResponse({ text: commandUnavailableText, sections: [] });
  }
}
