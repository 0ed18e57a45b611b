import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, examplePartnership, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Warwickshire's strategic focus review (four monthly stages, then impact checks 6 and 12 months after the
// recommendations), driven from start to the 12-month check by a fake clock. Every stage is marked done at noon
// on its due day, so each stage sends: opened, 5 and 1 working days before, due day.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const priyaAad = '332f0bee-a12b-413a-b038-eaad91eca375'; // in the hubs and the business team
const managerAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050';

const expected = [
  ['opened@2026-10-07', '2026-09-07T08:00:00.000Z'], // cycle started Monday 09:00 BST
  ['before:5@2026-10-07', '2026-09-30T08:30:00.000Z'],
  ['before:1@2026-10-07', '2026-10-06T08:30:00.000Z'],
  ['due@2026-10-07', '2026-10-07T08:30:00.000Z'],
  // Month 2 is due a month on, Saturday 7 Nov: the Friday before (a calendar-day deadline never moves later).
  ['opened@2026-11-06', '2026-10-07T08:30:00.000Z'], // month 2 opens on its planned day, 09:30
  ['before:5@2026-11-06', '2026-10-30T09:30:00.000Z'], // clocks went back on 25 Oct: 09:30 GMT
  ['before:1@2026-11-06', '2026-11-05T09:30:00.000Z'],
  ['due@2026-11-06', '2026-11-06T09:30:00.000Z'],
  ['opened@2026-12-07', '2026-11-06T12:00:00.000Z'], // month 2 done at noon on Friday: month 3 opens at once
  ['before:5@2026-12-07', '2026-11-30T09:30:00.000Z'],
  ['before:1@2026-12-07', '2026-12-04T09:30:00.000Z'],
  ['due@2026-12-07', '2026-12-07T09:30:00.000Z'],
  ['opened@2027-01-07', '2026-12-07T09:30:00.000Z'],
  ['before:5@2027-01-07', '2026-12-30T09:30:00.000Z'], // skips 25 and 28 Dec and 1 Jan
  ['before:1@2027-01-07', '2027-01-06T09:30:00.000Z'],
  ['due@2027-01-07', '2027-01-07T09:30:00.000Z'],
  ['opened@2027-08-06', '2027-07-07T08:30:00.000Z'], // six-month impact check opens on its own date
  ['before:5@2027-08-06', '2027-07-30T08:30:00.000Z'], // due Friday 6 Aug: 7 Aug is a Saturday
  ['before:1@2027-08-06', '2027-08-05T08:30:00.000Z'],
  ['due@2027-08-06', '2027-08-06T08:30:00.000Z'],
  ['opened@2028-02-07', '2028-01-07T09:30:00.000Z'], // twelve-month impact check
  ['before:5@2028-02-07', '2028-01-31T09:30:00.000Z'],
  ['before:1@2028-02-07', '2028-02-04T09:30:00.000Z'],
  ['due@2028-02-07', '2028-02-07T09:30:00.000Z'],
];

const bankHolidays = new Set([
  '2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28', '2028-01-03',
]);

let bot: BotHarness;
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z'));

let dir: string;

/** Warwickshire's file without `recurs:`: one focus review on its own, no other cycle starting by itself on the way. */
async function warwickshireStartedByHand(): Promise<string> {
  const config = parse(await readFile(examplePartnership('warwickshire'), 'utf8')) as { plans: Record<string, unknown>[] };
  for (const plan of config.plans) delete plan.recurs;
  dir = await mkdtemp(path.join(tmpdir(), 'simulation-'));
  const file = path.join(dir, 'warwickshire.yaml');
  await writeFile(file, stringify(config));
  return file;
}

beforeAll(async () => {
  const file = await warwickshireStartedByHand();
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500', PARTNERSHIP_CONFIG: file } });
  // Every member has opened a chat with the bot once, so reminders reach them in Teams.
  await giveEveryMemberATeamsChat(bot, tenant);
});
afterAll(async () => {
  await bot?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fireNextTimer(): Promise<boolean> {
  const next = await bot.db.timer.findFirst({ where: { status: 'pending' }, orderBy: { dueAt: 'asc' } });
  if (!next) return false;
  const doneAt = await nextCompletion();
  if (doneAt && doneAt <= next.dueAt.getTime()) return completeDueStage(doneAt);
  clock.set(DateTime.fromJSDate(next.dueAt));
  await bot.runtime.reconcileNow();
  await eventually(async () => (await bot.db.timer.findUnique({ where: { id: next.id } }))?.status !== 'pending', 5000, `timer ${next.key}`);
  return true;
}

/** Noon on the due day of the open stage due soonest. */
async function nextCompletion(): Promise<number | undefined> {
  const open = await bot.db.cycleStage.findFirst({ where: { status: 'open' }, orderBy: { dueOn: 'asc' } });
  return open ? DateTime.fromISO(`${open.dueOn}T12:00`, { zone: 'Europe/London' }).toMillis() : undefined;
}

async function completeDueStage(at: number): Promise<boolean> {
  clock.set(DateTime.fromMillis(at));
  const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { status: 'open' }, orderBy: { dueOn: 'asc' } });
  const answer = await new TeamsUser(bot, priyaAad, tenant, 'Priya').press('stage.done', { value: stage.id });
  expect(JSON.stringify(answer.value)).toContain('Done by Priya Sandhu');
  return true;
}

describe('a Warwickshire focus review, start to 12-month impact check', () => {
  it('sends every reminder at the expected instant, on working days only, and completes the cycle', async () => {
    await new TeamsUser(bot, managerAad, tenant, 'Hannah').say('cycle start focus-review "Neglect focus review" 2026-09-07');
    await eventually(() => bot.db.cycle.findFirst(), 5000, 'cycle started');
    for (let guard = 0; guard < 200 && (await fireNextTimer()); guard++);

    const events = await bot.db.auditEvent.findMany({ where: { action: 'cycle.reminder.sent' }, orderBy: { id: 'asc' } });
    const sent = events.map((e) => {
      const data = e.data as { reminder: string; at: string };
      return [data.reminder, data.at];
    });
    // Reminders due at the same instant (a stage's due day is the next one's opening) may fire in either order.
    sent.sort((a, b) => a[1]!.localeCompare(b[1]!) || expected.findIndex((e) => e[0] === a[0]) - expected.findIndex((e) => e[0] === b[0]));
    expect(sent).toEqual(expected);

    for (const [, at] of sent) {
      const local = DateTime.fromISO(at!, { zone: 'Europe/London' });
      expect(local.weekday, at).toBeLessThanOrEqual(5);
      expect(bankHolidays.has(local.toISODate()!), at).toBe(false);
    }
    const cycle = await bot.db.cycle.findFirstOrThrow();
    expect(cycle.status).toBe('completed');
    expect(await bot.db.timer.count({ where: { status: 'pending' } })).toBe(0);
    expect(await bot.db.timer.count({ where: { status: 'fired', dueAt: { lt: new Date('2026-09-01') } } })).toBe(0);
  }, 120_000);

  it('delivered each reminder to every owner in Teams', async () => {
    const hubs = 10; // chair + nine members
    await outboxDrained(bot, 20_000);
    const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'scoping' } });
    const cards = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${stage.id}`, operation: 'post' } });
    // opened, 5 before, 1 before, due: to each hub member, plus the opening post in the hubs' channel (when known).
    expect(cards.filter((c) => (c.target as { kind: string }).kind === 'conversation' && c.status === 'sent').length).toBe(4 * hubs);
    const priyaCards = new TeamsUser(bot, priyaAad, tenant).cards().filter((c) => c.includes('initial scoping'));
    expect(priyaCards.some((c) => c.includes('Now open: Month 1: initial scoping'))).toBe(true);
    expect(priyaCards.some((c) => c.includes('Due today: Month 1: initial scoping'))).toBe(true);
    // After Mark done, every copy of the scoping cards reads "Done by".
    const updates = bot.connector.requestsFor('updateActivity').filter((r) => JSON.stringify(r.body).includes('initial scoping'));
    expect(updates.length).toBe(4 * hubs);
    expect(updates.every((u) => JSON.stringify(u.body).includes('Done by Priya Sandhu'))).toBe(true);
  }, 60_000);
});
