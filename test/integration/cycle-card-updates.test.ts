import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, startBot, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Every copy of a stage's card is updated in place when its state changes. Each change must reach the cards, even
// one that returns the stage to a state it had before (a date moved there and back, a cycle paused twice).
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050';

let bot: BotHarness;
let hannah: TeamsUser;

beforeEach(async () => {
  // The clock stands still: all the changes below happen "at the same instant", as far as the bot can tell.
  bot = await startBot({ partnership: 'warwickshire', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
  hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah');
});
afterEach(async () => {
  await bot?.stop();
});

const drained = () => outboxDrained(bot, 20_000);

async function scopingCardCopies(): Promise<string[]> {
  await hannah.ask('cycle start focus-review "Neglect focus review" 2026-09-07');
  const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'scoping' } });
  await drained();
  const rows = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${stage.id}`, operation: 'post', status: 'sent' } });
  expect(rows.length).toBeGreaterThanOrEqual(10);
  return rows.map((r) => r.platformMessageId!);
}

/** What each copy of the card shows now: the body of the last update Teams received for it. */
const latestShown = (activityIds: string[]) =>
  activityIds.map((id) => JSON.stringify(bot.connector.requestsFor('updateActivity').filter((r) => r.activityId === id).at(-1)?.body ?? null));

describe('updating every copy of a card', () => {
  it('a due date moved A → B → A → B leaves every copy showing B', async () => {
    const copies = await scopingCardCopies();
    for (const [to, shown] of [['2026-10-21', 'Wed 21 Oct 2026'], ['2026-10-07', 'Wed 7 Oct 2026'], ['2026-10-21', 'Wed 21 Oct 2026']] as const) {
      expect(await hannah.ask(`cycle move 1 scoping ${to}`)).toContain(`Month 1: initial scoping now due ${shown}`);
      await drained();
      for (const card of latestShown(copies)) expect(card).toContain(shown);
    }
  }, 60_000);

  it('a cycle paused, resumed and paused again leaves every copy saying it is paused', async () => {
    const copies = await scopingCardCopies();
    for (const [command, shown] of [['cycle pause 1', 'Cycle paused'], ['cycle resume 1', 'Resumed: Month 1: initial scoping'], ['cycle pause 1', 'Cycle paused']] as const) {
      await hannah.ask(command);
      await drained();
      for (const card of latestShown(copies)) expect(card).toContain(shown);
    }
  }, 60_000);
});
