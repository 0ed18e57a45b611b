import { App, ExpressReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { WebClient } from '@slack/web-api';
import type { PlatformIdentity } from '../../directory/identity.js';
import { commandUnavailableText, schedulerDelayedText, type InboundPort } from '../../interactions/inbound-port.js';
import type { OutboundTarget } from '../../messaging/outbound.js';
import type { SlackSettings } from '../../config.js';
import { boltLogger } from './bolt-logger.js';
import { resilientBotAuthorize } from './slack-authorize.js';
import { refuseFutureSlackTimestamps } from './request-freshness.js';
import { handleSlackInteractions } from './slack-interactions.js';
import { homeView } from './home-view.js';
import { renderSlackModal } from './render-form.js';
import { openFormMessage } from '../../forms/open-form.js';
import { errorLogFields } from '../../core/error-log.js';
import { afterAck } from './after-ack.js';
import { tellWithoutRecords } from './without-records.js';

/**
 * Mounts Slack on POST /slack/events of our one express app: Bolt verifies signatures (401 on a bad or stale one)
 * and we route slash commands, DMs and @mentions to the same command router Teams uses.
 *
 * Slack hears 200 only once what it sent is stored: `processBeforeResponse` holds the HTTP answer until a listener
 * returns (events included, which Bolt would otherwise acknowledge before any listener ran), so each listener stores
 * first, acknowledges, and leaves the slower work (running the command, calling Slack) to carry on afterwards.
 */
export function mountSlack(app: Express, slack: SlackSettings, port: InboundPort): App {
  app.post('/slack/events', refuseFutureSlackTimestamps());
  const receiver = new ExpressReceiver({
    signingSecret: slack.signingSecret,
    app,
    endpoints: '/slack/events',
    logger: boltLogger(port.logger),
    processBeforeResponse: true,
  });
  const authorize = resilientBotAuthorize(slack.botToken, () => bolt.client.auth.test({ token: slack.botToken }), port.logger);
  const bolt = new App({
    receiver,
    authorize,
    logger: boltLogger(port.logger),
    // A hung Slack must not hold a request handler: views.open's trigger_id is dead after 3 s anyway.
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 1 }, timeout: 5_000 },
  });
  void authorize();

  bolt.command('/safeguarding', async ({ command, ack, client }) => {
    const key = `slack:command:${command.trigger_id}`;
    const identity: PlatformIdentity = { platform: 'slack', userId: command.user_id, teamId: command.team_id };
    const target: OutboundTarget = { platform: 'slack', kind: 'response_url', url: command.response_url, teamId: command.team_id, user: command.user_id };
    // Stored before Slack hears 200, so an acknowledged command survives a crash (recovery answers it).
    const acceptance = await port.acceptCommand(key, { text: command.text, identity, reply: { key: `${key}:reply`, target } });
    if (acceptance === 'unavailable') {
      await ack({ response_type: 'ephemeral', text: commandUnavailableText });
      return;
    }
    // Stored, but its answer waits for the queues: said at once, in the acknowledgement.
    if (acceptance === 'accepted' && !port.schedulerReachable()) await ack({ response_type: 'ephemeral', text: schedulerDelayedText });
    else await ack();
    if (acceptance === 'duplicate') return;
    afterAck(port, 'slack command failed', async () => {
      const result = await port.runCommand(command.text, identity, key);
      if (result.kind === 'form') {
        await client.views.open({ trigger_id: command.trigger_id, view: renderSlackModal(result.form, { privateMetadata: result.form.state }) });
      } else {
        await port.reply({ key: `${key}:reply`, target, message: result.message });
      }
      await port.finishCommand(key);
    });
  });

  bolt.event('app_mention', async ({ event, body, client }) => {
    await acceptConversation(port, client, body.event_id, event.text ?? '', event.user, body.team_id, event.channel, event.thread_ts ?? event.ts);
  });

  bolt.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || !('user' in event) || 'bot_id' in event) return;
    await acceptConversation(port, client, body.event_id, event.text ?? '', event.user, body.team_id, event.channel);
  });

  // Nothing to store: the Home tab is only read, so it is drawn after Slack has its answer.
  bolt.event('app_home_opened', ({ event, body, client }) => {
    if (event.tab !== 'home') return Promise.resolve();
    afterAck(port, 'slack home tab failed', async () => {
      const result = await port.runCommand('tasks', { platform: 'slack', userId: event.user, teamId: body.team_id });
      const message = result.kind === 'reply' ? result.message : { text: 'Type /safeguarding help to begin.', sections: [] };
      await client.views.publish({ user_id: event.user, view: homeView(message) });
    });
    return Promise.resolve();
  });

  handleSlackInteractions(bolt, port);

  bolt.error(async (error) => {
    port.logger.error(errorLogFields(error), 'slack handler failed');
  });
  return bolt;
}

/**
 * A DM or an @mention: stored as a command (recovery answers it after a crash), then answered once Slack has its 200.
 * When it cannot be stored the person is told in the same place, straight through Slack.
 */
async function acceptConversation(
  port: InboundPort,
  client: WebClient,
  eventId: string,
  typed: string,
  userId: string | undefined,
  teamId: string,
  channel: string,
  threadTs?: string,
): Promise<void> {
  if (!userId) return;
  const key = `slack:event:${eventId}`;
  const identity: PlatformIdentity = { platform: 'slack', userId, teamId };
  const target: OutboundTarget = { platform: 'slack', kind: 'channel', channel, teamId, threadTs };
  const text = typed.replace(/<@[A-Z0-9]+>/g, ' ');
  const acceptance = await port.acceptCommand(key, { text, identity, reply: { key: `${key}:reply`, target } });
  if (acceptance === 'duplicate') return;
  if (acceptance === 'unavailable') {
    afterAck(port, 'slack event notice failed', () => tellWithoutRecords(client, { channel, threadTs }, commandUnavailableText, port.logger));
    return;
  }
  afterAck(port, 'slack event failed', async () => {
    if (!port.schedulerReachable()) await tellWithoutRecords(client, { channel, threadTs }, schedulerDelayedText, port.logger);
    const result = await port.runCommand(text, identity, key);
    // Without a trigger_id no modal can open here: the answer is a button whose press (which has one) opens it.
    const message = result.kind === 'reply' ? result.message : openFormMessage(result.form);
    await port.reply({ key: `${key}:reply`, target, message });
    await port.finishCommand(key);
  });
}
