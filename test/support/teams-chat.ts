import { expect } from 'vitest';
import { eventually, type BotHarness } from './bot-harness.js';
import { expectValidAdaptiveCard } from './card-validation.js';
import { visibleCardText } from './card-text.js';
import { teamsAdaptiveCardInvoke, teamsMessage } from './teams-activities.js';

/** A Teams user talking to the bot under test in their personal chat. */
export class TeamsUser {
  readonly conversationId: string;

  constructor(
    private readonly bot: BotHarness,
    readonly aadObjectId: string,
    readonly tenantId: string,
    readonly name = 'Test User',
  ) {
    this.conversationId = `a:personal-${aadObjectId}`;
  }

  private context() {
    return {
      serviceUrl: this.bot.connector.serviceUrl,
      conversationId: this.conversationId,
      conversationType: 'personal' as const,
      tenantId: this.tenantId,
      fromId: `29:${this.aadObjectId}`,
      fromName: this.name,
      fromAadObjectId: this.aadObjectId,
    };
  }

  /** Sends a message and returns the HTTP status. */
  async say(text: string): Promise<number> {
    const res = await fetch(`${this.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage({ ...this.context(), text })) });
    return res.status;
  }

  /** Presses a card button (Action.Execute) and returns the invoke response body. */
  async press(verb: string, data: Record<string, unknown>): Promise<{ statusCode: number; type: string; value: unknown }> {
    const res = await fetch(`${this.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsAdaptiveCardInvoke({ ...this.context(), verb, data })) });
    return (await res.json()) as { statusCode: number; type: string; value: unknown };
  }

  /** The outbox rows of the bot's replies to this user's messages (proactive cards arrive in the same chat). */
  private replyRows() {
    return this.bot.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `teams:activity:${this.conversationId}:`, endsWith: ':reply' } } });
  }

  /** Says `text` and returns the bot's reply to it (a valid Adaptive Card), read as a person would. */
  async ask(text: string): Promise<string> {
    const earlier = new Set((await this.replyRows()).map((r) => r.id));
    expect(await this.say(text)).toBeLessThan(300);
    const row = await eventually(async () => (await this.replyRows()).find((r) => !earlier.has(r.id) && r.status === 'sent'), 5000, `reply to "${text}"`);
    const reply = await eventually(() => this.bot.connector.sentActivities(this.conversationId).find((a) => a.id === row.platformMessageId), 5000, 'the sent reply');
    const card = reply.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    expect(card, `an Adaptive Card in reply to "${text}"`).toBeDefined();
    expectValidAdaptiveCard(card);
    return visibleCardText(card);
  }

  /** Cards the bot has sent to this user's chat so far (newest last), as JSON strings. */
  cards(): string[] {
    return this.bot.connector.sentActivities(this.conversationId).map((a) => JSON.stringify(a));
  }
}

/** As if every member with a Teams identity had opened a chat with the bot once: reminders now reach them. */
export async function giveEveryMemberATeamsChat(bot: BotHarness, tenantId: string): Promise<void> {
  const members = await bot.db.member.findMany({ where: { teamsAadObjectId: { not: null } } });
  for (const m of members) {
    const conversationId = `a:personal-${m.teamsAadObjectId}`;
    await bot.db.conversationRef.create({
      data: { conversationId, scope: 'personal', tenantId, serviceUrl: bot.connector.serviceUrl, aadObjectId: m.teamsAadObjectId, memberId: m.id, reference: { conversation: { id: conversationId } } },
    });
  }
}
