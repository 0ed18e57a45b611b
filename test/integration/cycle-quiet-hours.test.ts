import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Things that happen at once (a cycle started, a stage marked done) open stages at odd hours; the people who own
// those stages hear about it at 09:30 on the next working day, not on a Saturday evening.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const saturdayEvening = DateTime.fromISO('2026-09-05T21:00:00', { zone: 'Europe/London' });
let bot: BotHarness;
const clock = new ManualClock(saturdayEvening.toUTC());

beforeAll(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterAll(async () => {
  await bot?.stop();
});

const opened = (user: TeamsUser) => user.cards().filter((c) => c.includes('Now open: Month 1'));

describe('quiet hours', () => {
  it('a cycle started on a Saturday evening announces its open stage on Monday at 09:30', async () => {
    const manager = new TeamsUser(bot, 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', tenant, 'Hannah');
    const priya = new TeamsUser(bot, '332f0bee-a12b-413a-b038-eaad91eca375', tenant, 'Priya');
    await manager.say('cycle start focus-review "Weekend start" 2026-09-04');
    await eventually(() => manager.cards().find((c) => c.includes('Started cycle #1')), 5000, 'started');
    const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'scoping' } });
    expect(stage.status).toBe('open');
    await new Promise((r) => setTimeout(r, 500));
    expect(opened(priya)).toHaveLength(0);

    const announcement = await bot.db.timer.findFirstOrThrow({ where: { subjectId: stage.id, key: { endsWith: `opened@${stage.dueOn}` } } });
    expect(announcement.status).toBe('pending');
    expect(announcement.dueAt.toISOString()).toBe('2026-09-07T08:30:00.000Z'); // Monday 09:30 BST

    clock.set(DateTime.fromJSDate(announcement.dueAt));
    await bot.runtime.reconcileNow();
    await eventually(() => opened(priya).length === 1, 5000, 'announcement on Monday');
  });

  it('an announcement held for Monday still goes after the cycle is paused and resumed over the weekend', async () => {
    clock.set(DateTime.fromISO('2026-09-12T21:00:00', { zone: 'Europe/London' }).toUTC());
    const manager = new TeamsUser(bot, 'fc1873c2-5567-4c66-b3ec-fb5bc937f050', tenant, 'Hannah');
    const priya = new TeamsUser(bot, '332f0bee-a12b-413a-b038-eaad91eca375', tenant, 'Priya');
    expect(await manager.ask('cycle start focus-review "Paused over the weekend" 2026-09-11')).toContain('Started cycle #2');
    expect(await manager.ask('cycle pause 2')).toContain('Paused cycle #2');
    clock.set(DateTime.fromISO('2026-09-13T10:00:00', { zone: 'Europe/London' }).toUTC());
    expect(await manager.ask('cycle resume 2')).toContain('#2');
    const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'scoping', cycle: { number: 2 } } });
    const announcement = await bot.db.timer.findFirstOrThrow({ where: { subjectId: stage.id, key: { endsWith: `opened@${stage.dueOn}` } } });
    expect(announcement.status).toBe('pending');
    expect(announcement.dueAt.toISOString()).toBe('2026-09-14T08:30:00.000Z'); // Monday 09:30 BST
    clock.set(DateTime.fromJSDate(announcement.dueAt));
    await bot.runtime.reconcileNow();
    await eventually(() => opened(priya).length === 2, 5000, 'announcement after the resume');
  });
});
