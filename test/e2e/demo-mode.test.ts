// Demo mode: `demo as <role>` changes who the demo user is, `demo advance` moves the demo clock so due reminders
// fire, both survive a restart; and outside demo mode the `demo` command does not exist at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { WorkingCalendar } from '../../src/core/calendar.js';
import type { PlatformIdentity } from '../../src/directory/identity.js';
import type { Message } from '../../src/messaging/message.js';
import { TimerHandlerRegistry } from '../../src/scheduler/timer-handlers.js';
import { loadDemoPartnership, type DemoPartnership } from '../../src/demo/demo-partnership.js';
import { startDemoRuntime, type DemoRuntime } from '../../src/demo/demo-runtime.js';
import { migratedDatabase, type ScratchDatabase } from '../support/database.js';
import { eventually, startBot } from '../support/bot-harness.js';
import { testNow } from '../support/test-clock.js';

function textOf(message: Message): string {
  const parts = [message.title ?? '', message.text];
  for (const s of message.sections) {
    if (s.kind === 'text' || s.kind === 'context') parts.push(s.text);
    if (s.kind === 'facts') parts.push(...s.facts.map((f) => `${f.label}: ${f.value}`));
    if (s.kind === 'list') parts.push(...s.items.map((i) => `${i.title} ${i.detail ?? ''} ${i.status ?? ''}`));
  }
  return parts.join('\n');
}

describe('demo mode', () => {
  let database: ScratchDatabase;
  let partnership: DemoPartnership;
  let demo: DemoRuntime;
  let alex: PlatformIdentity;
  const fired: string[] = [];
  const handlers = new TimerHandlerRegistry().register('demo-test', async ({ timer }) => void fired.push(timer.key));
  // The real time under the demo clock stands still at testNow(), so the clock moves only when `demo advance` moves it.
  const realNow = testNow();

  const start = async () =>
    startDemoRuntime({ databaseUrl: database.url, partnership, port: 0, logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), timerHandlers: handlers, realNow: () => realNow });
  /** The demo partnership's working calendar, as the bot builds it. */
  const partnershipCalendar = async () => {
    const row = await demo.runtime.services.db.partnership.findUniqueOrThrow({ where: { slug: partnership.config.partnership.slug } });
    return new WorkingCalendar({ zone: row.timezone, extraNonWorkingDays: row.extraNonWorkingDays });
  };
  const say = async (text: string) => {
    const result = await demo.runtime.services.commands.run(text, alex);
    if (result.kind !== 'reply') throw new Error(`expected a reply to "${text}"`);
    return textOf(result.message);
  };

  beforeAll(async () => {
    database = await migratedDatabase('demo');
    partnership = await loadDemoPartnership('swindon');
    alex = { platform: 'teams', userId: 'user-id-0', aadObjectId: partnership.home.aadObjectId, tenantId: partnership.tenantId };
    demo = await start();
  });

  afterAll(async () => {
    await demo?.runtime.stop();
    await database?.drop();
  });

  it('signs the Playground user in as Alex Demo, business manager, and lists the demo command in help', async () => {
    const whoami = await say('whoami');
    expect(whoami).toContain('Alex Demo');
    expect(whoami).toContain('Business manager');
    expect(await say('help')).toContain('demo as agency-lead');
  });

  it('seeds a cycle whose first stage is 3 working days overdue and whose second is open, whatever day the demo starts', async () => {
    expect(demo.clock.now().toISO()).toBe(realNow.toISO()); // PBOT_TEST_CLOCK, when set, reaches the demo clock
    const calendar = await partnershipCalendar();
    const today = demo.clock.now().setZone(calendar.zone).toISODate()!;
    // The seeded story, not a meeting cycle that Swindon's recurring plans started by themselves.
    const seeded = await demo.runtime.services.db.cycle.findFirstOrThrow({ where: { title: { endsWith: '(demo)' } } });
    const [first, second] = await demo.runtime.services.db.cycleStage.findMany({ where: { cycleId: seeded.id }, orderBy: { seq: 'asc' }, take: 2 });
    expect(first!.status).toBe('open');
    expect(calendar.workingDaysBetween(DateTime.fromISO(first!.dueOn, { zone: calendar.zone }), demo.clock.now())).toBe(3);
    expect(second!.status).toBe('open');
    expect(second!.opensOn <= today && today < second!.dueOn, `${today} within ${second!.opensOn}..${second!.dueOn}`).toBe(true);

    expect(await say(`cycle status ${seeded.number}`)).toMatch(/0 of \d+ stages done, 1 overdue/);
    const tasks = await say('tasks');
    expect(tasks).toContain(first!.name);
    expect(tasks).toContain('(3 working days overdue)');
  });

  it('`demo as agency-lead` makes whoami show a real agency lead of the partnership, and keeps it across a restart', async () => {
    const answer = await say('demo as agency-lead');
    expect(answer).toMatch(/You are now /);
    const whoami = await say('whoami');
    expect(whoami).not.toContain('Alex Demo');
    expect(whoami).toContain('Safeguarding lead');

    await demo.runtime.stop();
    demo = await start();
    expect(await say('whoami')).toBe(whoami);

    expect(await say('demo advance 5 working days')).toContain('Only admins can move the demo clock');
    await say('demo as business-manager');
    expect(await say('whoami')).toContain('Alex Demo');
  });

  it('`demo as prg-member` and `demo as chair` pick members who hold those roles; an unknown role gets the list', async () => {
    await say('demo as chair');
    expect(await say('whoami')).toContain('Independent chair');
    await say('demo as prg-member');
    expect(await say('whoami')).toMatch(/Practice Review/i);
    // The seeded rapid review is open with its clocks running, and its details are the group's to see.
    expect(await say('review list')).toContain('#1 case SW-RR-2031');
    const status = await say('review status 1');
    expect(status).toContain('A child known to early help was seriously injured at home.');
    // Aware 3 working days before the demo's today; the rapid review is due 15 working days after that.
    const calendar = await partnershipCalendar();
    const today = demo.clock.now().setZone(calendar.zone).set({ hour: 12 });
    const due = calendar.addWorkingDays(calendar.addWorkingDays(today, -3), 15);
    expect(status).toContain(`Rapid review completed and sent to the Panel: by ${due.toFormat('ccc d LLL yyyy')}`);
    expect(status).toContain(`${calendar.workingDaysUntil(due.toISODate()!, demo.clock.now())} working days left`);
    await say('demo as chair');
    expect(await say('review status 1')).not.toContain('A child known to early help');
    expect(await say('demo as wizard')).toContain('agency-lead');
    await say('demo as business-manager');
  });

  it('`demo advance 5 working days` moves the clock for the whole runtime, fires timers now due, and survives a restart', async () => {
    const { db, timerJobs } = demo.runtime.services;
    const calendar = await partnershipCalendar();
    const before = demo.clock.now();
    const timer = await db.timer.create({
      data: { key: 'demo-test:in-3-working-days', kind: 'demo-test', subjectId: 'demo', dueAt: calendar.addWorkingDays(before, 3).toJSDate(), rule: 'test' },
    });
    await timerJobs.sync([timer.id]);
    expect(fired).toEqual([]);

    const answer = await say('demo advance 5 working days');
    expect(answer).toContain('The demo clock now reads');
    // Ours, plus whatever the seeded demo story has falling due in the same five days.
    expect(answer).toMatch(/\d+ reminders? (is|are) now due and being sent/);
    // Exactly five working days on from where the clock stood, as the partnership's calendar counts them.
    const expected = calendar.addWorkingDays(before, 5);
    expect(demo.clock.now().toISO()).toBe(expected.toUTC().toISO());
    expect(answer).toContain(`The demo clock now reads ${expected.setZone(calendar.zone).toFormat('ccc d LLL yyyy, HH:mm')}`);

    await eventually(() => fired.includes('demo-test:in-3-working-days'), 15_000, 'the timer due in 3 working days to fire');
    expect((await db.timer.findUniqueOrThrow({ where: { id: timer.id } })).status).toBe('fired');

    const offset = demo.clock.offset;
    await demo.runtime.stop();
    demo = await start();
    expect(demo.clock.offset).toBe(offset);
    expect(demo.clock.now().toISO()).toBe(expected.toUTC().toISO());
  });
});

describe('outside demo mode', () => {
  it('has no demo command: the clock cannot move, help does not mention it, and "demo" is an unknown command', async () => {
    const bot = await startBot({ slack: false, clock: systemClock });
    try {
      const { commands } = bot.runtime.services;
      expect(commands.names).not.toContain('demo');
      expect(commands.demoMode).toBe(false);
      const identity: PlatformIdentity = { platform: 'teams', userId: 'u', aadObjectId: '00000000-0000-0000-0000-0000000000d0', tenantId: '5ce40424-6cfb-47ba-9b27-f32ed2392389' };
      const before = Date.now();
      const result = await commands.run('demo advance 5 working days', identity);
      expect(result.kind === 'reply' && result.message.title).toBe('Not a command I know');
      const help = await commands.run('help', identity);
      expect(help.kind === 'reply' && textOf(help.message)).not.toMatch(/demo/i);
      expect(Math.abs(bot.runtime.services.clock.now().toMillis() - Date.now())).toBeLessThan(Date.now() - before + 1000);
    } finally {
      await bot.stop();
    }
  });
});
