import type { BotHarness } from './bot-harness.js';
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
