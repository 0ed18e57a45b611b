import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { PlatformIdentity } from '../../directory/identity.js';
import { commandUnavailableText, schedulerDelayedText, type InboundPort } from '../../interactions/inbound-port.js';
import type { OutboundTarget } from '../../messaging/outbound.js';
import { isDatabaseUnavailable } from '../../store/db-errors.js';
import type { WebClient } from '@slack/web-api';
import { afterAck } from './after-ack.js';
import { tellWithoutRecords } from './without-records.js';
import { failureMessage } from '../../messaging/failure-message.js';
import type { Message } from '../../messaging/message.js';
import { renderSlackModal, slackFormIntent } from './render-form.js';
import { handleSlackForms, pageModalInPlace } from './slack-forms.js';
import { originalActionId } from './render-message.js';
import { errorLogFields } from '../../core/error-log.js';

/** Card buttons, buttons inside modals and modal submissions from Slack, handed to the platform-neutral interaction router. */
export function handleSlackInteractions(bolt: App, port: InboundPort): void {
  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, client }) => {
    // A retried delivery of the same payload (X-Slack-Retry-Num) has no second effect and sends nothing more.
    const key = `slack:action:${body.trigger_id}:${action.action_id}:${action.action_ts}`;
    const identity: PlatformIdentity = { platform: 'slack', userId: body.user.id, teamId: body.team?.id ?? body.user.team_id };
    const noticeTarget: OutboundTarget = body.response_url
      ? { platform: 'slack', kind: 'response_url', url: body.response_url, teamId: identity.teamId, user: body.user.id }
      : { platform: 'slack', kind: 'channel', channel: body.user.id, teamId: identity.teamId };
    const notify = (message: Message) => port.reply({ key: `slack:action:${body.trigger_id}`, target: noticeTarget, message });
    const intent = body.view ? slackFormIntent(action.action_id) : undefined;
    const pagesModal = intent !== undefined && body.view !== undefined;
    // A press is stored before Slack hears 200 (recovery carries it out after a crash). Paging a modal is not: the
    // modal itself still holds what was typed.
    const acceptance = pagesModal
      ? await port.claimInbound(key).then((first) => (first ? 'accepted' : 'duplicate'), () => 'unavailable' as const)
      : await port.acceptCommand(key, { kind: 'action', actionId: originalActionId(action.action_id), value: action.value, identity, reply: { key: `slack:action:${body.trigger_id}`, target: noticeTarget } });
    await ack();
    if (acceptance === 'duplicate') return;
    const direct = body.response_url ? { responseUrl: body.response_url } : { channel: body.user.id };
    if (acceptance === 'unavailable') {
      afterAck(port, 'slack action notice failed', () => tellWithoutRecords(client, direct, commandUnavailableText, port.logger));
      return;
    }
    if (!pagesModal && !port.schedulerReachable()) afterAck(port, 'slack action notice failed', () => tellWithoutRecords(client, direct, schedulerDelayedText, port.logger));
    afterAck(port, 'slack action failed', () => carryOut(port, client, body, action, identity, notify, key, pagesModal ? intent : undefined));
  });

  handleSlackForms(bolt, port);
}

async function carryOut(
  port: InboundPort,
  client: WebClient,
  body: BlockAction<ButtonAction>,
  action: ButtonAction,
  identity: Extract<PlatformIdentity, { platform: 'slack' }>,
  notify: (message: Message) => Promise<void>,
  key: string,
  modalIntent: ReturnType<typeof slackFormIntent>,
): Promise<void> {
  try {
    if (modalIntent && body.view) {
      await pageModalInPlace(port, client, identity, body.view, modalIntent);
      return;
    }
    const result = await port.runAction(identity, originalActionId(action.action_id), action.value, key);
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
    await port.finishCommand(key);
  } catch (error) {
    port.logger.error({ ...errorLogFields(error), actionId: action.action_id }, 'slack action failed');
    // With the database away the press stays stored, and recovery carries it out once it is back.
    if (isDatabaseUnavailable(error)) return;
    await notify(failureMessage(error)).catch(() => undefined);
    await port.finishCommand(key).catch(() => undefined);
  }
}
