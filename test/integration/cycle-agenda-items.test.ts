import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { addAgendaItem, type NewAgendaItem } from '../../src/workflow/agenda.js';
import { startBot, eventually, outboxDrained, type BotHarness } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Items other features put on a group's next meeting (src/workflow/agenda.ts) as Warwickshire's Executive Board sees
// them in Teams: the WSEB meeting cycle started next takes what waits for its groups (the board, and the Business
// Team, which owns two of its stages) and lists it on the papers stage's opening card and on `cycle status`. A
// standing item is on every cycle; an ordinary one on the first cycle only; another group's item stays waiting.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050'; // business manager and admin, a WSEB member
const learning = 'Learning from dispute #3: thresholds for strategy discussions';
const riskRegister = 'Review the risk register';
const annualReport = 'Draft annual report for sign-off';
const rapidReviews = 'Rapid review timescales';

const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')); // Monday 7 Sep 2026, 09:00 in London
let bot: BotHarness;
let hannah: TeamsUser;
let partnershipId: string;

beforeAll(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  await giveEveryMemberATeamsChat(bot, tenant);
  hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah Whitcombe');
  partnershipId = (await bot.db.partnership.findFirstOrThrow()).id;
  // This file is about the cycles side alone: the risk register's standing item, which the disputes feature puts on
  // the Executive Board's meetings at start (warwickshire.yaml names it the review group), is added below by hand.
  await bot.db.agendaItem.deleteMany({});
});
afterAll(async () => {
  await bot?.stop();
});

/** As another feature does it: in its own transaction (one each, so "oldest first" has an order to follow). */
async function add(item: Omit<NewAgendaItem, 'partnershipId'>): Promise<void> {
  const added = await bot.db.$transaction((tx) => addAgendaItem(tx, { partnershipId, ...item }));
  expect(added, `group ${item.groupKey} exists`).toBeDefined();
}

const item = (title: string) => bot.db.agendaItem.findFirstOrThrow({ where: { title } });
const cycleId = async (number: number) => (await bot.db.cycle.findFirstOrThrow({ where: { number } })).id;

/** The card announcing that a cycle's papers stage is open, as Hannah reads it in her chat with the bot. */
async function openingCard(cycleTitle: string): Promise<string> {
  const activity = await eventually(
    () => bot.connector.sentActivities(hannah.conversationId).find((a) => visibleCardText(a).includes('Now open: Papers to the Business Team') && visibleCardText(a).includes(cycleTitle)),
    10_000,
    `the opening card of "${cycleTitle}"`,
  );
  const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  expectValidAdaptiveCard(card);
  return visibleCardText(card);
}

async function startedAudit(number: number): Promise<Record<string, unknown>> {
  const event = await bot.db.auditEvent.findFirstOrThrow({ where: { action: 'cycle.started', subjectId: await cycleId(number) } });
  return event.data as Record<string, unknown>;
}

describe("agenda items on the Executive Board's meeting cycles", () => {
  it('the next WSEB meeting cycle takes the items waiting for its groups and lists them on the opening card', async () => {
    await add({ groupKey: 'executive-board', title: learning, sourceKey: 'dispute:3' });
    await add({ groupKey: 'executive-board', title: riskRegister, sourceKey: 'risk-register', standing: true });
    await add({ groupKey: 'safeguarding-reviews-subgroup', title: rapidReviews, sourceKey: 'dispute:4' });

    // The papers for the 28 September meeting are due 15 working days before it: the stage opens today.
    expect(await hannah.ask('cycle start executive-board-meeting "WSEB, 28 September" 2026-09-28')).toContain('Started cycle #1 "WSEB, 28 September" (WSEB meeting)');
    await outboxDrained(bot);

    const card = await openingCard('#1 WSEB, 28 September');
    expect(card).toContain(`On the agenda: ${learning}; ${riskRegister} (standing item)`);
    expect(card).not.toContain(rapidReviews);

    expect(await item(learning)).toMatchObject({ cycleId: await cycleId(1), takenAt: clock.now().toJSDate() });
    expect((await item(riskRegister)).cycleId).toBeNull(); // standing: never taken by one cycle
    expect((await item(rapidReviews)).cycleId).toBeNull(); // another group's: still waiting for its next meeting
  });

  it('cycle status lists the agenda items, the standing one marked as such', async () => {
    const status = await hannah.ask('cycle status 1');
    expect(status).toContain(`Agenda items\n${learning}\n${riskRegister}\nStanding item\nProgress: 0 of 4 stages done.`);
    expect(status).not.toContain(rapidReviews);
  });

  it("the audit event records how many items the cycle took, never what they say", async () => {
    const data = await startedAudit(1);
    expect(data).toMatchObject({ plan: 'executive-board-meeting', agendaItems: 2 });
    expect(JSON.stringify(data)).not.toMatch(/dispute|risk register|strategy/i);
  });

  it('the next meeting has the standing item and what was added since, not what the last meeting took', async () => {
    // The Business Team owns the circulation and minutes stages: its items go on the board's meeting too.
    await add({ groupKey: 'business-team', title: annualReport, sourceKey: 'annual-report:2026' });
    // Four weeks on (whatever reminders about cycle #1 fell due meanwhile are sent), the 26 October meeting's papers open.
    clock.set(DateTime.fromISO('2026-10-05T08:00:00Z')); // Monday 5 Oct 2026, 09:00 in London
    await bot.runtime.reconcileNow();
    await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now().toJSDate() } } })) === 0, 10_000, 'timers due by 5 October');
    await outboxDrained(bot);

    expect(await hannah.ask('cycle start executive-board-meeting "WSEB, 26 October" 2026-10-26')).toContain('Started cycle #2 "WSEB, 26 October"');
    await outboxDrained(bot);

    const card = await openingCard('#2 WSEB, 26 October');
    expect(card).toContain(`On the agenda: ${riskRegister} (standing item); ${annualReport}`);
    expect(card).not.toContain(learning);
    expect(card).not.toContain(rapidReviews);

    const status = await hannah.ask('cycle status 2');
    expect(status).toContain(`Agenda items\n${riskRegister}\nStanding item\n${annualReport}\nProgress:`);
    expect(status).not.toContain(learning);
    expect(await startedAudit(2)).toMatchObject({ agendaItems: 2 });

    // What each cycle took stays with it; the other group's item is still waiting.
    expect((await item(learning)).cycleId).toBe(await cycleId(1));
    expect((await item(annualReport)).cycleId).toBe(await cycleId(2));
    expect((await item(rapidReviews)).cycleId).toBeNull();
    expect(await hannah.ask('cycle status 1')).toContain(`Agenda items\n${learning}\n${riskRegister}\nStanding item\nProgress:`);
  });
});
