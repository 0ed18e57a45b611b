import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, slackSigningSecret, type BotHarness } from '../support/bot-harness.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';

let bot: BotHarness;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', recordUnhandled);
  bot = await startBot({
    teams: true,
    // Slack's auth.test is down when the bot starts: first a run of 500s, then a rate limit.
    beforeStart: ({ slackApi }) => {
      slackApi.failNext('auth.test', { status: 500, times: 4 });
      slackApi.failNext('auth.test', { status: 429, retryAfterSeconds: 1 });
    },
  });
});
afterAll(async () => {
  process.off('unhandledRejection', recordUnhandled);
  await bot?.stop();
});

async function slash(text: string, id: string): Promise<Response> {
  const request = slashCommandBody({ text, userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(id), triggerId: id });
  return postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
}

describe('a Slack API blip at start-up', () => {
  it('keeps the bot up, serving health, and answers slash commands during and after the blip', async () => {
    // Long enough for Bolt's eager auth.test (and its retry) to have failed, which used to end the process.
    await new Promise((r) => setTimeout(r, 3000));
    expect(unhandled).toEqual([]);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

    const during = `blip-during-${Date.now()}`;
    expect((await slash('help', during)).status).toBe(200);
    const duringReply = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(during), { timeoutMs: 8000 });
    expect(JSON.stringify(duringReply.body)).toContain('what I can do');

    // Later requests retry auth.test (with a growing pause) until Slack answers; commands are answered throughout.
    const authRecovered = () => bot.slackApi.callsTo('auth.test').some((c) => c.status === 200);
    for (let i = 0; i < 30 && !authRecovered(); i += 1) {
      const after = `blip-after-${i}-${Date.now()}`;
      expect((await slash('help', after)).status).toBe(200);
      await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(after), { timeoutMs: 8000 });
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(authRecovered()).toBe(true);
    expect(unhandled).toEqual([]);
  }, 30_000);
});
