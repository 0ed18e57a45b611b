// A private message goes only to a direct chat with someone in its audience: the outbox refuses anything else when
// it is written, and the delivery worker checks again before sending (a row written another way, a chat that changed).
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { createLogger } from '../../src/core/logger.js';
import { InvalidAttachmentError } from '../../src/messaging/attachments.js';
import { PrivateAudienceError } from '../../src/messaging/audience.js';
import { createDeliveryProcessor, type DeliveryJobData } from '../../src/messaging/delivery-worker.js';
import type { Message } from '../../src/messaging/message.js';
import type { OutboundEnvelope, OutboundTarget, PlatformSender } from '../../src/messaging/outbound.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import { MemoryRateLimiter, defaultPolicies } from '../../src/messaging/rate-limiter.js';
import { privateMessage } from '../support/attachment-fixtures.js';
import { startBot, type BotHarness } from '../support/bot-harness.js';

let bot: BotHarness;
let alex: { id: string; slackUserId: string };
let blake: { id: string; slackUserId: string };
let secret: Message;
let keyCounter = 0;
const key = () => `private:${++keyCounter}`;
const personalChat = (memberId: string) => `a:personal-${memberId}`;

beforeAll(async () => {
  bot = await startBot({ role: 'web' });
  const members = await bot.db.member.findMany({ where: { slackUserId: { not: null } }, take: 2, orderBy: { key: 'asc' } });
  [alex, blake] = members.map((m) => ({ id: m.id, slackUserId: m.slackUserId! })) as [typeof alex, typeof blake];
  secret = privateMessage([alex.id]);
  const chats = [
    { conversationId: personalChat(alex.id), scope: 'personal', memberId: alex.id },
    { conversationId: personalChat(blake.id), scope: 'personal', memberId: blake.id },
    { conversationId: '19:board@thread.tacv2', scope: 'channel', memberId: null },
  ];
  for (const chat of chats) {
    await bot.db.conversationRef.create({ data: { ...chat, serviceUrl: bot.connector.serviceUrl, reference: { conversation: { id: chat.conversationId } } } });
  }
});
afterAll(() => bot?.stop());

const teams = (conversationId: string): OutboundTarget => ({ platform: 'teams', kind: 'conversation', conversationId, serviceUrl: 'https://smba.example/' });

describe('the outbox', () => {
  it.each<[string, () => OutboundTarget]>([
    ["the member's Slack DM", () => ({ platform: 'slack', kind: 'channel', channel: alex.slackUserId })],
    ['an ephemeral reply only the member sees', () => ({ platform: 'slack', kind: 'ephemeral', channel: 'C0PUBLIC1', user: alex.slackUserId })],
    ["a reply to the member's own slash command", () => ({ platform: 'slack', kind: 'response_url', url: 'https://hooks.slack.com/commands/T/1/a', user: alex.slackUserId })],
    ["the member's Teams personal chat", () => teams(personalChat(alex.id))],
  ])('accepts %s', async (_, target) => {
    await expect(enqueueOutbound(bot.db, { key: key(), target: target(), message: secret })).resolves.toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each<[string, () => OutboundTarget, RegExp]>([
    ['a Slack channel', () => ({ platform: 'slack', kind: 'channel', channel: 'C0PUBLIC1' }), /must name the one person/],
    ['a Slack private channel', () => ({ platform: 'slack', kind: 'channel', channel: 'G0PRIVATE' }), /must name the one person/],
    ["someone else's Slack DM", () => ({ platform: 'slack', kind: 'channel', channel: blake.slackUserId }), /not a member of the audience/],
    ['an ephemeral reply to someone else', () => ({ platform: 'slack', kind: 'ephemeral', channel: 'C0PUBLIC1', user: blake.slackUserId }), /not a member of the audience/],
    ['a response_url reply to someone unknown', () => ({ platform: 'slack', kind: 'response_url', url: 'https://hooks.slack.com/commands/T/1/b' }), /must name the one person/],
    ['a Teams channel', () => teams('19:board@thread.tacv2'), /must be a personal chat/],
    ["someone else's Teams chat", () => teams(personalChat(blake.id)), /not with a member of the audience/],
    ['a Teams chat the bot does not know', () => teams('a:unknown'), /must be a personal chat/],
  ])('refuses %s, writing nothing', async (_, target, reason) => {
    const attempt = key();
    const error = await enqueueOutbound(bot.db, { key: attempt, target: target(), message: secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrivateAudienceError);
    expect(String(error)).toMatch(reason);
    expect(await bot.db.outboxMessage.findUnique({ where: { idempotencyKey: attempt } })).toBeNull();
  });

  it('refuses a private message without safe notification text, and attachments whose bytes are not what they claim', async () => {
    const dm: OutboundTarget = { platform: 'slack', kind: 'channel', channel: alex.slackUserId };
    const unsafe = { ...secret, audience: { kind: 'private' as const, memberIds: [alex.id], safeText: ' ' } };
    await expect(enqueueOutbound(bot.db, { key: key(), target: dm, message: unsafe })).rejects.toThrow(/safe notification text/);
    const fakePng: Message = { text: 'x', sections: [{ kind: 'image', png: Buffer.from('not a png').toString('base64'), alt: 'chart' }] };
    await expect(enqueueOutbound(bot.db, { key: key(), target: dm, message: fakePng })).rejects.toBeInstanceOf(InvalidAttachmentError);
    const notBase64: Message = { text: 'x', sections: [{ kind: 'file', name: 'a.csv', mimeType: 'text/csv', data: 'a,b\n1,2' }] };
    await expect(enqueueOutbound(bot.db, { key: key(), target: dm, message: notBase64 })).rejects.toThrow(/not base64/);
  });
});

describe('the delivery worker', () => {
  const sent: OutboundEnvelope[] = [];
  const recording: PlatformSender = { send: async (envelope) => (sent.push(envelope), { messageId: 'm-1', channelId: 'c-1' }) };
  const process = (outboxId: string) =>
    createDeliveryProcessor({ db: bot.db, senders: { slack: recording, teams: recording }, limiter: new MemoryRateLimiter(defaultPolicies), logger: createLogger('silent') })(
      { data: { outboxId }, attemptsMade: 0, opts: { attempts: 8 }, moveToDelayed: async () => undefined } as unknown as Job<DeliveryJobData>,
    );

  it('refuses for good a private row that reached the table without the outbox, and sends nothing', async () => {
    const row = await bot.db.outboxMessage.create({
      data: { idempotencyKey: key(), platform: 'slack', operation: 'post', rateKey: 'slack:default', target: { platform: 'slack', kind: 'channel', channel: 'C0PUBLIC1' }, payload: { message: secret } as object },
    });
    await expect(process(row.id)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'failed', lastError: expect.stringContaining('private message refused') });
    expect(sent).toHaveLength(0);
  });

  it("refuses when the Teams chat stopped being the audience member's before delivery, and still sends to the right one", async () => {
    const shared = '19:chat-turned-group@thread.v2';
    await bot.db.conversationRef.create({ data: { conversationId: shared, scope: 'personal', memberId: alex.id, serviceUrl: bot.connector.serviceUrl, reference: {} } });
    const stale = await enqueueOutbound(bot.db, { key: key(), target: teams(shared), message: secret });
    const fine = await enqueueOutbound(bot.db, { key: key(), target: teams(personalChat(alex.id)), message: secret });
    await bot.db.conversationRef.update({ where: { conversationId: shared }, data: { scope: 'groupChat' } });

    await expect(process(stale)).rejects.toBeInstanceOf(UnrecoverableError);
    expect((await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: stale } })).status).toBe('failed');
    await expect(process(fine)).resolves.toBe('sent');
    expect(sent.map((e) => e.id)).toEqual([fine]);
  });
});
