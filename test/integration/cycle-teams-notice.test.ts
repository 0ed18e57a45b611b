import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, startBot, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';
import { teamsAdaptiveCardInvoke } from '../support/teams-activities.js';

// A button whose answer is the updated card plus a word to the presser ("That stage was already marked done."):
// Slack users get the word as an ephemeral message; Teams users must see it too, and only the person who pressed.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050';
const priyaAad = '332f0bee-a12b-413a-b038-eaad91eca375';

let bot: BotHarness;

beforeEach(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterEach(async () => {
  await bot?.stop();
});

async function openScopingStage(): Promise<string> {
  await new TeamsUser(bot, hannahAad, tenant, 'Hannah').say('cycle start focus-review "Neglect focus review" 2026-09-07');
  const cycle = await eventually(async () => (await bot.db.cycle.findFirst({ include: { stages: true } })) ?? undefined, 5000, 'cycle started');
  await outboxDrained(bot, 20_000);
  return cycle.stages.find((s) => s.key === 'scoping')!.id;
}

/** The card Teams shows the presser, as text they would read. */
function cardText(answer: { type: string; value: unknown }): string {
  expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
  expectValidAdaptiveCard(answer.value);
  return visibleCardText(answer.value);
}

describe('a card answer with a notice, in Teams', () => {
  it('a second Mark done shows the done card with "That stage was already marked done." to the presser; an automatic refresh never does', async () => {
    const scopingId = await openScopingStage();
    const priya = new TeamsUser(bot, priyaAad, tenant, 'Priya Sandhu');

    const first = cardText(await priya.press('stage.done', { value: scopingId }));
    expect(first).toContain('Done by Priya Sandhu');
    expect(first).not.toContain('already marked done');

    const second = cardText(await priya.press('stage.done', { value: scopingId }));
    expect(second).toContain('That stage was already marked done.');
    expect(second).toContain('Done by Priya Sandhu');
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.done', subjectId: scopingId } })).toBe(1);

    // Teams asking by itself (trigger "automatic") gets the card alone and nothing is posted anywhere.
    await outboxDrained(bot, 20_000);
    const outbox = await bot.db.outboxMessage.count();
    const posted = () => (['sendToConversation', 'replyToActivity', 'updateActivity'] as const).map((op) => bot.connector.requestsFor(op).length);
    const postedBefore = posted();
    const activity = teamsAdaptiveCardInvoke({
      serviceUrl: bot.connector.serviceUrl,
      conversationId: priya.conversationId,
      conversationType: 'personal',
      tenantId: tenant,
      fromId: `29:${priyaAad}`,
      fromName: 'Priya Sandhu',
      fromAadObjectId: priyaAad,
      verb: 'stage.done',
      data: { value: scopingId },
    });
    activity.value = { ...(activity.value as object), trigger: 'automatic' };
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const automatic = cardText((await res.json()) as { type: string; value: unknown });
    expect(automatic).toContain('Done by Priya Sandhu');
    expect(automatic).not.toContain('already marked done');
    await new Promise((r) => setTimeout(r, 300));
    expect(await bot.db.outboxMessage.count()).toBe(outbox);
    expect(posted()).toEqual(postedBefore);
  }, 60_000);
});
