// The production path to Slack's real API (no SLACK_API_URL), with Slack's answers played by nock.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RateLimitedError } from '../../src/core/errors.js';
import type { OutboundEnvelope } from '../../src/messaging/outbound.js';
import { SlackSender } from '../../src/platforms/slack/sender.js';

const message = { title: 'Reminder', text: 'Audits due Friday', sections: [{ kind: 'text' as const, text: 'Audits due Friday' }] };
const toChannel: OutboundEnvelope = { id: 'o-1', operation: 'post', target: { platform: 'slack', kind: 'channel', channel: 'C0PRG0001', teamId: 'T0SWIND01' }, message };
const sender = new SlackSender({ botToken: 'xoxb-test' });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('SlackSender against slack.com', () => {
  it('posts Block Kit with a fallback text and returns the message ts and channel', async () => {
    let body: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (b) => ((body = b), true))
      .reply(200, { ok: true, channel: 'C0PRG0001', ts: '1700000000.000100' });
    await expect(sender.send(toChannel)).resolves.toEqual({ messageId: '1700000000.000100', channelId: 'C0PRG0001' });
    expect(body.text).toBe('Audits due Friday');
    expect(JSON.parse(body.blocks!)[0]).toMatchObject({ type: 'header' });
  });

  it('turns a 429 into a rate-limit error carrying Retry-After, without retrying by itself', async () => {
    const scope = nock('https://slack.com').post('/api/chat.postMessage').reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '7' });
    const error = await sender.send(toChannel).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    expect(scope.isDone()).toBe(true);
  });

  it('gives up for good on errors no retry can fix, and leaves the rest to the delivery worker', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    await expect(sender.send(toChannel)).rejects.toBeInstanceOf(PermanentDeliveryError);
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: false, error: 'internal_error' });
    const transient = await sender.send(toChannel).catch((e: unknown) => e);
    expect(transient).not.toBeInstanceOf(PermanentDeliveryError);
    expect(String(transient)).toContain('internal_error');
  });

  it('updates a card in place with chat.update on the original channel and ts', async () => {
    let body: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.update', (b) => ((body = b), true))
      .reply(200, { ok: true, channel: 'C0PRG0001', ts: '1700000000.000100' });
    await sender.send({ ...toChannel, operation: 'update', original: { messageId: '1700000000.000100', channelId: 'C0PRG0001' } });
    expect(body).toMatchObject({ channel: 'C0PRG0001', ts: '1700000000.000100' });
  });

  it("answers a slash command through Slack's response_url, and never posts to a host that is not Slack's", async () => {
    let posted: Record<string, unknown> = {};
    nock('https://hooks.slack.com')
      .post('/commands/T0SWIND01/1/abc', (b) => ((posted = b), true))
      .reply(200, 'ok');
    await sender.send({ ...toChannel, target: { platform: 'slack', kind: 'response_url', url: 'https://hooks.slack.com/commands/T0SWIND01/1/abc' } });
    expect(posted).toMatchObject({ response_type: 'ephemeral', text: 'Audits due Friday' });

    const elsewhere = sender.send({ ...toChannel, target: { platform: 'slack', kind: 'response_url', url: 'https://attacker.example/steal' } });
    await expect(elsewhere).rejects.toThrow(/not allowed/);
  });
});
