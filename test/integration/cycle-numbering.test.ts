import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, startBot, type BotHarness } from '../support/bot-harness.js';
import { TeamsUser } from '../support/teams-chat.js';

// Cycle numbers are per partnership and what people type (`cycle status 2`). Two admins starting cycles at the same
// moment must both succeed, with consecutive numbers, rather than one getting "something went wrong".
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050';

let bot: BotHarness;

beforeEach(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
});
afterEach(async () => {
  await bot?.stop();
});

describe('cycle start at the same moment', () => {
  it('three starts at once all succeed, numbered 1, 2 and 3, and each is told its own number', async () => {
    const hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah');
    const titles = ['Neglect review', 'Exploitation review', 'Transitions review'];
    await Promise.all(titles.map((title) => hannah.say(`cycle start focus-review "${title}" 2026-09-07`)));

    const cycles = await bot.db.cycle.findMany({ orderBy: { number: 'asc' } });
    expect(cycles.map((c) => c.number)).toEqual([1, 2, 3]);
    expect(cycles.map((c) => c.title).sort()).toEqual([...titles].sort());
    expect(await bot.db.cycleStage.count()).toBe(3 * 6);

    const replies = await eventually(() => {
      const sent = hannah.cards().filter((c) => c.includes('Started cycle #'));
      return sent.length === 3 ? sent : undefined;
    }, 10_000, 'three replies');
    for (const cycle of cycles) expect(replies.filter((r) => r.includes(`Started cycle #${cycle.number} \\"${cycle.title}\\"`))).toHaveLength(1);
    expect(hannah.cards().filter((c) => c.includes('went wrong'))).toHaveLength(0);
  }, 60_000);
});
