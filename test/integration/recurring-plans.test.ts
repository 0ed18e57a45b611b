import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, examplePartnership, startBot, type BotHarness } from '../support/bot-harness.js';
import { deleteKeysWithPrefix } from '../support/redis-prefix.js';
import { TeamsUser } from '../support/teams-chat.js';

// Recurring plans on Swindon's directory: the Executive's meetings from its meetingsPerYear (8), one subgroup
// meeting plan for every group that meets four times a year, and a yearly report. The scheduler starts each date by
// itself, exactly once, across a Redis flush and a restart; admins skip, move, pause and resume.
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const rachelAad = '8108105a-1981-43ce-bbdc-73e877fb8cf8'; // business manager and admin

// Only the opening announcement: this file is about when cycles start, not their reminders.
const quiet = { before: [], onDueDay: false, overdueEvery: false, escalateAfter: false, escalateToManagerAfter: false };
const plans = [
  {
    key: 'executive-meeting',
    name: 'Safeguarding Executive meeting',
    startDateIs: 'the meeting date',
    reminders: quiet,
    group: 'executive',
    recurs: { meetings: 'per-year', from: '2027-01-14', opensBefore: { weeks: 4 } },
    stages: [
      { key: 'papers', name: 'Papers deadline', owner: { group: 'executive' }, after: 'start', offset: { workingDays: -5 }, duration: { workingDays: 0 }, done: 'Papers in' },
      { key: 'meeting', name: 'Executive meeting', owner: { group: 'executive' }, after: 'start', duration: { workingDays: 0 }, done: 'Held' },
    ],
  },
  {
    key: 'subgroup-meeting',
    name: 'Subgroup meeting',
    startDateIs: 'the meeting date',
    group: '@group',
    reminders: quiet,
    forEachGroup: { meetingsPerYear: 4 },
    recurs: { meetings: 'per-year', from: '2027-01-12', title: '{group}, {month} {year}' },
    stages: [
      { key: 'papers', name: 'Papers deadline', owner: { group: '@group' }, after: 'start', offset: { workingDays: -10 }, duration: { workingDays: 5 }, done: 'Papers in' },
      { key: 'meeting', name: 'Subgroup meeting', owner: { group: '@group' }, after: 'start', duration: { workingDays: 0 }, done: 'Held' },
    ],
  },
  {
    key: 'annual-report',
    name: 'Annual report',
    startDateIs: 'the publication date',
    reminders: quiet,
    group: 'executive',
    recurs: { every: { years: 1 }, from: '2027-09-30', opensBefore: { months: 3 }, leadsInTurn: ['rachel-whitmore', 'demo-user'] },
    stages: [{ key: 'draft', name: 'Draft', owner: { group: 'business-unit' }, after: 'start', offset: { months: -3 }, duration: { months: 2 }, done: 'Drafted' }],
  },
];

let bot: BotHarness;
let rachel: TeamsUser;
let dir: string;
const clock = new ManualClock(DateTime.fromISO('2026-12-01T10:00:00Z')); // a Tuesday

async function partnershipFile(withPlans: unknown[]): Promise<string> {
  const config = parse(await readFile(examplePartnership('swindon'), 'utf8')) as Record<string, unknown>;
  config.plans = withPlans;
  const file = path.join(dir, `swindon-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, stringify(config));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pbot-recurring-'));
  bot = await startBot({ partnership: null, clock, slack: false, env: { PARTNERSHIP_CONFIG: await partnershipFile(plans), DELIVERY_RATE_PER_SECOND: '1000' } });
  rachel = new TeamsUser(bot, rachelAad, tenant, 'Rachel Whitmore');
});
afterAll(async () => {
  await bot?.stop();
  await rm(dir, { recursive: true, force: true });
});

const cyclesOf = (planKey: string) => bot.db.cycle.findMany({ where: { planKey }, orderBy: { startOn: 'asc' }, select: { startOn: true, title: true, createdAt: true, plan: true } });

/** Moves the clock to the next occurrence's start and lets the real timer path start it. */
async function startNextOccurrence(until: DateTime): Promise<boolean> {
  const next = await bot.db.timer.findFirst({ where: { status: 'pending', kind: 'cycles.occurrence' }, orderBy: { dueAt: 'asc' } });
  if (!next || next.dueAt.getTime() > until.toMillis()) return false;
  clock.set(DateTime.fromJSDate(next.dueAt));
  await bot.runtime.reconcileNow();
  await eventually(async () => (await bot.db.timer.findUnique({ where: { id: next.id } }))?.status !== 'pending', 10000, `occurrence timer ${next.key}`);
  return true;
}

describe('recurring plans', () => {
  it('lists the coming dates with when each cycle starts', async () => {
    const reply = await rachel.ask('cycle schedule executive-meeting');
    expect(reply).toContain('Coming dates of Safeguarding Executive meeting');
    // Eight a year, every seven weeks on the first meeting's Thursday; the cycle starts four weeks before, 09:30.
    expect(reply).toContain('Thu 14 Jan 2027 · Safeguarding Executive meeting');
    expect(reply).toContain('cycle starts Thu 17 Dec 2026, 09:30');
    expect(reply).toContain('Thu 4 Mar 2027');
    const subgroups = await rachel.ask('cycle schedule subgroup-meeting');
    // The second Tuesday of every third month, for each of the groups that meet four times a year.
    expect(subgroups).toContain('Tue 12 Jan 2027 · Subgroup meeting (Performance and Quality Assurance');
    expect(await bot.db.planOccurrence.count({ where: { planKey: 'subgroup-meeting', occursOn: '2027-01-12' } })).toBe(8);
    expect(await rachel.ask('cycle schedule audits')).toContain('There is no plan "audits"');
  });

  it('starts each date by itself, once, on its day: through a Redis flush and a restart', async () => {
    const yearEnd = DateTime.fromISO('2027-12-31T23:00:00Z');
    let steps = 0;
    while (await startNextOccurrence(DateTime.fromISO('2027-05-01T00:00:00Z'))) steps += 1;
    await deleteKeysWithPrefix(bot.queuePrefix);
    await bot.restart();
    while (await startNextOccurrence(yearEnd)) steps += 1;
    expect(steps).toBeGreaterThan(10);

    const executive = await cyclesOf('executive-meeting');
    expect(executive.map((c) => c.startOn)).toEqual(['2027-01-14', '2027-03-04', '2027-04-22', '2027-06-10', '2027-07-29', '2027-09-16', '2027-11-04', '2027-12-23']);
    // The January 2028 meetings' papers open in December 2027, so those cycles have started too.
    const subgroup = (await cyclesOf('subgroup-meeting')).filter((c) => c.startOn < '2028-01-01');
    expect(subgroup).toHaveLength(8 * 4);
    expect(new Set(subgroup.map((c) => c.startOn))).toEqual(new Set(['2027-01-12', '2027-04-13', '2027-07-13', '2027-10-12']));
    expect(subgroup.map((c) => c.title).filter((title) => /^Performance and Quality Assurance.*, April 2027$/.test(title))).toHaveLength(1);
    // Each subgroup's copy of the plan names its own group as owner.
    const owners = new Set(subgroup.map((c) => JSON.stringify((c.plan as { stages: { owner: unknown }[] }).stages[0]!.owner)));
    expect(owners.size).toBe(8);
    expect([...owners].some((o) => o.includes('@group'))).toBe(false);
    expect((await cyclesOf('annual-report')).map((c) => c.startOn)).toEqual(['2027-09-30']);
    // Every occurrence started at its own start time, none twice.
    const started = await bot.db.planOccurrence.findMany({ where: { status: 'started' } });
    expect(started.length).toBe(8 + 32 + 8 + 1);
    for (const occurrence of started) expect(occurrence.startedAt?.getTime()).toBe(occurrence.startsAt.getTime());
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.occurrence.started-late' } })).toBe(0);
  }, 240_000);

  it('a skipped date does not start; Undo brings it back; a moved date starts before its new day', async () => {
    clock.set(DateTime.fromISO('2028-01-03T10:00:00Z'));
    await bot.runtime.reconcileNow();
    const refused = await new TeamsUser(bot, '2bd4f47e-0000-0000-0000-000000000000', tenant, 'Stranger').ask('cycle skip executive-meeting 2028-02-10');
    expect(refused).not.toContain('Skipped');
    expect(await rachel.ask('cycle skip executive-meeting 2028-02-11')).toContain('"executive-meeting" has no date on Fri 11 Feb 2028. Its next dates: Thu 10 Feb 2028');
    expect(await rachel.ask('cycle skip executive-meeting 2028-02-10')).toContain('Skipped Thu 10 Feb 2028 of executive-meeting: its cycle will not start.');
    expect(await rachel.ask('cycle schedule executive-meeting')).toContain('skipped by Rachel Whitmore');
    expect(await rachel.ask('cycle unskip executive-meeting 2028-02-10')).toContain('Brought back Thu 10 Feb 2028');
    expect(await rachel.ask('cycle skip executive-meeting 10 Feb 2028')).toContain('Skipped Thu 10 Feb 2028');
    // A moved date can be moved back with the reply's Undo.
    expect(await rachel.ask('cycle reschedule executive-meeting 30/3/2028 6 Apr 2028')).toContain('Moved executive-meeting from Thu 30 Mar 2028 to Thu 6 Apr 2028.');
    const moved = await bot.db.planOccurrence.findFirstOrThrow({ where: { planKey: 'executive-meeting', occursOn: '2028-03-30' } });
    expect(moved.movedTo).toBe('2028-04-06');
    const undone = await rachel.press('cycle.occurrence.move-back', { value: `${moved.id}|2028-03-30` });
    expect(JSON.stringify(undone.value)).toContain('Moved executive-meeting from Thu 6 Apr 2028 to Thu 30 Mar 2028.');
    expect((await bot.db.planOccurrence.findUniqueOrThrow({ where: { id: moved.id } })).movedTo).toBeNull();
    expect(await rachel.ask('cycle reschedule annual-report 2028-09-30 2028-10-13')).toContain('Moved annual-report from Sat 30 Sept 2028 to Fri 13 Oct 2028. Its cycle starts Thu 13 Jul, 09:30.');
    while (await startNextOccurrence(DateTime.fromISO('2028-12-31T00:00:00Z'))) { /* the year runs */ }
    const executive = (await cyclesOf('executive-meeting')).map((c) => c.startOn);
    expect(executive).not.toContain('2028-02-10');
    expect(executive).toContain('2028-03-30');
    expect((await cyclesOf('annual-report')).map((c) => c.startOn)).toEqual(['2027-09-30', '2028-10-13']);
    // Each year's report is led by the next member in turn.
    const leads = await bot.db.cycle.findMany({ where: { planKey: 'annual-report' }, orderBy: { startOn: 'asc' }, select: { lead: { select: { key: true } } } });
    expect(leads.map((c) => c.lead?.key)).toEqual(['rachel-whitmore', 'demo-user']);
    const audit = await bot.db.auditEvent.findMany({ where: { action: { startsWith: 'cycle.occurrence.' } }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cycle.occurrence.skipped', 'cycle.occurrence.unskipped', 'cycle.occurrence.moved']));
  }, 240_000);

  it('a paused plan starts nothing until resumed; dates missed while paused are skipped and said', async () => {
    clock.set(DateTime.fromISO('2029-01-02T10:00:00Z'));
    await bot.runtime.reconcileNow();
    expect(await rachel.ask('cycle pause subgroup-meeting')).toContain('Paused subgroup-meeting');
    const before = (await cyclesOf('subgroup-meeting')).length;
    clock.set(DateTime.fromISO('2029-04-20T10:00:00Z'));
    await bot.runtime.reconcileNow();
    // The Executive's dates (not paused) due by now start in the background: let them, so none starts late later on.
    const now = clock.now().toJSDate();
    await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: now } } })) === 0, 15_000, 'timers due by 20 Apr 2029');
    const subgroupDates = await bot.db.planOccurrence.findMany({ where: { planKey: 'subgroup-meeting', status: 'planned' }, select: { id: true } });
    expect(await bot.db.timer.count({ where: { status: 'pending', subjectId: { in: subgroupDates.map((o) => o.id) } } })).toBe(0);
    expect((await cyclesOf('subgroup-meeting')).length).toBe(before);
    const resumed = await rachel.ask('cycle resume subgroup-meeting');
    expect(resumed).toContain('Resumed subgroup-meeting. Skipped while paused: Tue 10 Apr 2029');
    expect(await bot.db.planOccurrence.count({ where: { planKey: 'subgroup-meeting', occursOn: '2029-04-10', status: 'skipped' } })).toBe(8);
  });

  it('a start missed while the bot was down happens at the next start-up, late but once, and says so in the audit log', async () => {
    const next = await bot.db.planOccurrence.findFirstOrThrow({ where: { status: 'planned', planKey: 'executive-meeting', startsAt: { gt: clock.now().toJSDate() } }, orderBy: { startsAt: 'asc' } });
    await bot.restart(() => clock.set(DateTime.fromJSDate(next.startsAt).plus({ hours: 26 })));
    await eventually(async () => (await bot.db.planOccurrence.findUnique({ where: { id: next.id } }))?.status === 'started', 10000, 'late start');
    const late = await bot.db.auditEvent.findFirstOrThrow({ where: { action: 'cycle.occurrence.started-late', data: { path: ['occursOn'], equals: next.occursOn } } });
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.occurrence.started-late', data: { path: ['occursOn'], equals: next.occursOn } } })).toBe(1);
    expect(late.data).toMatchObject({ plan: 'executive-meeting', occursOn: next.occursOn, lateByMinutes: 26 * 60 });
    await bot.restart();
    expect(await bot.db.cycle.count({ where: { planKey: 'executive-meeting', startOn: next.occursOn } })).toBe(1);
  }, 60_000);

  it('changing the file re-plans future dates and leaves running cycles alone', async () => {
    const running = await bot.db.cycle.count();
    const startedBefore = await bot.db.planOccurrence.count({ where: { status: 'started' } });
    const changed = plans.filter((p) => p.key !== 'subgroup-meeting').map((p) => (p.key === 'annual-report' ? { ...p, recurs: { ...p.recurs, from: '2027-10-29' } } : p));
    const file = await partnershipFile(changed);
    await bot.restart((config) => void (config.partnershipConfigPath = file));
    expect(await bot.db.cycle.count()).toBe(running);
    expect(await bot.db.planOccurrence.count({ where: { status: 'started' } })).toBe(startedBefore);
    expect(await bot.db.planOccurrence.count({ where: { planKey: 'subgroup-meeting', status: 'planned' } })).toBe(0);
    const annual = await bot.db.planOccurrence.findMany({ where: { planKey: 'annual-report', status: 'planned' }, orderBy: { occursOn: 'asc' } });
    expect(annual[0]?.occursOn.endsWith('-10-29')).toBe(true);
  }, 60_000);
});

describe('a recurring plan started by hand', () => {
  it('takes that date: the scheduler does not start it again', async () => {
    const next = await bot.db.planOccurrence.findFirstOrThrow({ where: { planKey: 'annual-report', status: 'planned' }, orderBy: { occursOn: 'asc' } });
    expect(await rachel.ask(`cycle start annual-report "Annual report, early" ${next.occursOn}`)).toContain('Started cycle');
    const taken = await bot.db.planOccurrence.findUniqueOrThrow({ where: { id: next.id } });
    expect(taken.status).toBe('started');
    expect((await bot.db.timer.findUniqueOrThrow({ where: { key: `occurrence:${next.id}` } })).status).toBe('cancelled');
    expect(await bot.db.cycle.count({ where: { planKey: 'annual-report', startOn: next.occursOn } })).toBe(1);
  });
});
