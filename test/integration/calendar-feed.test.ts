import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, type BotHarness } from '../support/bot-harness.js';
import { TeamsUser } from '../support/teams-chat.js';
import { freePort } from '../../src/demo/ports.js';

// `calendar`: a private .ics feed of a member's (or a group's) stage deadlines, fetched the way Outlook or Google
// Calendar would, from the URL the bot gives out.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050'; // business manager and admin, not in the hubs
const priyaAad = '332f0bee-a12b-413a-b038-eaad91eca375'; // in the hubs and the business team
const sophieAad = 'a24e9ba5-9344-478b-8c53-25b3a113d270'; // business team only, no admin role
const elizabethAad = '1ddfd7fc-4c52-4391-9f84-ff2ed4342b45'; // chairs the Children's Partnership Group

const HUBS = 'quality-learning-improvement-hubs';
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z'));

let bot: BotHarness;
let publicUrl: string;
let hannah: TeamsUser;
let priya: TeamsUser;
let sophie: TeamsUser;
let elizabeth: TeamsUser;

// Servers usually run in UTC: all-day dates must not depend on the process's own zone (the bot runs in this process).
const originalTz = process.env.TZ;

beforeAll(async () => {
  process.env.TZ = 'UTC';
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { PORT: String(port), PUBLIC_URL: publicUrl } });
  hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah Whitcombe');
  priya = new TeamsUser(bot, priyaAad, tenant, 'Priya Sandhu');
  sophie = new TeamsUser(bot, sophieAad, tenant, 'Sophie Barker');
  elizabeth = new TeamsUser(bot, elizabethAad, tenant, 'Elizabeth Mortimer');
  // A focus review (hubs, then the business team's impact checks) and a Children's Partnership Group meeting.
  expect(await hannah.ask('cycle start focus-review "Neglect focus review" 2026-09-07')).toContain('Started cycle #1');
  expect(await hannah.ask('cycle start childrens-partnership-group-meeting "CPG, 28 September" 2026-09-28')).toContain('Started cycle #2');
});
afterAll(async () => {
  await bot?.stop();
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});


/** Asks for a calendar link and returns the URL in the reply. */
async function calendarLink(user: TeamsUser, command = 'calendar'): Promise<string> {
  const reply = await user.ask(command);
  expect(reply).toContain('Your private calendar link');
  const url = new RegExp(`${publicUrl.replace(/[.]/g, '\\.')}/calendar/[A-Za-z0-9_-]+\\.ics`).exec(reply)?.[0];
  expect(url, reply).toBeDefined();
  return url!;
}

const tokenOf = (url: string) => /\/calendar\/([^/]+)\.ics$/.exec(url)![1]!;

interface CalendarEvent {
  summary: string;
  start: string;
  end: string;
  lines: string[];
}

/** Fetches a feed as a calendar app would and reads its events (unfolding and unescaping iCalendar text). */
async function fetchFeed(url: string): Promise<{ status: number; type: string; body: string; name: string; events: CalendarEvent[] }> {
  const res = await fetch(url);
  const body = await res.text();
  const unfolded = body.replace(/\r?\n[ \t]/g, '');
  const unescape = (v: string) => v.replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');
  const value = (lines: string[], name: string) => unescape(lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))?.replace(/^[^:]*:/, '') ?? '');
  const events = unfolded
    .split('BEGIN:VEVENT')
    .slice(1)
    .map((chunk) => {
      const lines = chunk.split(/\r?\n/);
      return { summary: value(lines, 'SUMMARY'), start: lines.find((l) => l.startsWith('DTSTART')) ?? '', end: lines.find((l) => l.startsWith('DTEND')) ?? '', lines };
    });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body, name: value(unfolded.split(/\r?\n/), 'X-WR-CALNAME'), events };
}

const ymd = (iso: string) => iso.replace(/-/g, '');
const allDay = (iso: string) => `DTSTART;VALUE=DATE:${ymd(iso)}`;

/** The open and pending stages whose owning group is one of `groups`, as the events a feed should hold. */
async function expectedEvents(groups: string[]): Promise<[string, string][]> {
  const stages = await bot.db.cycleStage.findMany({ where: { status: { in: ['open', 'pending'] } }, include: { cycle: true } });
  return stages
    .filter((s) => groups.includes((s.owner as { group?: string }).group ?? ''))
    .map((s): [string, string] => [allDay(s.dueOn), `Due: ${s.name} (#${s.cycle.number} ${s.cycle.title})`])
    .sort();
}

const asPairs = (events: CalendarEvent[]) => events.map((e): [string, string] => [e.start, e.summary]).sort();

describe('a member’s own feed', () => {
  let url: string;

  it('`calendar` replies with a private URL under PUBLIC_URL', async () => {
    url = await calendarLink(priya);
    expect(url.startsWith(`${publicUrl}/calendar/`)).toBe(true);
    expect(tokenOf(url)).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
  });

  it('serves text/calendar with one all-day event per open or pending stage she owns, on its due date', async () => {
    const feed = await fetchFeed(url);
    expect(feed.status).toBe(200);
    expect(feed.type).toMatch(/^text\/calendar/);
    expect(feed.body.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(feed.name).toBe('Warwickshire Safeguarding: my deadlines');
    // Priya is in the hubs and the business team: every focus-review stage, and the meeting's papers, circulation
    // and minutes; not the meeting itself (the Children's Partnership Group's).
    const expected = await expectedEvents([HUBS, 'business-team']);
    expect(expected).toHaveLength(9);
    expect(asPairs(feed.events)).toEqual(expected);
    expect(feed.events.map((e) => e.summary)).not.toContain("Due: Children's Partnership Group meeting (#2 CPG, 28 September)");
    for (const e of feed.events) {
      expect(e.lines).toContain('X-MICROSOFT-CDO-ALLDAYEVENT:TRUE');
      const start = DateTime.fromFormat(e.start.split(':')[1]!, 'yyyyLLdd');
      expect(e.end).toBe(`DTEND;VALUE=DATE:${start.plus({ days: 1 }).toFormat('yyyyLLdd')}`);
    }
    // Spelled out: a deadline in British Summer Time and one in winter land on their own days.
    expect(feed.events.find((e) => e.summary.startsWith('Due: Month 1: initial scoping'))?.start).toBe('DTSTART;VALUE=DATE:20261007');
    expect(feed.events.find((e) => e.summary.startsWith('Due: Twelve-month impact analysis'))?.start).toBe('DTSTART;VALUE=DATE:20280207');
    expect(feed.events.find((e) => e.summary.startsWith("Due: Papers, including the focus review's recommendations"))?.start).toBe('DTSTART;VALUE=DATE:20260921');
  });

  it('holds no personal data: no names, emails or attendees', async () => {
    const { body } = await fetchFeed(url);
    for (const personal of ['Priya', 'Sandhu', 'Hannah', 'Gillian', '@example.org', 'ATTENDEE', 'ORGANIZER', 'mailto:']) expect(body).not.toContain(personal);
  });

  it('is live: a stage marked done drops out of the feed', async () => {
    const scoping = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'scoping' } });
    const answer = await priya.press('stage.done', { value: scoping.id });
    expect(JSON.stringify(answer.value)).toContain('Done by Priya Sandhu');
    const feed = await fetchFeed(url);
    expect(feed.events.some((e) => e.summary.includes('initial scoping'))).toBe(false);
    expect(asPairs(feed.events)).toEqual(await expectedEvents([HUBS, 'business-team']));
    expect(feed.events.some((e) => e.summary.includes('Month 2: single- and multi-agency audits'))).toBe(true); // now open
  });

  it("is the member's own: Elizabeth's feed has only her group's meeting", async () => {
    const feed = await fetchFeed(await calendarLink(elizabeth));
    expect(asPairs(feed.events)).toEqual([['DTSTART;VALUE=DATE:20260928', "Due: Children's Partnership Group meeting (#2 CPG, 28 September)"]]);
  });
});

describe('a group feed', () => {
  it('works for a member of the group: only stages the group owns', async () => {
    const reply = await priya.ask(`calendar group ${HUBS}`);
    expect(reply).toContain('Subscribe to Quality Learning and Improvement Hubs deadlines');
    const url = /http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(reply)![0];
    const feed = await fetchFeed(url);
    expect(feed.status).toBe(200);
    expect(feed.name).toBe('Warwickshire Safeguarding: Quality Learning and Improvement Hubs deadlines');
    expect(asPairs(feed.events)).toEqual(await expectedEvents([HUBS]));
    expect(feed.events.some((e) => e.summary.includes('impact analysis'))).toBe(false);
  });

  it('is refused for someone neither in the group nor an admin, and creates no feed', async () => {
    const before = await bot.db.calendarFeed.count();
    const reply = await sophie.ask(`calendar group ${HUBS}`);
    expect(reply).toContain('Only members of Quality Learning and Improvement Hubs can subscribe to its deadlines.');
    expect(reply).not.toContain('/calendar/');
    expect(await bot.db.calendarFeed.count()).toBe(before);
  });

  it('is allowed for an admin outside the group, and names the groups when the key is wrong', async () => {
    expect((await fetchFeed(await calendarLink(hannah, `calendar group ${HUBS}`))).status).toBe(200);
    expect(await sophie.ask('calendar group hubs')).toContain('There is no group "hubs". Your groups:');
  });
});

describe('links that do not work', () => {
  it('an unknown or malformed token is a 404 that gives nothing away', async () => {
    const real = tokenOf(await calendarLink(priya));
    const flipped = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    for (const path of [`${'A'.repeat(43)}.ics`, `${flipped}.ics`, 'short.ics', real, `${real}.ics.ics`, `${real}.txt`, `${real}%00.ics`, `${'x'.repeat(300)}.ics`]) {
      const res = await fetch(`${publicUrl}/calendar/${path}`);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('VCALENDAR');
      expect(body).not.toContain('Due:');
    }
  });
});

describe('tokens', () => {
  it('are long, random, and stored only as a hash', async () => {
    const first = await calendarLink(sophie);
    const second = await calendarLink(sophie);
    expect(first).not.toBe(second);
    for (const url of [first, second]) expect((await fetchFeed(url)).status).toBe(200);
    const tokens = [tokenOf(first), tokenOf(second)];
    const rows = await bot.db.calendarFeed.findMany();
    const stored = JSON.stringify(rows);
    const audit = JSON.stringify(await bot.db.auditEvent.findMany({ where: { action: { startsWith: 'calendar.' } } }), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(audit).toContain('calendar.feed.created');
    for (const token of tokens) {
      expect(stored).not.toContain(token);
      expect(audit).not.toContain(token);
      expect(rows.map((r) => r.tokenHash)).toContain(createHash('sha256').update(token).digest('hex'));
    }
  });
});

describe('calendar revoke', () => {
  it("switches off every link the member made, and only theirs; a new link works again", async () => {
    const mine = await calendarLink(priya);
    const group = await calendarLink(priya, `calendar group ${HUBS}`);
    const hannahs = await calendarLink(hannah);
    expect((await fetchFeed(mine)).status).toBe(200);

    const made = await bot.db.calendarFeed.count({ where: { revokedAt: null, createdById: (await bot.db.member.findFirstOrThrow({ where: { key: 'priya-sandhu' } })).id } });
    expect(await priya.ask('calendar revoke')).toContain(`Revoked ${made} calendar links. Calendars subscribed to them stop updating.`);
    for (const url of [mine, group]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(404);
    }
    expect((await fetchFeed(hannahs)).status).toBe(200);
    expect(await priya.ask('calendar revoke')).toContain('You have no calendar links to revoke.');
    expect((await fetchFeed(await calendarLink(priya))).status).toBe(200);
  });
});
