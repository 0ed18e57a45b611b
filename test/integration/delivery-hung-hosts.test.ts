// A reply host that never answers must not hold every delivery slot: replies to other destinations still go out
// within seconds, and the hung replies time out and are retried later with backoff.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import type { OutboundTarget } from '../../src/messaging/outbound.js';

/** More hung replies than the delivery worker has slots (10). */
const HUNG_REPLIES = 12;
const OTHER_REPLIES = 4;

describe('delivery: a reply host that hangs', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    // The production retry for a full destination (the harness shortens it for every other test).
    bot = await startBot({ env: { DELIVERY_HOST_BUSY_RETRY_MS: '1000' } });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function queue(target: OutboundTarget, text: string): Promise<string> {
    const id = await enqueueOutbound(bot.db, { key: `hung-host:${randomUUID()}`, target, message: { title: 'Reply', text, sections: [{ kind: 'text', text }] } });
    await bot.runtime.services.deliveryJobs.push([id]);
    return id;
  }

  it('gives up on a Teams reply whose Bot Connector call hangs, keeps it for a retry, and still delivers other Teams replies', async () => {
    const hungChat = `a:1hung-${randomUUID().slice(0, 8)}`;
    const okChat = `a:1ok-${randomUUID().slice(0, 8)}`;
    bot.connector.hangConversation(hungChat);
    const hungId = await queue({ platform: 'teams', kind: 'conversation', conversationId: hungChat, serviceUrl: bot.connector.serviceUrl }, 'hung teams reply');
    await bot.connector.waitFor((r) => r.conversationId === hungChat, { timeoutMs: 5_000 });
    const okId = await queue({ platform: 'teams', kind: 'conversation', conversationId: okChat, serviceUrl: bot.connector.serviceUrl }, 'teams reply');
    await eventually(async () => (await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: okId } })).status === 'sent', 4_000, 'the other Teams reply');

    const timedOut = await eventually(
      async () => {
        const row = await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: hungId } });
        return row.attempts >= 1 ? row : undefined;
      },
      20_000,
      'the hung Teams call to time out',
    );
    expect(timedOut.status).toBe('pending');
    expect(timedOut.lastError ?? '').toMatch(/timeout|timed out|aborted/i);
  }, 30_000);

  it('delivers Slack channel and Teams replies within seconds while response_url posts hang, and retries the hung ones', async () => {
    const hungIds: string[] = [];
    for (let i = 0; i < HUNG_REPLIES; i += 1) {
      const urlId = `hung-${i}-${randomUUID().slice(0, 6)}`;
      bot.slackApi.hangResponseUrl(urlId);
      hungIds.push(await queue({ platform: 'slack', kind: 'response_url', url: bot.slackApi.responseUrl(urlId), teamId: 'T0SWINDON' }, `hung reply ${i}`));
    }
    await eventually(() => bot.slackApi.responseUrlPosts().length >= 3 || undefined, 5_000, 'the hung posts to start');

    const queuedAt = Date.now();
    const otherIds: string[] = [];
    for (let i = 0; i < OTHER_REPLIES; i += 1) {
      otherIds.push(await queue({ platform: 'slack', kind: 'channel', channel: `C0OTHER${i}`, teamId: 'T0SWINDON' }, `channel reply ${i}`));
      const conversationId = `a:1other-${randomUUID().slice(0, 8)}`;
      otherIds.push(await queue({ platform: 'teams', kind: 'conversation', conversationId, serviceUrl: bot.connector.serviceUrl }, `teams reply ${i}`));
    }
    await eventually(
      async () => (await bot.db.outboxMessage.count({ where: { id: { in: otherIds }, status: 'sent' } })) === otherIds.length || undefined,
      4_000,
      'the other replies to be delivered',
    );
    expect(Date.now() - queuedAt).toBeLessThan(4_000);
    expect(bot.slackApi.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('C0OTHER'))).toHaveLength(OTHER_REPLIES);

    // The hung replies give up on their first attempt (a timeout), stay pending, and are tried again after a backoff.
    const firstHung = hungIds[0] ?? '';
    const retried = await eventually(
      async () => {
        const row = await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: firstHung } });
        return row.attempts >= 1 ? row : undefined;
      },
      20_000,
      'the first hung reply to time out',
    );
    expect(retried.status).toBe('pending');
    expect(retried.lastError ?? '').toMatch(/timeout|timed out|aborted/i);
    // At most 4 hung posts run at once, 10 s each, so a second round can take a few waves of timeouts to come.
    const secondTry = await eventually(() => {
      const posts = bot.slackApi.responseUrlPosts();
      const path = posts.find((post, i) => posts.findIndex((p) => p.path === post.path) !== i)?.path;
      return path ? posts.filter((p) => p.path === path) : undefined;
    }, 40_000, 'a second attempt at a hung reply');
    const [first, second] = secondTry;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(12_000); // its 10 s timeout, then a 2 s backoff
    expect(await bot.db.outboxMessage.count({ where: { id: { in: hungIds }, status: 'sent' } })).toBe(0);
  }, 90_000);
});
