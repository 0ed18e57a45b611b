// Oversized and pathological request bodies are refused early with a 4xx, before anything parses them, and the bot
// goes on answering. Slack's endpoint reads at most Bolt's 4 MB and checks the signature before parsing; Teams' reads
// at most 256 kB.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, slackSigningSecret, type BotHarness } from '../support/bot-harness.js';
import { JSON_CONTENT_TYPE, postSignedSlackRequest, signSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { teamsMessage } from '../support/teams-activities.js';

let bot: BotHarness;

beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot?.stop();
});

const fiveMegabytes = 5 * 1024 * 1024;
/** A JSON value nested about a million levels deep (2 MB): `{"a":[{"a":[...]}]}`. */
const deeplyNested = (bytes: number) => `${'{"a":['.repeat(bytes / 12)}${']}'.repeat(bytes / 12)}`;
const hugeJson = () => JSON.stringify({ type: 'message', text: 'x'.repeat(fiveMegabytes) });

/** POSTs `body`, declared with Content-Length or (chunked) without, on a connection of its own (the server may close it early). */
function post(path: string, body: string, headers: Record<string, string>, chunked = false): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${bot.url}${path}`, { agent: false, method: 'POST', headers: { ...headers, ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, timeout: 20_000 }, (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
    // The server may answer and close before the whole body is sent; the answer has already arrived by then.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (chunked) {
      const chunk = 64 * 1024;
      for (let at = 0; at < body.length; at += chunk) req.write(body.slice(at, at + chunk));
      req.end();
    } else req.end(body);
  });
}

async function stillAnswers(): Promise<void> {
  const id = `after-${Date.now()}`;
  const command = slashCommandBody({ text: 'help', userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(id), triggerId: id });
  expect((await postSignedSlackRequest(`${bot.url}/slack/events`, command, slackSigningSecret)).status).toBe(200);
  await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id));
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
}

describe('oversized bodies', () => {
  it('a 5 MB body to /slack/events gets 413, signed or not, with or without a Content-Length', async () => {
    const body = hugeJson();
    expect(await post('/slack/events', body, { 'content-type': JSON_CONTENT_TYPE })).toBe(413);
    expect(await post('/slack/events', body, { 'content-type': JSON_CONTENT_TYPE, ...signSlackRequest(body, slackSigningSecret) })).toBe(413);
    expect(await post('/slack/events', body, { 'content-type': JSON_CONTENT_TYPE, ...signSlackRequest(body, slackSigningSecret) }, true)).toBe(413);
    await stillAnswers();
  });

  it('a 5 MB body to /api/messages gets 413, with or without a Content-Length', async () => {
    const body = hugeJson();
    expect(await post('/api/messages', body, { 'content-type': 'application/json' })).toBe(413);
    expect(await post('/api/messages', body, { 'content-type': 'application/json' }, true)).toBe(413);
    await stillAnswers();
  });

  it('a 2 MB deeply nested JSON body gets a 4xx on both endpoints and nothing is stored', async () => {
    const body = deeplyNested(2 * 1024 * 1024);
    const receiptsBefore = await bot.db.inboundReceipt.count();
    expect(await post('/api/messages', body, { 'content-type': 'application/json' })).toBe(413);
    expect(await post('/slack/events', body, { 'content-type': JSON_CONTENT_TYPE })).toBe(401);
    const signed = await post('/slack/events', body, { 'content-type': JSON_CONTENT_TYPE, ...signSlackRequest(body, slackSigningSecret) });
    expect(signed).toBeGreaterThanOrEqual(400);
    expect(signed).toBeLessThan(500);
    expect(await bot.db.inboundReceipt.count()).toBe(receiptsBefore);
    await stillAnswers();
  });

  it('a small but deeply nested Teams activity gets 400, not 500', async () => {
    const activity = JSON.stringify(teamsMessage({ serviceUrl: bot.connector.serviceUrl, conversationId: 'a:1nested', text: 'help' }));
    const nestedValue = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const body = `${activity.slice(0, -1)},"value":${nestedValue}}`;
    const status = await post('/api/messages', body, { 'content-type': 'application/json' });
    expect(status).toBeLessThan(500);
    await stillAnswers();
  });
});
