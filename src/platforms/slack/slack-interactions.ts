import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { PlatformIdentity } from '../../directory/identity.js';
import type { InboundPort } from '../../interactions/inbound-port.js';
import { failureMessage } from '../../messaging/failure-message.js';
import type { Message } from '../../messaging/message.js';
import { renderSlackModal, slackFormIntent } from './render-form.js';
import { handleSlackForms, pageModalInPlace } from './slack-forms.js';
import { originalActionId } from './render-message.js';
import { errorLogFields } from '../../core/error-log.js';

/** Card buttons, buttons inside modals and modal submissions from Slack, handed to the platform-neutral interaction router. */
export function handleSlackInteractions(bolt: App, port: InboundPort): void {
  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, client }) => {
    await ack();
    // A retried delivery of the same payload (X-Slack-Retry-Num) has no second effect and sends nothing more.
    if (!(await port.claimInbound(`slack:action:${body.trigger_id}:${action.action_id}:${action.action_ts}`))) return;
    const identity: PlatformIdentity = { platform: 'slack', userId: body.user.id, teamId: body.team?.id ?? body.user.team_id };
    const notify = (message: Message) =>
      body.response_url
        ? port.reply({ key: `slack:action:${body.trigger_id}`, target: { platform: 'slack', kind: 'response_url', url: body.response_url, teamId: identity.teamId, user: body.user.id }, message })
        : port.reply({ key: `slack:action:${body.trigger_id}`, target: { platform: 'slack', kind: 'channel', channel: body.user.id, teamId: identity.teamId }, message });
    try {
      const intent = body.view ? slackFormIntent(action.action_id) : undefined;
      if (intent && body.view) {
        await pageModalInPlace(port, client, identity, body.view, intent);
        return;
      }
      const result = await port.runAction(identity, originalActionId(action.action_id), action.value);
      if (result.kind === 'form') {
        await client.views.open({ trigger_id: body.trigger_id, view: renderSlackModal(result.form, { privateMetadata: result.form.state }) });
      } else if (result.kind === 'notice') {
        await notify(result.message);
      } else {
        if (result.notice) await notify(result.notice);
        // An ephemeral message (a slash command's answer) is reachable only through its response_url, so it is replaced
        // there. Any other message the card is about is updated with every copy through the outbox.
        if (body.response_url && (body.container as { is_ephemeral?: boolean } | undefined)?.is_ephemeral === true) {
          await port.reply({ key: `slack:action:${body.trigger_id}:card`, target: { platform: 'slack', kind: 'response_url', url: body.response_url, teamId: identity.teamId, user: body.user.id, replaceOriginal: true }, message: result.card });
        }
      }
    } catch (error) {
      port.logger.error({ ...errorLogFields(error), actionId: action.action_id }, 'slack action failed');
      await notify(failureMessage(error)).catch(() => undefined);
    }
  });

  handleSlackForms(bolt, port);
}
