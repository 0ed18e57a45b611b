import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { Services } from '../../app/services.js';
import type { PlatformIdentity } from '../../directory/identity.js';
import { failureMessage } from '../../messaging/failure-message.js';
import type { Message } from '../../messaging/message.js';
import { sendOutbound } from '../../messaging/send.js';
import { claimInbound } from '../../store/inbound-receipts.js';
import { readSlackViewValues, renderSlackModal, slackFieldErrors } from './render-form.js';
import { originalActionId } from './render-message.js';

/** Card buttons and modal submissions from Slack, handed to the platform-neutral interaction router. */
export function handleSlackInteractions(bolt: App, services: Services): void {
  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, client }) => {
    await ack();
    // A retried delivery of the same payload (X-Slack-Retry-Num) has no second effect and sends nothing more.
    if (!(await claimInbound(services.db, `slack:action:${body.trigger_id}:${action.action_id}:${action.action_ts}`))) return;
    const identity: PlatformIdentity = { platform: 'slack', userId: body.user.id, teamId: body.team?.id ?? body.user.team_id };
    const notify = (message: Message) =>
      body.response_url
        ? sendOutbound(services, { key: `slack:action:${body.trigger_id}`, target: { platform: 'slack', kind: 'response_url', url: body.response_url, teamId: identity.teamId }, message })
        : sendOutbound(services, { key: `slack:action:${body.trigger_id}`, target: { platform: 'slack', kind: 'channel', channel: body.user.id, teamId: identity.teamId }, message });
    try {
      const result = await services.interactions.runAction(identity, originalActionId(action.action_id), action.value);
      if (result.kind === 'form') {
        await client.views.open({ trigger_id: body.trigger_id, view: renderSlackModal(result.form, { privateMetadata: result.form.state }) });
      } else if (result.kind === 'notice') {
        await notify(result.message);
      } else if (result.notice) {
        await notify(result.notice);
      }
    } catch (error) {
      services.logger.error({ err: error instanceof Error ? error.message : String(error), actionId: action.action_id }, 'slack action failed');
      await notify(failureMessage(error)).catch(() => undefined);
    }
  });

  bolt.view<ViewSubmitAction>({ type: 'view_submission' }, async ({ ack, body, view }) => {
    const identity: PlatformIdentity = { platform: 'slack', userId: body.user.id, teamId: body.team?.id ?? body.user.team_id };
    const state = view.private_metadata || undefined;
    const form = services.interactions.formFor(view.callback_id, state);
    if (!form) {
      await ack();
      return;
    }
    try {
      const result = await services.interactions.submitForm(identity, view.callback_id, state, readSlackViewValues(form, view.state.values));
      if (result.kind === 'errors') {
        await ack(slackFieldErrors(result.errors));
        return;
      }
      await ack();
      const message = result.notice ?? result.card;
      if (message) {
        await sendOutbound(services, { key: `slack:view:${view.id}:${view.hash}`, target: { platform: 'slack', kind: 'channel', channel: body.user.id, teamId: identity.teamId }, message });
      }
    } catch (error) {
      services.logger.error({ err: error instanceof Error ? error.message : String(error), callbackId: view.callback_id }, 'slack form failed');
      await ack({ response_action: 'errors', errors: { [form.fields[0]?.id ?? 'form']: 'Sorry, that could not be saved. Nothing was changed; please try again.' } }).catch(() => undefined);
    }
  });
}
