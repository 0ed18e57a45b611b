import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, slackSigningSecret, eventually, type BotHarness } from '../support/bot-harness.js';
import { postSignedSlackRequest, slashCommandBody, signSlackRequest } from '../support/slack-requests.js';

let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot?.stop();
});

function command(text: string, userId = 'U0DEMOUSER', extra: { triggerId?: string } = {}) {
  trigger += 1;
  const id = extra.triggerId ?? `trigger-${Date.now()}-${trigger}`;
  return { request: slashCommandBody({ text, userId, teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), id };
}

function textOf(body: unknown): string {
  return JSON.stringify(body);
}

describe('Slack slash commands', () => {
  it('acknowledges a signed /safeguarding help at once and posts the help text to the response URL', async () => {
    const { request, id } = command('help');
    const started = Date.now();
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const post = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    const body = textOf(post.body);
    expect(body).toContain('what I can do');
    expect(body).toContain('whoami');
    expect((post.body as { response_type?: string }).response_type).toBe('ephemeral');
  });

  it('rejects a bad signature with 401 and runs nothing', async () => {
    const { request, id } = command('help');
    const headers = signSlackRequest(request.body, 'not-the-secret');
    const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: { ...headers, 'content-type': request.contentType }, body: request.body });
    expect(res.status).toBe(401);
    const missing = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: { 'content-type': request.contentType }, body: request.body });
    expect(missing.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.slackApi.calls.filter((c) => c.path.endsWith(id))).toHaveLength(0);
    expect(await bot.db.inboundReceipt.count({ where: { key: { contains: id } } })).toBe(0);
  });

  it('rejects a request signed more than five minutes ago with 401', async () => {
    const { request, id } = command('help');
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret, sixMinutesAgo);
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.slackApi.calls.filter((c) => c.path.endsWith(id))).toHaveLength(0);
  });

  it('does not repeat side effects when Slack retries the same request', async () => {
    const { request, id } = command('whoami');
    const first = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    const init = { method: 'POST', body: request.body, headers: { ...signSlackRequest(request.body, slackSigningSecret), 'content-type': request.contentType, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };
    const retry = await fetch(`${bot.url}/slack/events`, init);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.slackApi.calls.filter((c) => c.method === 'response_url' && c.path.endsWith(id))).toHaveLength(1);
    expect(await bot.db.outboxMessage.count({ where: { idempotencyKey: { contains: id } } })).toBe(1);
  });

  it('whoami names a known member with their roles, agency and groups', async () => {
    const { request, id } = command('whoami');
    await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    const post = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    const body = textOf(post.body);
    expect(body).toContain('Alex Demo');
    expect(body).toContain('Business manager');
    expect(body).toContain('Swindon Borough Council');
    expect(body).toContain('Practice Review Group');
  });

  it('tells a stranger how to be added, naming the business manager', async () => {
    const { request, id } = command('whoami', 'U0STRANGER1');
    await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    const post = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    const body = textOf(post.body);
    expect(body).toContain("don't know you yet");
    expect(body).toContain('Rachel Whitmore');
    expect(body).toContain('U0STRANGER1');
  });

  it('answers an unknown command with a suggestion instead of silence', async () => {
    const { request, id } = command('whoamii');
    await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    const post = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    expect(textOf(post.body)).toContain('Did you mean `whoami`');
  });

  it('answers a command sent to the bot in a direct message', async () => {
    const event = { type: 'message', channel_type: 'im', channel: 'D0DEMO0001', user: 'U0DEMOUSER', text: 'help', ts: '1700000001.000100' };
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T0SWIND01', api_app_id: 'A0TEST', event_id: `Ev${Date.now()}`, event_time: 1700000001, event });
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, { body, contentType: 'application/json', payload: {} }, slackSigningSecret);
    expect(res.status).toBe(200);
    const post = await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && (c.body as { channel?: string }).channel === 'D0DEMO0001');
    expect(textOf(post.body)).toContain('what I can do');
  });

  it('gives 4xx, not a crash, for malformed requests', async () => {
    const body = 'payload=%7Bnot-json';
    const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers: { ...signSlackRequest(body, slackSigningSecret), 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('delivery bookkeeping', () => {
  it('records the platform message id of a delivered message so it can be updated in place', async () => {
    const row = await eventually(() => bot.db.outboxMessage.findFirst({ where: { status: 'sent', platform: 'slack', target: { path: ['kind'], equals: 'channel' } } }).then((r) => r ?? undefined));
    expect(row.platformMessageId).toMatch(/^\d+\.\d+$/);
    expect(row.platformChannelId).toBe('D0DEMO0001');
  });
});

describe('App Home', () => {
  it('shows a member what is waiting for them when they open the Home tab', async () => {
    const event = { type: 'app_home_opened', user: 'U0DEMOUSER', channel: 'D0DEMO0001', tab: 'home', event_ts: '1700000002.000100' };
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T0SWIND01', api_app_id: 'A0TEST', event_id: `EvHome${Date.now()}`, event_time: 1700000002, event });
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, { body, contentType: 'application/json', payload: {} }, slackSigningSecret);
    expect(res.status).toBe(200);
    const publish = await bot.slackApi.waitFor('views.publish');
    expect((publish.body as { user_id?: string }).user_id).toBe('U0DEMOUSER');
    const view = JSON.stringify((publish.body as { view?: unknown }).view);
    expect(view).toContain('"type":"home"');
    expect(view).toContain('Your tasks');
    expect(view).toContain('/safeguarding help');
  });
});
