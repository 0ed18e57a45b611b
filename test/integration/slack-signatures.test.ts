// Slack request authentication on the real bot: only a correctly signed request less than five minutes from now
// (either way) is run; anything else gets 401 and leaves no trace (no receipt, no outbox row, no reply).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, slackSigningSecret, type BotHarness } from '../support/bot-harness.js';
import { FORM_CONTENT_TYPE, postSignedSlackRequest, signSlackRequest, slashCommandBody } from '../support/slack-requests.js';

let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot?.stop();
});

function whoamiCommand() {
  trigger += 1;
  const id = `signature-${Date.now()}-${trigger}`;
  return { id, request: slashCommandBody({ text: 'whoami', userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(id), triggerId: id }) };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function traceOf(id: string) {
  return {
    receipts: await bot.db.inboundReceipt.count({ where: { key: { contains: id } } }),
    outbox: await bot.db.outboxMessage.count({ where: { idempotencyKey: { contains: id } } }),
    replies: bot.slackApi.calls.filter((c) => c.path.endsWith(id)).length,
  };
}

function post(body: string, headers: Record<string, string>) {
  return fetch(`${bot.url}/slack/events`, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE, ...headers }, body });
}

describe('Slack request signatures', () => {
  it('runs a correctly signed command (200, stored, answered)', async () => {
    const { id, request } = whoamiCommand();
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    expect(res.status).toBe(200);
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    expect(await traceOf(id)).toMatchObject({ receipts: 1, outbox: 1 });
  });

  const refused: [string, (body: string) => Record<string, string>][] = [
    ['signed with the wrong secret', (body) => signSlackRequest(body, 'not-the-signing-secret')],
    ['signed for a different body', (body) => signSlackRequest(`${body}&text=admin`, slackSigningSecret)],
    ['with a truncated signature', (body) => {
      const headers = signSlackRequest(body, slackSigningSecret);
      return { ...headers, 'x-slack-signature': headers['x-slack-signature'].slice(0, -1) };
    }],
    ['with no signature header', (body) => ({ 'x-slack-request-timestamp': signSlackRequest(body, slackSigningSecret)['x-slack-request-timestamp'] })],
    ['with no timestamp header', (body) => ({ 'x-slack-signature': signSlackRequest(body, slackSigningSecret)['x-slack-signature'] })],
    ['with a timestamp that is not a number', (body) => ({ ...signSlackRequest(body, slackSigningSecret), 'x-slack-request-timestamp': 'soon' })],
    ['correctly signed six minutes ago (a replay)', (body) => signSlackRequest(body, slackSigningSecret, nowSeconds() - 6 * 60)],
    ['correctly signed six minutes in the future', (body) => signSlackRequest(body, slackSigningSecret, nowSeconds() + 6 * 60)],
  ];

  for (const [what, headersFor] of refused) {
    it(`refuses a request ${what} with 401 and stores nothing`, async () => {
      const { id, request } = whoamiCommand();
      const res = await post(request.body, headersFor(request.body));
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 200));
      expect(await traceOf(id)).toEqual({ receipts: 0, outbox: 0, replies: 0 });
    });
  }

  it('runs the same body once re-signed with a fresh timestamp, after its stale copy was refused', async () => {
    const { id, request } = whoamiCommand();
    const stale = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret, nowSeconds() - 6 * 60);
    expect(stale.status).toBe(401);
    const fresh = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
    expect(fresh.status).toBe(200);
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    expect(await traceOf(id)).toMatchObject({ receipts: 1, outbox: 1, replies: 1 });
  });

  it('accepts a request signed four minutes ago or four minutes ahead (clock skew inside the window)', async () => {
    for (const offset of [-4 * 60, 4 * 60]) {
      const { id, request } = whoamiCommand();
      const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret, nowSeconds() + offset);
      expect(res.status).toBe(200);
      await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
    }
  });
});
