import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import type { RecordedConnectorRequest, SentActivity } from '../support/fake-bot-connector.js';
import { teamsConversationUpdate, teamsInstallUpdate, teamsMessage, type TeamsInboundActivity, type TeamsMessageInput } from '../support/teams-activities.js';
import { notifyMember } from '../../src/messaging/recipients.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import type { OutboundTarget } from '../../src/messaging/outbound.js';
import { transact } from '../../src/store/unit-of-work.js';

const SWINDON_TENANT = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const DEMO_AAD = '00000000-0000-0000-0000-0000000000d0';
const RACHEL_AAD = '8108105a-1981-43ce-bbdc-73e877fb8cf8';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

let conversationCounter = 0;

/** A fresh personal chat per test, so what the fake connector saw in it belongs to that test alone. */
function personalChat(): string {
  conversationCounter += 1;
  return `a:1personal-${randomUUID().slice(0, 8)}-${conversationCounter}`;
}

function message(bot: BotHarness, input: Omit<TeamsMessageInput, 'serviceUrl'>): TeamsInboundActivity {
  return teamsMessage({
    serviceUrl: bot.connector.serviceUrl,
    tenantId: SWINDON_TENANT,
    fromAadObjectId: DEMO_AAD,
    fromName: 'Alex Demo',
    fromId: '29:1alex-demo',
    ...input,
  });
}

async function post(bot: BotHarness, activity: object | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
}

function cardOf(activity: SentActivity | Record<string, unknown> | undefined): unknown {
  const attachments = (activity?.attachments ?? []) as { contentType: string; content?: unknown }[];
  const card = attachments.find((a) => a.contentType === ADAPTIVE_CARD);
  expect(card, 'an Adaptive Card attachment').toBeDefined();
  return card?.content;
}

/** Every piece of text a person would see on the card (TextBlocks, fact titles and values, button titles). */
function visibleText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') out.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return out.join('\n');
}

/** Successful sends (new message or reply) the bot made into a conversation. */
function sendsTo(bot: BotHarness, conversationId: string): RecordedConnectorRequest[] {
  return bot.connector.requests.filter(
    (r) => (r.operation === 'sendToConversation' || r.operation === 'replyToActivity') && r.status < 300 && r.conversationId === conversationId,
  );
}

async function firstSendTo(bot: BotHarness, conversationId: string, timeoutMs = 5_000): Promise<RecordedConnectorRequest> {
  return bot.connector.waitFor(
    (r) => (r.operation === 'sendToConversation' || r.operation === 'replyToActivity') && r.status < 300 && r.conversationId === conversationId,
    { timeoutMs },
  );
}

const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));

// A member's first message in a new personal chat is greeted there too (see new-conversation.test.ts); these leave the greeting out.
const isGreeting = (r: RecordedConnectorRequest) => JSON.stringify(r.body ?? {}).includes('Hello from Partnership Bot');
const repliesTo = (bot: BotHarness, conversationId: string) => sendsTo(bot, conversationId).filter((r) => !isGreeting(r));
function firstReplyTo(bot: BotHarness, conversationId: string, timeoutMs = 5_000): Promise<RecordedConnectorRequest> {
  return bot.connector.waitFor(
    (r) => (r.operation === 'sendToConversation' || r.operation === 'replyToActivity') && r.status < 300 && r.conversationId === conversationId && !isGreeting(r),
    { timeoutMs },
  );
}

/** A new personal chat the bot has been added to (and greeted in), so a message there is answered and nothing else. */
async function greetedChat(bot: BotHarness): Promise<string> {
  const chat = personalChat();
  await post(bot, teamsConversationUpdate({ serviceUrl: bot.connector.serviceUrl, conversationId: chat, tenantId: SWINDON_TENANT, fromAadObjectId: DEMO_AAD, fromName: 'Alex Demo', fromId: '29:1alex-demo' }));
  await bot.connector.waitFor((r) => r.conversationId === chat && r.status < 300 && isGreeting(r));
  return chat;
}

describe('Teams: commands in personal chat and channels', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('answers `help` in a personal chat with a valid Adaptive Card listing the commands', async () => {
    const chat = personalChat();
    const res = await post(bot, message(bot, { text: 'help', conversationId: chat }));
    expect(res.status).toBeLessThan(300);
    const sent = await firstReplyTo(bot, chat);
    expect(sent.operation).toBe('sendToConversation');
    const card = cardOf(sent.body);
    const text = visibleText(card);
    expect(text).toContain('what I can do');
    expect(text).toContain('help');
    expect(text).toContain('whoami');
    expect(text).toContain('Show who the bot thinks you are');
    expectValidAdaptiveCard(card);
  });

  it('whoami names the demo user with roles, agency and groups', async () => {
    const chat = personalChat();
    await post(bot, message(bot, { text: 'whoami', conversationId: chat }));
    const sent = await firstReplyTo(bot, chat);
    const card = cardOf(sent.body);
    const text = visibleText(card);
    expect(text).toContain('Alex Demo');
    expect(text).toContain('Business manager');
    expect(text).toContain('Swindon Borough Council');
    expect(text).toContain('Practice Review Group');
    expectValidAdaptiveCard(card);
  });

  it('whoami from an unknown person in the Swindon tenant says how to be added, naming the business manager', async () => {
    const chat = personalChat();
    const stranger = randomUUID();
    await post(bot, message(bot, { text: 'whoami', conversationId: chat, fromAadObjectId: stranger, fromName: 'New Person', fromId: '29:1stranger' }));
    const sent = await firstSendTo(bot, chat);
    const text = visibleText(cardOf(sent.body));
    expect(text).toContain("don't know you yet");
    expect(text).toContain('Rachel Whitmore');
    expect(text).toContain(stranger);
    expect(text).not.toContain('Business manager');
  });

  it('answers an @mention in a channel in the thread of the message, on the channel conversation', async () => {
    const channel = `19:chan-${randomUUID().slice(0, 8)}@thread.tacv2`;
    const rootId = `17${Date.now()}`;
    const activity = message(bot, { text: 'whoami', mentionBot: true, conversationType: 'channel', conversationId: `${channel};messageid=${rootId}`, id: rootId });
    expect(activity.text).toBe('<at>Partnership Bot</at> whoami');
    await post(bot, activity);
    const sent = await firstSendTo(bot, channel);
    expect(sent.operation).toBe('replyToActivity');
    expect(sent.conversationId).toBe(channel);
    expect(sent.activityId).toBe(rootId);
    const text = visibleText(cardOf(sent.body));
    expect(text).toContain('Alex Demo');
    expect(text).toContain('Business manager');
    // The channel is remembered by its base id, so the bot can post there later.
    const ref = await bot.db.conversationRef.findUnique({ where: { conversationId: channel } });
    expect(ref?.scope).toBe('channel');
  });

  it('answers an unknown command in a channel with a suggestion, never silence', async () => {
    const channel = `19:chan-${randomUUID().slice(0, 8)}@thread.tacv2`;
    const rootId = `18${Date.now()}`;
    await post(bot, message(bot, { text: 'whoamii', mentionBot: true, conversationType: 'channel', conversationId: `${channel};messageid=${rootId}`, id: rootId }));
    const sent = await firstSendTo(bot, channel);
    expect(sent.operation).toBe('replyToActivity');
    expect(sent.activityId).toBe(rootId);
    const text = visibleText(cardOf(sent.body));
    expect(text).toContain('Did you mean');
    expect(text).toContain('whoami');
    expectValidAdaptiveCard(cardOf(sent.body));
  });

  it('a retried activity (same id posted twice) produces one reply and one outbox row', async () => {
    const chat = personalChat();
    const activity = message(bot, { text: 'whoami', conversationId: chat });
    const [first, second] = await Promise.all([post(bot, activity), post(bot, activity)]);
    expect(first.status).toBeLessThan(300);
    expect(second.status).toBeLessThan(300);
    // A later retry too, after the first has been answered.
    await firstReplyTo(bot, chat);
    const third = await post(bot, activity);
    expect(third.status).toBeLessThan(300);
    await settle(800);
    expect(repliesTo(bot, chat)).toHaveLength(1);
    expect(await bot.db.outboxMessage.count({ where: { idempotencyKey: { contains: activity.id } } })).toBe(1);
  });

  it('rejects a malformed body with 400 and stays healthy', async () => {
    const before = bot.connector.requests.length;
    const notJson = await post(bot, '{"type": "message", ');
    expect(notJson.status).toBe(400);
    const notActivity = await post(bot, { hello: 'world' });
    expect(notActivity.status).toBe(400);
    const array = await post(bot, '[1, 2, 3]');
    expect(array.status).toBe(400);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    // Still answers real activities afterwards.
    const chat = personalChat();
    await post(bot, message(bot, { text: 'help', conversationId: chat }));
    await firstSendTo(bot, chat);
    expect(bot.connector.requests.slice(before).filter((r) => r.conversationId !== chat)).toHaveLength(0);
  });

  it('updates a card in place: the original is sent, then updateActivity replaces it on the same activity id', async () => {
    const chat = personalChat();
    const target: OutboundTarget = { platform: 'teams', kind: 'conversation', conversationId: chat, serviceUrl: bot.connector.serviceUrl, tenantId: SWINDON_TENANT };
    const key = `test:update:${chat}`;
    const ids = await transact(bot.db, async (tx) => {
      const original = await enqueueOutbound(tx, { key: `${key}:v1`, target, message: { title: 'Audit status', text: 'Audit 12 is open', sections: [{ kind: 'text', text: 'Audit 12 is *open*' }] } });
      const update = await enqueueOutbound(tx, { key: `${key}:v2`, target, updateOf: original, message: { title: 'Audit status', text: 'Audit 12 is closed', sections: [{ kind: 'text', text: 'Audit 12 is *closed*' }] } });
      return [original, update];
    });
    await bot.runtime.services.deliveryJobs.push(ids);
    const sent = await bot.connector.waitFor((r) => r.operation === 'sendToConversation' && r.conversationId === chat && r.status < 300);
    const updated = await bot.connector.waitFor((r) => r.operation === 'updateActivity' && r.conversationId === chat, { timeoutMs: 10_000 });
    expect(updated.at).toBeGreaterThanOrEqual(sent.at);
    const sentId = (sent.response as { id: string }).id;
    expect(updated.activityId).toBe(sentId);
    expect(updated.status).toBe(200);
    expect(visibleText(cardOf(sent.body))).toContain('Audit 12 is **open**');
    const newCard = cardOf(updated.body);
    expect(visibleText(newCard)).toContain('Audit 12 is **closed**');
    expectValidAdaptiveCard(newCard);
    // What the person now sees in the chat is the updated card, and only one message was ever posted.
    expect(visibleText(cardOf(bot.connector.activity(chat, sentId)))).toContain('closed');
    expect(sendsTo(bot, chat)).toHaveLength(1);
    const rows = await eventually(async () => {
      const r = await bot.db.outboxMessage.findMany({ where: { id: { in: ids } } });
      return r.every((row) => row.status === 'sent') ? r : undefined;
    });
    expect(rows.map((r) => r.platformMessageId)).toEqual([sentId, sentId]);
  });

  it('honours a 429 Retry-After from the connector: the reply arrives once, no sooner than a second later', async () => {
    const chat = await greetedChat(bot);
    bot.connector.failNext('sendToConversation', { status: 429, retryAfterSeconds: 1 });
    const activity = message(bot, { text: 'help', conversationId: chat });
    await post(bot, activity);
    const throttled = await bot.connector.waitFor((r) => r.operation === 'sendToConversation' && r.status === 429);
    expect(throttled.conversationId).toBe(chat);
    const sent = await firstReplyTo(bot, chat, 10_000);
    expect(sent.at - throttled.at).toBeGreaterThanOrEqual(950);
    await settle(500);
    expect(repliesTo(bot, chat)).toHaveLength(1);
    const row = await eventually(() => bot.db.outboxMessage.findFirst({ where: { idempotencyKey: { contains: activity.id }, status: 'sent' } }).then((r) => r ?? undefined));
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(row.platformMessageId).toBe((sent.response as { id: string }).id);
  });

  it('records a message Teams refuses (bot removed from the chat, 403) as failed, not as sent', async () => {
    const chat = await greetedChat(bot);
    bot.connector.failNext('sendToConversation', { status: 403 });
    const activity = message(bot, { text: 'help', conversationId: chat });
    await post(bot, activity);
    await bot.connector.waitFor((r) => r.operation === 'sendToConversation' && r.conversationId === chat && r.status === 403);
    const row = await eventually(() => bot.db.outboxMessage.findFirst({ where: { idempotencyKey: { contains: activity.id }, status: { not: 'pending' } } }).then((r) => r ?? undefined));
    expect(row.status).toBe('failed');
    expect(row.lastError).toContain('403');
    expect(row.platformMessageId).toBeNull();
    await settle(500);
    expect(repliesTo(bot, chat)).toHaveLength(0);
  });
});

describe('Teams: install, proactive messages and unreachable members (Slack off)', () => {
  let bot: BotHarness;
  const alexChat = personalChat();
  const rachelChat = personalChat();

  beforeAll(async () => {
    bot = await startBot({ slack: false });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function memberId(key: string): Promise<string> {
    const m = await bot.db.member.findFirstOrThrow({ where: { key } });
    return m.id;
  }

  it('on install in personal scope stores the conversation for the member and sends one welcome', async () => {
    const [installation, membersAdded] = teamsInstallUpdate({
      serviceUrl: bot.connector.serviceUrl,
      conversationId: alexChat,
      tenantId: SWINDON_TENANT,
      fromAadObjectId: DEMO_AAD,
      fromName: 'Alex Demo',
      fromId: '29:1alex-demo',
    });
    expect((await post(bot, installation)).status).toBeLessThan(300);
    expect((await post(bot, membersAdded)).status).toBeLessThan(300);
    const welcome = await firstSendTo(bot, alexChat);
    expect(welcome.operation).toBe('sendToConversation');
    expect(visibleText(cardOf(welcome.body))).toContain('Hello from Partnership Bot');
    const ref = await bot.db.conversationRef.findUnique({ where: { conversationId: alexChat } });
    expect(ref).toMatchObject({ scope: 'personal', memberId: await memberId('demo-user'), tenantId: SWINDON_TENANT, serviceUrl: bot.connector.serviceUrl });
    await settle(500);
    expect(sendsTo(bot, alexChat)).toHaveLength(1);
  });

  it('then reaches that member first with notifyMember, as a new message rather than a reply', async () => {
    const alex = await memberId('demo-user');
    const partnershipId = (await bot.db.member.findUniqueOrThrow({ where: { id: alex } })).partnershipId;
    const before = sendsTo(bot, alexChat).length;
    const ids = await transact(bot.db, (tx) =>
      notifyMember(
        tx,
        { memberId: alex, partnershipId, key: `test:proactive:${randomUUID()}`, about: 'a test notice', message: { title: 'Audit due', text: 'Audit 7 is due on Friday', sections: [{ kind: 'text', text: 'Audit 7 is due on Friday' }] } },
        bot.runtime.services.platforms,
      ),
    );
    expect(ids).toHaveLength(1);
    await bot.runtime.services.deliveryJobs.push(ids);
    const sent = await bot.connector.waitFor((r) => r.conversationId === alexChat && r.status < 300, { count: before + 1 });
    expect(sent.operation).toBe('sendToConversation');
    expect(sent.body?.replyToId).toBeUndefined();
    expect(visibleText(cardOf(sent.body))).toContain('Audit 7 is due on Friday');
  });

  it('records a member it cannot reach on any platform, and tells nobody at once (the daily digest reports them)', async () => {
    // Rachel (business manager) speaks to the bot once, so she has a personal conversation.
    await post(bot, message(bot, { text: 'help', conversationId: rachelChat, fromAadObjectId: RACHEL_AAD, fromName: 'Rachel Whitmore', fromId: '29:1rachel' }));
    await firstSendTo(bot, rachelChat);
    expect((await bot.db.conversationRef.findUnique({ where: { conversationId: rachelChat } }))?.memberId).toBe(await memberId('rachel-whitmore'));

    // Susan Carver has no Slack id (and Slack is off anyway) and has never spoken to the bot in Teams.
    const susan = await memberId('susan-carver');
    expect(await bot.db.conversationRef.count({ where: { memberId: susan } })).toBe(0);
    const partnershipId = (await bot.db.member.findUniqueOrThrow({ where: { id: susan } })).partnershipId;
    const key = `test:unreachable:${randomUUID()}`;
    const rachelBefore = sendsTo(bot, rachelChat).length;
    const alexBefore = sendsTo(bot, alexChat).length;
    const ids = await transact(bot.db, (tx) =>
      notifyMember(tx, { memberId: susan, partnershipId, key, about: 'a reminder for stage Audits', message: { text: 'Audit 3 is due', sections: [] } }, bot.runtime.services.platforms),
    );
    expect(ids).toHaveLength(0);
    await settle(500);
    expect(sendsTo(bot, rachelChat)).toHaveLength(rachelBefore);
    expect(sendsTo(bot, alexChat)).toHaveLength(alexBefore);
    const audit = await bot.db.auditEvent.findMany({ where: { action: 'delivery.unreachable', subjectId: susan } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({ key, about: 'a reminder for stage Audits' });
  });
});

describe('Teams: endpoint security', () => {
  describe('with MICROSOFT_APP_ID set', () => {
    let bot: BotHarness;
    beforeAll(async () => {
      bot = await startBot({ teams: { appId: randomUUID(), appPassword: 'secret' } });
    });
    afterAll(async () => {
      await bot?.stop();
    });

    it('refuses an activity without a Bot Framework token with 401 and does nothing', async () => {
      const chat = personalChat();
      const activity = message(bot, { text: 'help', conversationId: chat });
      const res = await post(bot, activity);
      expect(res.status).toBe(401);
      const forged = await post(bot, activity, { authorization: 'Bearer not-a-real-token' });
      expect(forged.status).toBe(401);
      await settle(500);
      expect(bot.connector.requests).toHaveLength(0);
      expect(await bot.db.inboundReceipt.count({ where: { key: { contains: activity.id } } })).toBe(0);
      expect(await bot.db.conversationRef.count({ where: { conversationId: chat } })).toBe(0);
      expect(await bot.db.outboxMessage.count({ where: { platform: 'teams' } })).toBe(0);
    });
  });

  describe('with Teams off', () => {
    let bot: BotHarness;
    beforeAll(async () => {
      bot = await startBot({ teams: false });
    });
    afterAll(async () => {
      await bot?.stop();
    });

    it('answers /api/messages with 404 saying Teams is not enabled', async () => {
      const chat = personalChat();
      const res = await post(bot, message(bot, { text: 'help', conversationId: chat }));
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Teams is not enabled');
      await settle(300);
      expect(bot.connector.requests).toHaveLength(0);
      expect(await bot.db.conversationRef.count()).toBe(0);
    });
  });
});
