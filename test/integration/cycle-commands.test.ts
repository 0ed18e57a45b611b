import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { TeamsUser } from '../support/teams-chat.js';
import { visibleCardText } from '../support/card-text.js';

// The `cycle` and `tasks` commands as Warwickshire people type them in Teams, against the real database:
// what each person reads back, and what changed (or did not) in PostgreSQL.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050'; // business manager and admin
const priyaAad = '332f0bee-a12b-413a-b038-eaad91eca375'; // hubs and business team, no admin role
const elizabethAad = '1ddfd7fc-4c52-4391-9f84-ff2ed4342b45'; // independent chair, in neither the hubs nor the business team

const HUBS = 'Quality Learning and Improvement Hubs';
const BUSINESS_TEAM = 'Warwickshire Safeguarding Business Team';

let bot: BotHarness;
let hannah: TeamsUser;
let priya: TeamsUser;
let elizabeth: TeamsUser;
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')); // Monday 09:00 in London

beforeAll(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false });
  hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah Whitcombe');
  priya = new TeamsUser(bot, priyaAad, tenant, 'Priya Sandhu');
  elizabeth = new TeamsUser(bot, elizabethAad, tenant, 'Elizabeth Mortimer');
});
afterAll(async () => {
  await bot?.stop();
});


/** Visible text of everything the bot posted into a user's chat that was not a reply (e.g. notices about unreachable members). */
const noticesIn = (user: TeamsUser) =>
  bot.connector
    .sentActivities(user.conversationId)
    .map((a) => visibleCardText(a))
    .filter((text) => text.includes('could not be reached'));


const stageDue = async (cycleNumber: number, key: string) =>
  (await bot.db.cycleStage.findFirstOrThrow({ where: { key, cycle: { number: cycleNumber } } })).dueOn;

describe('cycle start', () => {
  it('names the plans there are when the plan is unknown, and starts nothing', async () => {
    const reply = await hannah.ask('cycle start neglect-review "Neglect focus review"');
    expect(reply).toContain('There is no plan "neglect-review". Plans: focus-review, focus-review-learning-event, executive-board-meeting, childrens-partnership-group-meeting, adults-partnership-group-meeting, annual-report.');
    expect(await bot.db.cycle.count()).toBe(0);
  });

  it('gives the usage when the title is missing', async () => {
    const reply = await hannah.ask('cycle start focus-review');
    expect(reply).toContain('Usage: cycle start <plan> "<title>" [start date] [lead]');
    expect(await bot.db.cycle.count()).toBe(0);
  });

  it('refuses a date it cannot read, and a lead it cannot find', async () => {
    expect(await hannah.ask('cycle start focus-review "Neglect focus review" 31/02/2026 hannah-whitcombe')).toContain('"31/02/2026" is not a date. Write dates as 2026-09-07 or 7/9/2026.');
    expect(await hannah.ask('cycle start focus-review "Neglect focus review" 2026-09-07 jo-bloggs')).toContain('I could not find "jo-bloggs" in the partnership.');
    expect(await bot.db.cycle.count()).toBe(0);
  });

  it('is for admins only', async () => {
    expect(await priya.ask('cycle start focus-review "Neglect focus review" 2026-09-07')).toContain('Only the partnership business manager or an admin can start a cycle.');
    expect(await bot.db.cycle.count()).toBe(0);
  });

  it('starts cycle #1 and names its first stage and due date', async () => {
    const reply = await hannah.ask('cycle start focus-review "Neglect focus review" 2026-09-07');
    expect(reply).toContain('Started cycle #1 "Neglect focus review" (Strategic focus review) with 6 stages. First: Month 1: initial scoping, due Wed 7 Oct 2026.');
    const cycle = await bot.db.cycle.findFirstOrThrow({ include: { stages: true } });
    expect(cycle).toMatchObject({ number: 1, title: 'Neglect focus review', startOn: '2026-09-07', status: 'active' });
    expect(cycle.stages.find((s) => s.key === 'scoping')?.status).toBe('open');
    // Nine hub members have never opened a chat with the bot: each miss is recorded for the business managers' daily
    // digest (test/integration/unreachable-digest.test.ts), and no notice follows the message.
    await eventually(async () => (await bot.db.auditEvent.count({ where: { action: 'delivery.unreachable' } })) === 9, 10_000, 'misses recorded');
    await outboxDrained(bot, 10_000);
    expect(noticesIn(hannah)).toEqual([]);
  });
});

describe('cycle status and cycle list', () => {
  const stages = [
    ['1. Month 1: initial scoping', HUBS, 'Wed 7 Oct 2026', 'Open'],
    ['2. Month 2: single- and multi-agency audits', HUBS, 'Fri 6 Nov 2026', 'Not open yet'], // 7 Nov is a Saturday
    ['3. Month 3: feedback from service users, carers, families and practitioners', HUBS, 'Mon 7 Dec 2026', 'Not open yet'],
    ['4. Month 4: recommendations, learning and key messages', HUBS, 'Thu 7 Jan 2027', 'Not open yet'],
    ['5. Six-month impact analysis', BUSINESS_TEAM, 'Fri 6 Aug 2027', 'Not open yet'],
    ['6. Twelve-month impact analysis', BUSINESS_TEAM, 'Mon 7 Feb 2028', 'Not open yet'],
  ] as const;

  function expectEveryStage(reply: string): void {
    expect(reply).toContain('Cycle #1: Neglect focus review');
    expect(reply).toContain('Strategic focus review');
    expect(reply).toContain('Hannah Whitcombe'); // the lead
    // Each stage: its name, then "owner · due date", then its state.
    for (const [name, owner, due, state] of stages) expect(reply).toContain(`${name}\n${owner} · due ${due}\n${state}`);
    expect(reply).toContain('Progress: 0 of 6 stages done.');
  }

  it('shows the latest cycle by default, and the same by number or #number', async () => {
    const latest = await hannah.ask('cycle status');
    expectEveryStage(latest);
    expect(await hannah.ask('cycle status 1')).toBe(latest);
    expect(await hannah.ask('cycle status #1')).toBe(latest);
  });

  it('may be read by everyone in the partnership, not just admins', async () => {
    expectEveryStage(await priya.ask('cycle status 1'));
    expectEveryStage(await elizabeth.ask('cycle status'));
  });

  it('says so when there is no such cycle', async () => {
    expect(await priya.ask('cycle status 9')).toContain('There is no cycle 9. Type cycle list to see them.');
  });

  it('lists the cycles with their plan and progress', async () => {
    const reply = await priya.ask('cycle list');
    expect(reply).toContain('#1 Neglect focus review\nStrategic focus review · 0 of 6 stages done\nactive');
  });
});

describe('tasks', () => {
  it("lists a member's open stages with due dates, soonest first", async () => {
    // A Children's Partnership Group meeting on 28 Sep: the hubs' papers open now and are due on 21 Sep, before the
    // focus review's first stage. Priya is its lead, so she may change it (below).
    expect(await hannah.ask('cycle start childrens-partnership-group-meeting "CPG, 28 September" 2026-09-28 priya-sandhu')).toContain('Started cycle #2');
    const reply = await priya.ask('tasks');
    expect(reply).toContain('Your tasks');
    const papers = reply.indexOf("Papers, including the focus review's recommendations\n#2 CPG, 28 September · due Mon 21 Sept 2026 (due in 10 working days)");
    const scoping = reply.indexOf('Month 1: initial scoping\n#1 Neglect focus review · due Wed 7 Oct 2026 (due in 22 working days)');
    expect(papers, reply).toBeGreaterThan(-1);
    expect(scoping, reply).toBeGreaterThan(papers);
    // Stages not open yet are not tasks.
    expect(reply).not.toContain('Agenda and papers circulated');
    expect(reply).not.toContain('Month 2');
  });

  it('says nothing is due for someone who owns no open stage', async () => {
    const reply = await elizabeth.ask('tasks');
    expect(reply).toContain('Nothing is due for you right now.');
    expect(reply).not.toContain('initial scoping');
  });
});

describe('cycle move', () => {
  it('lets an admin move a stage; it and the stages measured from it move, and status shows the new date', async () => {
    const reply = await hannah.ask('cycle move 1 audits 2026-11-20');
    expect(reply).toContain('Moved in cycle #1: Month 2: single- and multi-agency audits now due Fri 20 Nov 2026');
    expect(reply).toContain('Reminders now count down to the new date.');
    expect(await stageDue(1, 'audits')).toBe('2026-11-20');
    expect(await stageDue(1, 'scoping')).toBe('2026-10-07');
    expect(await priya.ask('cycle status 1')).toContain(`2. Month 2: single- and multi-agency audits\n${HUBS} · due Fri 20 Nov 2026`);
  });

  it('refuses a weekend and suggests the next working day, moving nothing', async () => {
    const reply = await hannah.ask('cycle move 1 audits 2026-11-28');
    expect(reply).toContain('Sat 28 Nov 2026 is not a working day. The next one is Mon 30 Nov 2026.');
    expect(await stageDue(1, 'audits')).toBe('2026-11-20');
  });

  it("is refused for someone who is neither an admin nor the cycle's lead, and allowed for the lead", async () => {
    const refused = await priya.ask('cycle move 1 audits 2026-11-27');
    expect(refused).toContain("Only an admin or the cycle's lead can move dates in cycle #1.");
    expect(await stageDue(1, 'audits')).toBe('2026-11-20');

    expect(await elizabeth.ask('cycle move 2 papers 2026-09-22')).toContain("Only an admin or the cycle's lead can move dates in cycle #2.");
    expect(await stageDue(2, 'papers')).toBe('2026-09-21');
    expect(await priya.ask('cycle move 2 papers 2026-09-22')).toContain("Papers, including the focus review's recommendations now due Tue 22 Sept 2026");
    expect(await stageDue(2, 'papers')).toBe('2026-09-22');
  });

  it('gives the usage when the date is missing or unreadable', async () => {
    expect(await hannah.ask('cycle move 1 audits')).toContain('Usage: cycle move <number> <stage> <date>');
    expect(await hannah.ask('cycle move 1 audits next-friday')).toContain('Usage: cycle move <number> <stage> <date>');
  });
});

describe('cycle alone', () => {
  it('shows what the cycle commands are', async () => {
    const reply = await priya.ask('cycle');
    expect(reply).toContain('cycle: commands');
    for (const usage of ['cycle start <plan> "<title>" [start date] [lead]', 'cycle status [number]', 'cycle list', 'cycle move <number> <stage> <date>', 'cycle pause | resume | cancel <number>']) {
      expect(reply).toContain(usage);
    }
  });
});

describe('pause and cancel', () => {
  it('pause confirms with an undo button; cancel asks first and changes nothing until confirmed; both refused for others', async () => {
    expect(await elizabeth.ask('cycle pause 1')).toContain("Only an admin or the cycle's lead can pause cycle #1.");
    expect((await bot.db.cycle.findFirstOrThrow({ where: { number: 1 } })).status).toBe('active');

    const paused = await hannah.ask('cycle pause 1');
    expect(paused).toContain('Paused cycle #1. No reminders go out until it is resumed; due dates stay as they are.');
    expect(paused).toContain('Undo: resume now');
    expect((await bot.db.cycle.findFirstOrThrow({ where: { number: 1 } })).status).toBe('paused');
    expect(await priya.ask('cycle status 1')).toContain('Paused');

    const cancel = await hannah.ask('cycle cancel 1');
    expect(cancel).toContain('Cancel cycle 1? Every reminder stops and this cannot be undone.');
    expect(cancel).toContain('Yes, cancel the cycle');
    expect((await bot.db.cycle.findFirstOrThrow({ where: { number: 1 } })).status).toBe('paused');
  });
});
