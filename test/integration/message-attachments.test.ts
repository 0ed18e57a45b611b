// A report with a table, a PNG chart and a CSV file, delivered through the outbox: to Slack (the card, then Slack's
// external upload of both files into the same DM) and to Teams (the chart inline, the CSV as a signed link the bot
// serves for 15 minutes).
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { createDeliveryProcessor, type DeliveryJobData } from '../../src/messaging/delivery-worker.js';
import { FileLinkSigner } from '../../src/messaging/file-link-signer.js';
import type { Message } from '../../src/messaging/message.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import { MemoryRateLimiter, defaultPolicies } from '../../src/messaging/rate-limiter.js';
import { sendOutbound } from '../../src/messaging/send.js';
import { createTeamsAdapter } from '../../src/platforms/teams/adapter.js';
import { TeamsSender } from '../../src/platforms/teams/sender.js';
import { RETURNS_CSV, TINY_PNG_BASE64, pngOfSize, privateMessage, reportMessage } from '../support/attachment-fixtures.js';
import { eventually, startBot, type BotHarness } from '../support/bot-harness.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { freePort } from '../../src/demo/ports.js';

type Json = Record<string, any>;
const all = (node: unknown): Json[] =>
  Array.isArray(node) ? node.flatMap(all) : typeof node === 'object' && node !== null ? [node as Json, ...Object.values(node).flatMap(all)] : [];

const outboxRow = (bot: BotHarness, id: string) => bot.db.outboxMessage.findUniqueOrThrow({ where: { id } });

describe('to Slack', () => {
  let bot: BotHarness;
  let partnershipId: string;
  const dm = { platform: 'slack' as const, kind: 'channel' as const, channel: 'U0SWMOKAF', teamId: 'T0SWIND01' };

  beforeAll(async () => {
    bot = await startBot({ teams: false });
    partnershipId = (await bot.db.partnership.findFirstOrThrow()).id;
  });
  afterAll(() => bot?.stop());

  it('posts the card, then uploads the chart and the CSV into the same DM with their bytes intact', async () => {
    const id = await sendOutbound(bot.runtime.services, { key: 'report:1', partnershipId, target: dm, message: reportMessage });
    await eventually(async () => (await outboxRow(bot, id)).status === 'sent', 8000, 'the report to be sent');

    const card = bot.slackApi.callsTo('chat.postMessage').find((c) => c.body.text === reportMessage.text)!;
    const channel = (card.response as { channel: string }).channel;
    expect(channel).toMatch(/^D/);
    expect(JSON.stringify(card.body.blocks)).toContain('attached below');
    expect(bot.slackApi.callsTo('files.completeUploadExternal')[0]?.body).toMatchObject({ channel_id: channel });
    const shared = bot.slackApi.sharedFiles(channel);
    expect(shared.map((f) => [f.filename, f.shared?.title, f.altText])).toEqual([
      ['Returns by status.png', 'Returns by status', 'Bar chart: 1 returned, 1 overdue, 1 due soon'],
      ['section11-returns.csv', 'All returns (CSV)', undefined],
    ]);
    expect(shared[0]?.bytes?.equals(Buffer.from(TINY_PNG_BASE64, 'base64'))).toBe(true);
    expect(shared[1]?.bytes?.toString('utf8')).toBe(RETURNS_CSV);
  });

  it('when an upload is rate limited, waits and uploads again without posting the card twice', async () => {
    bot.slackApi.reset();
    bot.slackApi.failNext('files.getUploadURLExternal', { status: 429, retryAfterSeconds: 1 });
    const message: Message = { ...reportMessage, text: 'Second report' };
    const id = await sendOutbound(bot.runtime.services, { key: 'report:2', partnershipId, target: dm, message });
    await eventually(async () => (await outboxRow(bot, id)).status === 'sent', 10_000, 'the second report to be sent');

    expect(bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.text === 'Second report')).toHaveLength(1);
    expect(bot.slackApi.callsTo('files.getUploadURLExternal').map((c) => c.status)).toEqual([429, 200, 200]);
    expect(bot.slackApi.sharedFiles()).toHaveLength(2);
    const row = await outboxRow(bot, id);
    expect(row.platformMessageId).toBe((bot.slackApi.callsTo('chat.postMessage')[0]?.response as { ts: string }).ts);
  });
});

describe('to Teams', () => {
  const secret = 'integration-test-file-link-secret-0123456789';
  const clock = new ManualClock(DateTime.fromISO('2026-03-02T10:00:00Z'));
  let bot: BotHarness;
  let publicUrl: string;
  let deliver: (outboxId: string) => Promise<unknown>;
  let signer: FileLinkSigner;
  let target: { platform: 'teams'; kind: 'conversation'; conversationId: string; serviceUrl: string };
  let memberId: string;

  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    // The web role serves /files; deliveries are driven below with a sender that signs links with the same secret.
    bot = await startBot({ role: 'web', slack: false, clock, env: { PORT: String(port), PUBLIC_URL: publicUrl, FILE_LINK_SECRET: secret } });
    const member = await bot.db.member.findFirstOrThrow({ where: { teamsAadObjectId: { not: null } } });
    memberId = member.id;
    const conversationId = `a:personal-${member.teamsAadObjectId}`;
    await bot.db.conversationRef.create({
      data: { conversationId, scope: 'personal', serviceUrl: bot.connector.serviceUrl, aadObjectId: member.teamsAadObjectId, memberId, reference: { conversation: { id: conversationId } } },
    });
    target = { platform: 'teams', kind: 'conversation', conversationId, serviceUrl: bot.connector.serviceUrl };
    signer = new FileLinkSigner({ secret, publicUrl, clock });
    const logger = createLogger('silent');
    const sender = new TeamsSender(createTeamsAdapter(bot.runtime.services.config.teams!, logger), bot.db, '', signer);
    const process = createDeliveryProcessor({ db: bot.db, senders: { teams: sender }, limiter: new MemoryRateLimiter(defaultPolicies), logger });
    deliver = (outboxId) => process({ data: { outboxId }, attemptsMade: 0, opts: { attempts: 8 }, moveToDelayed: async () => undefined } as unknown as Job<DeliveryJobData>);
  });
  afterAll(() => bot?.stop());

  async function sendCard(key: string, message: Message): Promise<{ id: string; activity: Json; card: Json }> {
    const id = await enqueueOutbound(bot.db, { key, target, message });
    expect(await deliver(id)).toBe('sent');
    const row = await outboxRow(bot, id);
    const activity = bot.connector.sentActivities(target.conversationId).find((a) => a.id === row.platformMessageId)! as Json;
    return { id, activity, card: activity['attachments'][0].content };
  }

  it('shows the chart inline and offers the CSV as a download that works, uncached, within 15 minutes', async () => {
    const { id, card, activity } = await sendCard('teams-report:1', reportMessage);
    expectValidAdaptiveCard(card);
    expect(activity['summary']).toBe(reportMessage.text);
    expect(all(card).find((n) => n['type'] === 'Image')).toMatchObject({ url: `data:image/png;base64,${TINY_PNG_BASE64}` });
    const link = all(card).find((n) => n['type'] === 'Action.OpenUrl')!;
    expect(link['url']).toMatch(new RegExp(`^${publicUrl}/files/${id}/3\\?exp=\\d+&sig=[\\w-]+$`));
    expect(JSON.stringify(card)).toContain('the link works until 10:15');

    clock.advance({ minutes: 14 });
    const response = await fetch(link['url']);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-disposition')).toContain('attachment; filename="section11-returns.csv"');
    expect(await response.text()).toBe(RETURNS_CSV);

    clock.advance({ minutes: 2 });
    const expired = await fetch(link['url']);
    expect(expired.status).toBe(410);
    expect(await expired.text()).not.toContain('Agency');
  });

  it('refuses a tampered link, a link moved to another file, and answers 404 for what does not exist', async () => {
    const { id, card } = await sendCard('teams-report:2', reportMessage);
    const url = new URL(all(card).find((n) => n['type'] === 'Action.OpenUrl')!['url']);
    const sig = url.searchParams.get('sig')!;
    const tampered = new URL(url);
    tampered.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(url.href.replace(`/${id}/3?`, `/${id}/2?`))).status).toBe(403);
    expect((await fetch(url.href.replace(/exp=\d+/, `exp=${Number(url.searchParams.get('exp')) + 3600}`))).status).toBe(403);
    expect((await fetch(`${publicUrl}/files/${id}/3`)).status).toBe(403);

    expect((await fetch(signer.linksFor(randomUUID()).linkFor(3).url)).status).toBe(404);
    expect((await fetch(signer.linksFor(id).linkFor(0).url)).status).toBe(404);
  });

  it('notifies a private message in the personal chat with its safe text only', async () => {
    const { card, activity } = await sendCard('teams-private:1', privateMessage([memberId]));
    expect(activity['summary']).toBe('You have a new confidential update');
    expect(card['fallbackText']).toBe('You have a new confidential update');
    expect(JSON.stringify(card)).toContain('12 Acacia Road');
  });

  it('a picture too big for a client that counts it toward the 100 KB limit (the Agents Playground) goes again as a link, once', async () => {
    bot.connector.countInlineImages();
    try {
      const big: Message = { title: 'Heat map', text: 'The round so far', sections: [{ kind: 'text', text: 'The round so far' }, { kind: 'image', png: pngOfSize(90_000), alt: 'Agencies by standards', title: 'Heat map' }] };
      const { card } = await sendCard('teams-big-picture:1', big);
      const sends = bot.connector.requests.filter((r) => r.operation === 'sendToConversation' && JSON.stringify(r.body).includes('The round so far'));
      expect(sends.map((r) => r.status)).toEqual([413, 201]);
      expect(JSON.stringify(card)).not.toContain('data:image/png');
      expect(all(card).find((n) => n['type'] === 'Action.OpenUrl')).toMatchObject({ title: 'View image' });
      expect(JSON.stringify(card)).toContain('the link works until');
      // Without a picture to turn into a link, a message that is too big is still refused for good.
      const text = 'x'.repeat(60_000);
      const id = await enqueueOutbound(bot.db, { key: 'teams-big-text:1', target, message: { text, sections: [{ kind: 'text', text }] } });
      await deliver(id).catch(() => undefined);
      expect((await outboxRow(bot, id)).status).not.toBe('sent');
    } finally {
      bot.connector.countInlineImages(false);
    }
  });
});

