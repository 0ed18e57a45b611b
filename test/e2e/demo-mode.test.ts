// Demo mode: `demo as <role>` changes who the demo user is, `demo advance` moves the demo clock so due reminders
// fire, both survive a restart; the seeded Section 11 round has Alex's draft to carry on and a report to draw; and
// outside demo mode the `demo` command does not exist at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import type { CommandResult } from '../../src/commands/types.js';
import { HEAT_COLOURS } from '../../src/features/section11/heat-map.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { WorkingCalendar } from '../../src/core/calendar.js';
import type { PlatformIdentity } from '../../src/directory/identity.js';
import type { Form, Message } from '../../src/messaging/message.js';
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
    if (s.kind === 'table') parts.push(...s.rows.map((r) => r.cells.map((c) => c.text).join(' | ')));
  }
  return parts.join('\n');
}

/** One line of CSV as its cells (quoted cells may hold commas and doubled quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
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
  const run = (text: string): Promise<CommandResult> => demo.runtime.services.commands.run(text, alex);
  const say = async (text: string) => {
    const result = await run(text);
    if (result.kind !== 'reply') throw new Error(`expected a reply to "${text}"`);
    return textOf(result.message);
  };
  /** Presses Back on a page of a paged form, as the Playground does: the page that comes back. */
  const back = async (form: Form): Promise<Form> => {
    const result = await demo.runtime.services.interactions.submitForm(alex, form.callbackId, form.state, {}, 'back');
    if (result.kind !== 'page') throw new Error(`expected a page after Back, got ${result.kind}`);
    return result.form;
  };
  const initialOf = (form: Form, id: string) => form.fields.find((f) => f.id === id)?.initial;

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

  it('seeds a Section 11 round in progress: as Alex, `s11 status` shows the council as a draft and `s11 open` carries on at standard 3 with the answers kept', async () => {
    await say('demo as business-manager');
    const calendar = await partnershipCalendar();
    const status = await say('s11 status');
    // Launched 15 working days before the demo's today, due 20 working days after it.
    const year = calendar.addWorkingDays(demo.clock.now().setZone(calendar.zone).set({ hour: 12 }), -15).year;
    expect(status).toContain(`Section 11 audit ${year}, round 1: 16 agencies, due `);
    expect(status).toContain('(20 working days left)');
    expect(status).toContain('Not started: 10 · Draft: 1 · Submitted: 4 · Returned: 0 · Signed off: 1');
    expect(status).toMatch(/^Swindon Borough Council \| Draft \| /m);
    expect(status).toMatch(/^Wiltshire Police \| Signed off \| /m);
    expect(status).toMatch(/^NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board \| Submitted \| /m);

    const opened = await run('s11 open');
    if (opened.kind !== 'form') throw new Error(`expected s11 open to open the form, got ${opened.kind}`);
    const page3 = opened.form;
    expect(page3.progress).toEqual({ page: 3, of: 9 });
    expect(page3.intro).toContain('Standard 3: Clear line of accountability');
    expect(page3.fields.map((f) => f.id)).toContain('s3:rating');
    expect(initialOf(page3, 's3:rating')).toBeUndefined();

    // Back shows what Alex typed on standard 2 the day before: partially met, with an action owned by Claire Donovan.
    const page2 = await back(page3);
    expect(page2.progress).toEqual({ page: 2, of: 9 });
    expect(page2.intro).toContain('Standard 2: Statement of safeguarding responsibilities');
    expect(initialOf(page2, 's2:rating')).toBe('partly-met');
    expect(initialOf(page2, 's2:evidence')).toBe('The policy is on the intranet but is past its review date, and the induction pack does not mention it.');
    expect(initialOf(page2, 's2:action')).toBe('Refresh the safeguarding policy and put it in the staff induction pack.');
    const owner = page2.fields.find((f) => f.id === 's2:owner');
    expect(owner?.kind === 'member' && owner.options?.find((o) => o.value === initialOf(page2, 's2:owner'))?.label).toBe('Claire Donovan');
    const page1 = await back(page2);
    expect(initialOf(page1, 's1:rating')).toBe('met');
    expect(initialOf(page1, 's1:links')).toBe('https://intranet.example.org/safeguarding/policy');
  });

  it('as the business manager, `s11 report` gives the heat map as a PNG with every rating colour in its grid, and the CSV for Excel', async () => {
    expect(await say('demo as business-manager')).toContain('You are now Alex Demo');
    const result = await run('s11 report');
    if (result.kind !== 'reply') throw new Error('expected a reply to s11 report');
    const { message } = result;
    expect(textOf(message)).toContain('round 1): 5 of 16 returns in.');

    const image = message.sections.find((s) => s.kind === 'image');
    if (image?.kind !== 'image') throw new Error('the report has no image');
    const png = PNG.sync.read(Buffer.from(image.png, 'base64'));
    expect(png.width).toBeGreaterThan(400);
    expect(png.width).toBeLessThanOrEqual(1024);
    expect(png.height).toBeGreaterThan(16 * 22); // a row for each of the 16 agencies
    expect(png.height).toBeLessThanOrEqual(1024);
    const pixels = new Map<string, number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const hex = `#${[png.data[i], png.data[i + 1], png.data[i + 2]].map((c) => c!.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
      pixels.set(hex, (pixels.get(hex) ?? 0) + 1);
    }
    // The legend has one 24×22 swatch of each colour; more than that means the colour is in the grid, i.e. a rating.
    for (const [colour, hex] of Object.entries(HEAT_COLOURS)) expect(pixels.get(hex) ?? 0, colour).toBeGreaterThan(24 * 22);

    const file = message.sections.find((s) => s.kind === 'file');
    if (file?.kind !== 'file') throw new Error('the report has no file');
    expect(file.name).toMatch(/^s11-round-1-\d{4}-ratings\.csv$/);
    expect(file.mimeType).toBe('text/csv');
    const csv = Buffer.from(file.data, 'base64').toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split(/\r?\n/);
    expect(lines[0]).toBe('Round,Agency,Status,Standard,Standard name,Self rating,Moderated rating,Evidence,Evidence links,Improvement action,Action owner,Target date,Why not applicable');
    expect(lines).toHaveLength(1 + 16 * 8 + 1); // the header, a row per agency and standard, the final line break
    const rows = lines.map(csvCells);
    const row = (agency: string, standard: number) => {
      const found = rows.find((cells) => cells[1] === agency && cells[3] === String(standard));
      if (!found) throw new Error(`no CSV row for ${agency}, standard ${standard}`);
      return { status: found[2], self: found[5], moderated: found[6], evidence: found[7], action: found[9], owner: found[10] };
    };
    expect(row('Wiltshire Police', 1)).toMatchObject({ status: 'Signed off', self: 'Met', moderated: '' });
    expect(row('Wiltshire Police', 6)).toMatchObject({ self: 'Not met', owner: 'Sarah Whitfield' });
    // The ICB's return, moderated by PQA: standard 2 partly met by the agency's own rating, met by the moderators.
    expect(row('NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board', 2)).toMatchObject({ status: 'Submitted', self: 'Partially met', moderated: 'Met' });
    // Alex's draft is not in: none of its answers reach the report.
    expect(row('Swindon Borough Council', 1)).toMatchObject({ status: 'Draft', self: '', evidence: '' });
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
