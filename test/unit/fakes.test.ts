// The test doubles of Slack's and Microsoft's HTTP APIs, exercised with the real clients
// (@slack/web-api WebClient, Bolt App, botbuilder CloudAdapter) so integration tests can rely on them.
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import {
  blockActionsBody,
  eventCallbackBody,
  postSignedSlackRequest,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests.js';
import {
  teamsAdaptiveCardInvoke,
  teamsInstallUpdate,
  teamsMessage,
  TEAMS_DEFAULTS,
  adapterExchange,
  conversationReferenceOf,
} from '../support/teams-activities.js';

const TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = 'test-signing-secret';

/** WebClient options that let a caller (our delivery worker) see 429s and 5xx instead of retrying inside the client. */
const NO_INTERNAL_RETRIES = { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true } as const;

describe('FakeSlackApi with the real @slack/web-api WebClient', () => {
  const slack = new FakeSlackApi({ users: { U0USER0001: { id: 'U0USER0001', real_name: 'Alex Morgan', profile: { email: 'alex@example.org' } } } });
  let slackApiUrl = '';
  let client: WebClient;

  beforeAll(async () => {
    slackApiUrl = await slack.start();
    client = new WebClient(TOKEN, { slackApiUrl, logLevel: LogLevel.ERROR, ...NO_INTERNAL_RETRIES });
  });
  afterEach(() => slack.reset());
  afterAll(() => slack.stop());

  it('answers auth.test like Slack', async () => {
    expect(slackApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: slack.teamId, user_id: slack.botUserId, bot_id: slack.botId });
    expect(slack.callsTo('auth.test')[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('decodes form-encoded blocks back to objects and returns increasing ts', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Rapid review* due' } }];
    const first = await client.chat.postMessage({ channel: 'C0CHAN0001', text: 'Rapid review due', blocks });
    const second = await client.chat.postMessage({ channel: 'C0CHAN0001', text: 'again' });

    expect(first).toMatchObject({ ok: true, channel: 'C0CHAN0001', ts: '1700000000.000100', message: { text: 'Rapid review due', blocks } });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const call = slack.callsTo('chat.postMessage')[0];
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call?.body.blocks).toEqual(blocks);
  });

  it('accepts JSON bodies too', async () => {
    const response = await fetch(`${slackApiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', text: 'hi', blocks: [{ type: 'divider' }] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(slack.callsTo('chat.postMessage')[0]?.body.blocks).toEqual([{ type: 'divider' }]);
  });

  it('updates a posted message in place and refuses unknown ones', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'Review opened' });
    const updated = await client.chat.update({ channel: 'C1', ts: posted.ts ?? '', text: 'Acknowledged by Alex' });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts: posted.ts, text: 'Acknowledged by Alex' });
    expect(slack.message('C1', posted.ts ?? '')?.text).toBe('Acknowledged by Alex');
    await expect(client.chat.update({ channel: 'C1', ts: '1.000000', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'message_not_found' },
    });
  });

  it('posts to a user id into their DM channel, opens DMs, ephemerals, views and users', async () => {
    const dm = await client.conversations.open({ users: 'U0USER0001' });
    const posted = await client.chat.postMessage({ channel: 'U0USER0001', text: 'hello' });
    expect(posted.channel).toBe(dm.channel?.id);
    expect(dm.channel?.id).toMatch(/^D/);

    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U0USER0001', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);

    const view = { type: 'modal' as const, callback_id: 's11_return', title: { type: 'plain_text' as const, text: 'Return' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: 'trigger-1', view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(slack.callsTo('views.open')[0]?.body.view).toEqual(view);
    const pushed = await client.views.push({ trigger_id: 'trigger-2', view });
    expect(pushed.view?.id).not.toBe(opened.view?.id);
    const updated = await client.views.update({ view_id: opened.view?.id ?? '', view: { ...view, callback_id: 'done' } });
    expect(updated.view).toMatchObject({ id: opened.view?.id, callback_id: 'done' });

    const info = await client.users.info({ user: 'U0USER0001' });
    expect(info.user).toMatchObject({ id: 'U0USER0001', real_name: 'Alex Morgan', profile: { email: 'alex@example.org' } });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('rejects a wrong token with HTTP 200 invalid_auth, and unknown methods with unknown_method', async () => {
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl, logLevel: LogLevel.ERROR, ...NO_INTERNAL_RETRIES });
    await expect(stranger.auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'invalid_auth' } });
    expect(slack.callsTo('auth.test')[0]?.status).toBe(200);
    await expect(client.apiCall('reminders.add', {})).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('queues faults in order: platform error, then 429 with Retry-After, then 500, then success', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    slack.failNext('chat.postMessage', { status: 500 });
    const post = () => client.chat.postMessage({ channel: 'C1', text: 'x' });

    const platform = (await post().catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(platform.code).toBe(ErrorCode.PlatformError);
    expect(platform.data.error).toBe('channel_not_found');

    const started = Date.now();
    const limited = (await post().catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(limited.code).toBe(ErrorCode.RateLimitedError);
    expect(limited.retryAfter).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(slack.callsTo('chat.postMessage')[1]?.status).toBe(429);

    await expect(post()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    await expect(post()).resolves.toMatchObject({ ok: true });
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 429, 500, 200]);
  });

  it('without rejectRateLimitedCalls the client sleeps Retry-After itself and retries (default policy)', async () => {
    const patient = new WebClient(TOKEN, { slackApiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await expect(patient.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('records response_url posts and lets tests wait for calls', async () => {
    const url = slack.responseUrl('cmd-1');
    const waiting = slack.waitFor((call) => call.method === 'response_url' && call.body.text === 'Done');
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Done', replace_original: true }) });
    expect(await response.text()).toBe('ok');
    expect((await waiting).body).toEqual({ text: 'Done', replace_original: true });
    expect(slack.responseUrlPosts('cmd-1')).toHaveLength(1);
    expect(slack.responseUrlPosts('other')).toHaveLength(0);

    const second = slack.waitFor('chat.postMessage', { count: 2, timeoutMs: 2_000 });
    await client.chat.postMessage({ channel: 'C1', text: 'one' });
    await client.chat.postMessage({ channel: 'C1', text: 'two' });
    expect((await second).body.text).toBe('two');
    await expect(slack.waitFor('views.open', { timeoutMs: 50 })).rejects.toThrow(/timed out/);
  });

  it("takes a file through Slack's own filesUploadV2 (getUploadURLExternal, POST the bytes, completeUploadExternal)", async () => {
    const csv = Buffer.from('Agency,Returned\r\nPolice,Yes\r\n');
    const result = await client.filesUploadV2({ channel_id: 'C0CHAN0001', file: csv, filename: 'returns.csv', title: 'Returns', alt_text: 'Returns table' });
    expect(result.ok).toBe(true);
    expect(slack.callsTo('files.getUploadURLExternal')[0]?.body).toMatchObject({ filename: 'returns.csv', length: String(csv.length) });
    const [upload] = slack.sharedFiles('C0CHAN0001');
    expect(upload).toMatchObject({ filename: 'returns.csv', altText: 'Returns table', shared: { channel: 'C0CHAN0001', title: 'Returns' } });
    expect(upload?.bytes?.equals(csv)).toBe(true);
    expect(slack.callsTo('upload_url')[0]).toMatchObject({ status: 200, response: `OK - ${csv.length}` });
  });

  it('refuses uploads the way Slack does: bad arguments, unknown or unsent files, user ids as channel, expired upload URLs', async () => {
    await expect(client.files.getUploadURLExternal({ filename: 'x.csv', length: 0 })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    const granted = await client.files.getUploadURLExternal({ filename: 'x.csv', length: 3 });
    expect(granted.upload_url).toMatch(new RegExp(`^${slackApiUrl.replace(/\/api\/$/, '')}/upload/v1/F\\d+$`));
    await expect(client.files.completeUploadExternal({ files: [{ id: granted.file_id ?? '' }], channel_id: 'C1' })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
    await fetch(granted.upload_url ?? '', { method: 'POST', body: 'a,b' });
    await expect(client.files.completeUploadExternal({ files: [{ id: granted.file_id ?? '' }], channel_id: 'U0USER0001' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.files.completeUploadExternal({ files: [{ id: granted.file_id ?? '' }], channel_id: 'D0USER0001' })).resolves.toMatchObject({ ok: true, files: [{ id: granted.file_id, size: 3 }] });
    expect((await fetch(`${slackApiUrl.replace(/\/api\/$/, '')}/upload/v1/F404`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('rate limits getUploadURLExternal with 429 and Retry-After, and can fail the byte upload', async () => {
    slack.failNext('files.getUploadURLExternal', { status: 429, retryAfterSeconds: 30 });
    const limited = (await client.files.getUploadURLExternal({ filename: 'x.csv', length: 1 }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 30 });

    slack.failNext('upload_url', { status: 500 });
    const granted = await client.files.getUploadURLExternal({ filename: 'x.csv', length: 1 });
    expect((await fetch(granted.upload_url ?? '', { method: 'POST', body: 'x' })).status).toBe(500);
    expect(slack.uploads().find((u) => u.fileId === granted.file_id)?.bytes).toBeUndefined();
  });
});

describe('signed Slack requests against a real Bolt App', () => {
  const slack = new FakeSlackApi();
  let app: App;
  let endpoint = '';
  const seen: string[] = [];

  beforeAll(async () => {
    const slackApiUrl = await slack.start();
    app = new App({
      token: TOKEN,
      signingSecret: SIGNING_SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl, ...NO_INTERNAL_RETRIES },
    });
    app.command('/safeguarding', async ({ ack, command, respond }) => {
      await ack();
      seen.push(`command:${command.text}`);
      await respond({ text: `You said ${command.text}` });
    });
    app.action('ack_review', async ({ ack, body, client }) => {
      await ack();
      seen.push(`action:${body.type}`);
      if (body.type === 'block_actions' && body.channel && body.message) {
        await client.chat.postMessage({ channel: body.channel.id, text: 'acknowledged', thread_ts: body.message.ts });
      }
    });
    app.view('s11_return', async ({ ack, view }) => {
      seen.push(`view:${JSON.stringify(view.state.values)}`);
      await ack({ response_action: 'errors', errors: { rating: 'Pick a rating' } });
    });
    app.event('app_home_opened', async ({ event }) => {
      seen.push(`event:${event.user}`);
    });
    const server = (await app.start(0)) as unknown as { address(): AddressInfo };
    endpoint = `http://127.0.0.1:${server.address().port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  it('computes the v0 signature Slack documents', () => {
    // Example from Slack's "Verifying requests from Slack" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = signSlackRequest(body, '8f742231b10e8888abcd99yyyzzz85a5', 1531420618);
    expect(headers['x-slack-signature']).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    expect(headers['x-slack-request-timestamp']).toBe('1531420618');
  });

  it('delivers a slash command; respond() reaches the fake response_url', async () => {
    const request = slashCommandBody({ text: 's11 status', responseUrl: slack.responseUrl('slash-1') });
    const response = await postSignedSlackRequest(endpoint, request, SIGNING_SECRET);
    expect(response.status).toBe(200);
    const posted = await slack.waitFor('response_url');
    expect(posted.body).toMatchObject({ text: 'You said s11 status' });
    expect(seen).toContain('command:s11 status');
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('delivers block_actions, view_submission and event_callback', async () => {
    const action = blockActionsBody({ actions: [{ actionId: 'ack_review', value: 'review-42' }], channelId: 'C0CHAN0001', messageTs: '1700000000.000900' });
    expect((await postSignedSlackRequest(endpoint, action, SIGNING_SECRET)).status).toBe(200);
    const threaded = await slack.waitFor('chat.postMessage');
    expect(threaded.body).toMatchObject({ channel: 'C0CHAN0001', thread_ts: '1700000000.000900', text: 'acknowledged' });

    const submission = viewSubmissionBody({ callbackId: 's11_return', values: { rating: { rating: { type: 'static_select', selected_option: null } } } });
    const submitted = await postSignedSlackRequest(endpoint, submission, SIGNING_SECRET);
    expect(await submitted.json()).toEqual({ response_action: 'errors', errors: { rating: 'Pick a rating' } });

    const event = eventCallbackBody({ event: { type: 'app_home_opened', user: 'U0USER0001', channel: 'D0HOME', tab: 'home' } });
    expect((await postSignedSlackRequest(endpoint, event, SIGNING_SECRET)).status).toBe(200);
    await expect.poll(() => seen).toContain('event:U0USER0001');
    expect(seen).toContain('action:block_actions');
  });

  it('is refused by Bolt with a bad signature or a stale timestamp', async () => {
    const request = slashCommandBody({ text: 'x' });
    expect((await postSignedSlackRequest(endpoint, request, 'wrong-secret')).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect((await postSignedSlackRequest(endpoint, request, SIGNING_SECRET, stale)).status).toBe(401);
  });
});

describe('FakeBotConnector with the real botbuilder CloudAdapter (auth disabled: empty app id)', () => {
  const connector = new FakeBotConnector();
  let serviceUrl = '';
  let adapter: CloudAdapter;

  beforeAll(async () => {
    serviceUrl = await connector.start();
    adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  });
  afterEach(() => connector.reset());
  afterAll(() => connector.stop());

  /** Posts a new activity (not a reply) the way a delivery worker can: the turn's ConnectorClient.sendToConversation. */
  async function sendNew(reference: ConversationReference, text: string): Promise<string> {
    let id = '';
    await adapter.continueConversationAsync('', reference, async (context) => {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const activity = { type: 'message', text, from: reference.bot, recipient: reference.user, conversation: reference.conversation };
      id = (await client.conversations.sendToConversation(reference.conversation.id, activity as Activity)).id;
    });
    return id;
  }

  it('records a reply sent during an inbound turn over plain http, without an Authorization header', async () => {
    const conversationId = '19:abc@thread.tacv2;messageid=1700000000000';
    const inbound = teamsMessage({ text: 's11 status', serviceUrl, conversationId, conversationType: 'channel', mentionBot: true });
    const { req, res, captured } = adapterExchange(inbound);

    let mentionStripped = '';
    await adapter.process(req, res, async (context) => {
      mentionStripped = TurnContext.removeRecipientMention(context.activity)?.trim() ?? '';
      await context.sendActivity('hi');
    });
    await captured.ended;

    expect(captured.status).toBe(200);
    expect(mentionStripped).toBe('s11 status');
    const reply = await connector.waitFor('replyToActivity');
    expect(reply.conversationId).toBe(conversationId);
    expect(reply.activityId).toBe(inbound.id);
    expect(reply.path).toContain('19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000');
    expect(reply.body).toMatchObject({ type: 'message', text: 'hi', replyToId: inbound.id, conversation: { id: conversationId } });
    expect(reply.headers.authorization).toBeUndefined();
    expect(connector.sentActivities(conversationId)[0]).toMatchObject({ text: 'hi', id: expect.stringMatching(/^\d+$/) });
  });

  it('proactive sendActivity via continueConversationAsync("", reference, logic) POSTs a reply to a random continuation id', async () => {
    const reference = conversationReferenceOf(teamsMessage({ text: 'hello', serviceUrl }));

    let sentId = '';
    await adapter.continueConversationAsync('', reference, async (context) => {
      sentId = (await context.sendActivity('Rapid review RR-7 is due'))?.id ?? '';
    });
    // botbuilder gives the continuation activity a uuid id and replies to it: Teams posts it as a new message.
    const reply = await connector.waitFor('replyToActivity');
    expect(reply.conversationId).toBe(TEAMS_DEFAULTS.personalConversationId);
    expect(reply.activityId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(reply.body).toMatchObject({ type: 'message', text: 'Rapid review RR-7 is due', replyToId: reply.activityId });
    expect(sentId).toBe(connector.sentActivities()[0]?.id);

    await adapter.continueConversationAsync('', reference, async (context) => {
      await context.updateActivity({ id: sentId, type: 'message', text: 'Acknowledged by Alex' });
      await context.deleteActivity(sentId);
    });
    const update = await connector.waitFor('updateActivity');
    expect(update).toMatchObject({ httpMethod: 'PUT', activityId: sentId, body: { text: 'Acknowledged by Alex' } });
    expect(connector.requestsFor('deleteActivity')[0]).toMatchObject({ httpMethod: 'DELETE', activityId: sentId, status: 200 });
    expect(connector.activity(TEAMS_DEFAULTS.personalConversationId, sentId)).toBeUndefined();
  });

  it('sendToConversation through the turn\'s ConnectorClient posts a new activity', async () => {
    const reference = conversationReferenceOf(teamsMessage({ text: 'hello', serviceUrl, conversationType: 'channel' }));
    const id = await sendNew(reference, 'New QA cycle started');
    const send = await connector.waitFor('sendToConversation');
    expect(send).toMatchObject({ conversationId: TEAMS_DEFAULTS.channelConversationId, body: { type: 'message', text: 'New QA cycle started' } });
    expect(id).toBe(connector.sentActivities(TEAMS_DEFAULTS.channelConversationId)[0]?.id);
  });

  it('surfaces 403 and 404 from the connector as errors with statusCode and code', async () => {
    const reference = conversationReferenceOf(teamsMessage({ text: 'x', serviceUrl }));
    connector.failNext('sendToConversation', { status: 403 });
    connector.failNext('replyToActivity', { status: 404 });
    await expect(sendNew(reference, 'x')).rejects.toMatchObject({ statusCode: 403, code: 'BotNotInConversationRoster' });
    const viaSendActivity = adapter.continueConversationAsync('', reference, async (context) => void (await context.sendActivity('x')));
    await expect(viaSendActivity).rejects.toMatchObject({ statusCode: 404, code: 'ConversationNotFound' });
  });

  it('shows that botbuilder retries a 429 itself (3 retries, honouring Retry-After) before surfacing it', async () => {
    const reference = conversationReferenceOf(teamsMessage({ text: 'x', serviceUrl }));

    connector.failNext('sendToConversation', { status: 429, retryAfterSeconds: 0 });
    await sendNew(reference, 'x');
    expect(connector.requestsFor('sendToConversation').map((r) => r.status)).toEqual([429, 201]);

    connector.reset();
    connector.failNext('sendToConversation', { status: 429, retryAfterSeconds: 0, times: 4 });
    await expect(sendNew(reference, 'x')).rejects.toMatchObject({ statusCode: 429 });
    expect(connector.requestsFor('sendToConversation').map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(connector.requestsFor('sendToConversation')[0]?.response).toEqual({ error: { code: 'Throttled', message: expect.any(String) } });
  });

  it('lets a caller see the first 429 by removing the pipeline\'s defaultRetryPolicy from the turn\'s ConnectorClient', async () => {
    const reference = conversationReferenceOf(teamsMessage({ text: 'x', serviceUrl }));
    connector.failNext('replyToActivity', { status: 429, retryAfterSeconds: 7 });
    const started = Date.now();
    const attempt = adapter.continueConversationAsync('', reference, async (context) => {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      // `client` is private in botbuilder-stdlib's typings: a core-client ServiceClient with a mutable pipeline.
      (client as unknown as { client: { pipeline: { removePolicy(p: { name: string }): unknown } } }).client.pipeline.removePolicy({ name: 'defaultRetryPolicy' });
      await context.sendActivity('x');
    });
    const error = (await attempt.catch((e: unknown) => e)) as { statusCode?: number; response?: { headers: { get(name: string): string | undefined } } };
    expect(error.statusCode).toBe(429);
    expect(error.response?.headers.get('retry-after')).toBe('7');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(connector.requestsFor('replyToActivity').map((r) => r.status)).toEqual([429]);
  });

  it('creates conversations and answers Action.Execute invokes in the HTTP response', async () => {
    let createdId = '';
    await adapter.createConversationAsync(
      '',
      'msteams',
      serviceUrl,
      '',
      { isGroup: false, bot: { id: TEAMS_DEFAULTS.botId, name: 'Partnership Bot' }, members: [{ id: TEAMS_DEFAULTS.fromId, name: 'Alex' }], tenantId: TEAMS_DEFAULTS.tenantId, channelData: { tenant: { id: TEAMS_DEFAULTS.tenantId } } } as never,
      async (context) => {
        createdId = context.activity.conversation.id;
        await context.sendActivity('welcome');
      },
    );
    expect(connector.requestsFor('createConversation')[0]?.body).toMatchObject({ members: [{ id: TEAMS_DEFAULTS.fromId }] });
    expect(connector.sentActivities(createdId)[0]).toMatchObject({ text: 'welcome' });

    const invoke = teamsAdaptiveCardInvoke({ verb: 'acknowledge', data: { reviewId: 'RR-7' }, replyToId: '1700000000001', serviceUrl });
    const { req, res, captured } = adapterExchange(invoke);
    const requestsBefore = connector.requests.length;
    let verb = '';
    await adapter.process(req, res, async (context) => {
      const value = context.activity.value as { action: { verb: string } };
      verb = value.action.verb;
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Thanks' } } });
    });
    await captured.ended;
    expect(verb).toBe('acknowledge');
    expect(captured).toMatchObject({ status: 200, body: { statusCode: 200, value: 'Thanks' } });
    expect(connector.requests).toHaveLength(requestsBefore);
  });

  it('accepts the install activities Teams sends', async () => {
    const kinds: string[] = [];
    for (const activity of teamsInstallUpdate({ serviceUrl, conversationType: 'channel' })) {
      const { req, res, captured } = adapterExchange(activity);
      await adapter.process(req, res, async (context) => {
        kinds.push(`${context.activity.type}:${context.activity.action ?? context.activity.membersAdded?.[0]?.id ?? ''}`);
      });
      await captured.ended;
      expect(captured.status).toBe(200);
    }
    expect(kinds).toEqual(['installationUpdate:add', `conversationUpdate:${TEAMS_DEFAULTS.botId}`]);
  });

  it('refuses a message over 100 KB with 413 MessageSizeTooBig, not counting base64 images', async () => {
    const reference = conversationReferenceOf(teamsMessage({ text: 'x', serviceUrl }));
    const picture = `data:image/png;base64,${'A'.repeat(400_000)}`;
    await sendNew(reference, `Chart ${picture}`);
    await expect(sendNew(reference, 'x'.repeat(60_000))).rejects.toMatchObject({ statusCode: 413, code: 'MessageSizeTooBig' });
    expect(connector.requestsFor('sendToConversation').map((r) => r.status)).toEqual([201, 413]);
  });
});
