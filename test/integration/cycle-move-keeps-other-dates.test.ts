import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, startBot, type BotHarness } from '../support/bot-harness.js';
import { TeamsUser } from '../support/teams-chat.js';

// A cycle started before calendar-day due dates on a weekend were brought back to the Friday kept its Mondays. Moving
// one of its stages must move that stage and the stages measured from it, and leave every other date as it was.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050'; // Warwickshire's business manager and admin

let bot: BotHarness;
let hannah: TeamsUser;

beforeAll(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), slack: false });
  hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah Whitcombe');
});
afterAll(async () => {
  await bot?.stop();
});

const dueOf = async (key: string) => (await bot.db.cycleStage.findFirstOrThrow({ where: { key, cycle: { number: 1 } } })).dueOn;

describe('moving a stage of a cycle planned under the old rule', () => {
  it('moves that stage and its impact checks, and leaves month 2 on the Monday it was given', async () => {
    expect(await hannah.ask('cycle start focus-review "Neglect focus review" 2026-09-07')).toContain('Started cycle #1');
    await eventually(() => bot.db.cycle.findFirst({ where: { number: 1 } }), 5000, 'cycle #1');
    expect(await dueOf('audits')).toBe('2026-11-06'); // a month on is Saturday 7 Nov: today's rule gives the Friday
    // As the bot stored it before the rule changed: the Monday after.
    await bot.db.cycleStage.updateMany({ where: { key: 'audits', cycle: { number: 1 } }, data: { dueOn: '2026-11-09', plannedDueOn: '2026-11-09' } });

    expect(await hannah.ask('cycle move 1 recommendations 2027-01-21')).toContain('Moved in cycle #1');
    expect(await dueOf('recommendations')).toBe('2027-01-21');
    expect(await dueOf('impact-check-6-months')).toBe('2027-08-20'); // measured from the recommendations: it follows
    expect(await dueOf('audits')).toBe('2026-11-09');
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.moved', data: { path: ['to'], equals: '2026-11-06' } } })).toBe(0);
  });
});
