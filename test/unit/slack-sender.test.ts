// The production path to Slack's real API (no SLACK_API_URL), with Slack's answers played by nock.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RateLimitedError } from '../../src/core/errors.js';
import { PartiallySentError, type OutboundEnvelope } from '../../src/messaging/outbound.js';
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

describe('SlackSender with images and files', () => {
  const csv = 'Agency,Returned\r\nPolice,Yes\r\n';
  const withFile: OutboundEnvelope = {
    ...toChannel,
    message: { ...message, sections: [...message.sections, { kind: 'file', name: 'returns.csv', mimeType: 'text/csv', data: Buffer.from(csv).toString('base64'), title: 'Returns' }] },
  };

  /** Slack's three upload steps; records what each received. */
  function expectUpload(options: { channel: string; fileId?: string } = { channel: 'C0PRG0001' }) {
    const seen: { granted?: Record<string, string>; bytes?: Buffer; completed?: Record<string, string> } = {};
    const fileId = options.fileId ?? 'F0001';
    nock('https://slack.com')
      .post('/api/files.getUploadURLExternal', (b) => ((seen.granted = b), true))
      .reply(200, { ok: true, upload_url: `https://files.slack.com/upload/v1/${fileId}`, file_id: fileId });
    nock('https://files.slack.com')
      .post(`/upload/v1/${fileId}`, (b) => ((seen.bytes = Buffer.from(b as string)), true))
      .reply(200, 'OK - 30');
    nock('https://slack.com')
      .post('/api/files.completeUploadExternal', (b) => ((seen.completed = b), true))
      .reply(200, { ok: true, files: [{ id: fileId, title: 'Returns' }] });
    return seen;
  }

  it('posts the card, then uploads the file and shares it into the channel the card went to', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C0PRG0001', ts: '1700000000.000100' });
    const seen = expectUpload();
    await expect(sender.send(withFile)).resolves.toEqual({ messageId: '1700000000.000100', channelId: 'C0PRG0001' });
    expect(seen.granted).toMatchObject({ filename: 'returns.csv', length: String(Buffer.byteLength(csv)) });
    expect(seen.bytes?.toString('utf8')).toBe(csv);
    expect(JSON.parse(seen.completed!.files!)).toEqual([{ id: 'F0001', title: 'Returns' }]);
    expect(seen.completed).toMatchObject({ channel_id: 'C0PRG0001' });
    expect(nock.isDone()).toBe(true);
  });

  it('on a retry after the card went out, only uploads what is left', async () => {
    const seen = expectUpload();
    const result = await sender.send({ ...withFile, alreadyPosted: { messageId: '1700000000.000100', channelId: 'C0PRG0001' } });
    expect(result).toEqual({ messageId: '1700000000.000100', channelId: 'C0PRG0001' });
    expect(seen.completed).toMatchObject({ channel_id: 'C0PRG0001' });
    expect(nock.isDone()).toBe(true);
  });

  it('reports a rate-limited upload as a partial send carrying Retry-After, so the card is not posted twice', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C0PRG0001', ts: '1700000000.000100' });
    nock('https://slack.com').post('/api/files.getUploadURLExternal').reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '20' });
    const error = (await sender.send(withFile).catch((e: unknown) => e)) as PartiallySentError;
    expect(error).toBeInstanceOf(PartiallySentError);
    expect(error.sent).toEqual({ messageId: '1700000000.000100', channelId: 'C0PRG0001' });
    expect(error.cause).toBeInstanceOf(RateLimitedError);
    expect((error.cause as RateLimitedError).retryAfterMs).toBe(20_000);
  });

  it('never sends file bytes to a host that is not Slack', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C0PRG0001', ts: '1700000000.000100' });
    nock('https://slack.com').post('/api/files.getUploadURLExternal').reply(200, { ok: true, upload_url: 'https://attacker.example/upload', file_id: 'F1' });
    const error = (await sender.send(withFile).catch((e: unknown) => e)) as PartiallySentError;
    expect(error.cause).toBeInstanceOf(PermanentDeliveryError);
    expect(String(error.cause)).toMatch(/not allowed/);
  });

  it("puts the files of an ephemeral reply into the person's DM, and says so on the card", async () => {
    let card: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postEphemeral', (b) => ((card = b), true))
      .reply(200, { ok: true, message_ts: '1700000000.000200' });
    nock('https://slack.com').post('/api/conversations.open', (b) => b.users === 'U0ALEX001').reply(200, { ok: true, channel: { id: 'D0ALEX001' } });
    const seen = expectUpload({ channel: 'D0ALEX001' });
    await sender.send({ ...withFile, target: { platform: 'slack', kind: 'ephemeral', channel: 'C0PRG0001', user: 'U0ALEX001' } });
    expect(card.blocks).toContain('sent to your direct messages with the bot');
    expect(seen.completed).toMatchObject({ channel_id: 'D0ALEX001' });
  });

  it('answers a response_url without knowing who asked with the card alone, saying the file could not be attached', async () => {
    let posted: Record<string, unknown> = {};
    nock('https://hooks.slack.com')
      .post('/commands/T0SWIND01/1/abc', (b) => ((posted = b), true))
      .reply(200, 'ok');
    await sender.send({ ...withFile, target: { platform: 'slack', kind: 'response_url', url: 'https://hooks.slack.com/commands/T0SWIND01/1/abc' } });
    expect(JSON.stringify(posted['blocks'])).toContain('cannot be attached to this reply');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('notifies a private message with its safe text only', async () => {
    let body: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (b) => ((body = b), true))
      .reply(200, { ok: true, channel: 'D0ALEX001', ts: '1700000000.000300' });
    const secret = { ...message, text: 'Child A at 12 Acacia Road', audience: { kind: 'private' as const, memberIds: ['m-1'], safeText: 'You have a new confidential update' } };
    await sender.send({ ...toChannel, target: { platform: 'slack', kind: 'channel', channel: 'U0ALEX001' }, message: secret });
    expect(body.text).toBe('You have a new confidential update');
  });
});
