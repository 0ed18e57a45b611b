import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { DemoClock } from '../../src/demo/demo-clock.js';
import { seedDemoStory } from '../../src/demo/seed.js';
import { seedDemoReviews } from '../../src/demo/seed-reviews.js';
import { seedDemoSection11 } from '../../src/demo/seed-s11.js';
import { startBot, slackSigningSecret, eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { teamsConversationUpdate, teamsInstallUpdate, teamsMessage, type TeamsInboundActivity } from '../support/teams-activities.js';

// A member who opens a chat with the bot is greeted there and sent again what is waiting for them: a new chat, or the
// Agents Playground's one chat, reopened empty on every page reload. One opening never gets the greeting or a waiting
// card twice. Slack has no such thing: it gets neither.
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const alexAad = '00000000-0000-0000-0000-0000000000d0'; // Alex Demo, the Playground's user, a PQA member
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' });
const clock = new ManualClock(at('2027-03-01T09:00'));

async function withDemoStory(bot: BotHarness): Promise<void> {
  const alex = await bot.db.member.findFirstOrThrow({ where: { key: 'demo-user' } });
  const demoClock = { now: () => clock.now() } as unknown as DemoClock;
  await seedDemoStory(bot.runtime.services, { partnershipId: alex.partnershipId, homeMemberId: alex.id, clock: demoClock });
  await seedDemoReviews(bot.runtime.services, { partnershipId: alex.partnershipId, homeMemberId: alex.id, clock: demoClock });
  await seedDemoSection11(bot.runtime.services, { partnershipId: alex.partnershipId, homeMemberId: alex.id, clock: demoClock });
  await outboxDrained(bot, 10_000);
}

const from = (bot: BotHarness, conversationId: string) => ({
  serviceUrl: bot.connector.serviceUrl,
  conversationId,
  tenantId: tenant,
  fromAadObjectId: alexAad,
  fromName: 'Alex Demo',
  fromId: '29:1alex-demo',
});

// What the Agents Playground (0.2.28, as `npm run demo` configures it) sends on every page load, first or reload: an
// installationUpdate (add) and, a few ms later, a conversationUpdate adding Alex and the bot, both into the SAME
// personal conversation (its id is fixed by the config), with Alex's aadObjectId and the tenant. The screen is empty.
const playgroundChat = 'partnership-bot-demo-personal-chat';
function playgroundLoad(bot: BotHarness, at: DateTime): TeamsInboundActivity[] {
  const { fromName: _name, ...user } = { ...from(bot, playgroundChat), fromId: 'user-id-0' };
  const [install, update] = teamsInstallUpdate(user);
  const time = (ms: number) => ({ timestamp: at.plus({ milliseconds: ms }).toUTC().toISO()!, localTimestamp: at.plus({ milliseconds: ms }).toISO()! });
  return [
    { ...install, ...time(0) },
    { ...update, ...time(56), membersAdded: [{ id: 'user-id-0', aadObjectId: alexAad }, { id: update.recipient.id }] },
  ];
}

async function post(bot: BotHarness, activity: TeamsInboundActivity): Promise<void> {
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  expect(res.status).toBeLessThan(300);
}

async function settled(bot: BotHarness): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  await outboxDrained(bot, 10_000);
}

/** What landed in one chat, as its person reads it: greetings, waiting cards, answers. */
function chat(bot: BotHarness, conversationId: string) {
  const texts = () => bot.connector.sentActivities(conversationId).map((a) => visibleCardText(a));
  return {
    greetings: () => texts().filter((t) => t.includes('Hello from Partnership Bot')).length,
    waiting: () => texts().filter((t) => /^(Waiting for you|Overdue): /m.test(t)).sort(),
    answers: (text: string) => texts().filter((t) => t.includes(text)).length,
  };
}

describe('in the Agents Playground', () => {
  let bot: BotHarness;
  let waitingForAlex: string[];
  const load = at('2027-03-01T09:00');
  const playground = () => chat(bot, playgroundChat);
  const quickReload = load.plus({ minutes: 3, seconds: 2, milliseconds: 500 });

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, slack: false });
    await withDemoStory(bot);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function open(when: DateTime): Promise<void> {
    for (const activity of playgroundLoad(bot, when)) await post(bot, activity);
    await settled(bot);
  }

  it('greets Alex on the first load and sends what is waiting, once', async () => {
    await open(load);
    waitingForAlex = playground().waiting();
    expect(waitingForAlex.some((t) => t.startsWith('Overdue: '))).toBe(true); // the seeded story: stage 1 overdue
    // The seeded rapid review: Alex is in the Practice Review Group and has not acknowledged it, and leads the
    // council's chronology, not yet confirmed. The group's card carries the summary; the chronology card does not.
    const review = waitingForAlex.find((t) => t.includes('Waiting for you: review #1, case SW-RR-2031.'));
    expect(review).toContain('A child known to early help was seriously injured at home.');
    expect(review).toContain('Acknowledge');
    const chronology = waitingForAlex.find((t) => t.includes("Waiting for you: please send Swindon Borough Council's chronology or summary for case SW-RR-2031"));
    expect(chronology).toContain('Confirm sent');
    expect(chronology).not.toContain('early help');
    // The Section 11 round: Alex leads the council, whose return is a draft.
    const s11 = waitingForAlex.find((t) => t.includes("Waiting for you: Swindon Borough Council's return for Section 11 audit"));
    expect(s11).toContain('Draft');
    expect(s11).toContain('Open return');
    expect(playground().greetings()).toBe(1);
    await post(bot, teamsMessage({ ...from(bot, playgroundChat), fromId: 'user-id-0', text: 'help' }));
    await eventually(() => playground().answers('Partnership Bot: what I can do') === 1, 10_000, 'the help answer');
    await settled(bot);
    expect(playground().greetings()).toBe(1);
    expect(playground().waiting()).toEqual(waitingForAlex);
  });

  it('greets Alex again after a reload and sends every waiting card again, into the same conversation', async () => {
    await open(load.plus({ minutes: 2 }));
    expect(playground().greetings()).toBe(2);
    expect(playground().waiting()).toEqual([...waitingForAlex, ...waitingForAlex].sort());
  });

  it('does it on each of two reloads in a row, 2.5 s apart (a quick browser reload), with nothing typed in between', async () => {
    await open(load.plus({ minutes: 3 }));
    await open(quickReload);
    expect(playground().greetings()).toBe(4);
    expect(playground().waiting()).toEqual(Array.from({ length: 4 }, () => waitingForAlex).flat().sort());
  });

  it('sends nothing more for messages, or for the Playground retrying an event it already sent', async () => {
    await post(bot, teamsMessage({ ...from(bot, playgroundChat), fromId: 'user-id-0', text: 'whoami' }));
    await eventually(() => playground().answers('Alex Demo') > 0, 10_000, 'the whoami answer');
    const [install, update] = playgroundLoad(bot, quickReload);
    await post(bot, { ...install!, id: 'retried-install' });
    await post(bot, { ...update!, id: 'retried-update', timestamp: DateTime.fromISO(update!.timestamp).plus({ seconds: 1 }).toUTC().toISO()! });
    await settled(bot);
    expect(playground().greetings()).toBe(4);
    expect(playground().waiting()).toHaveLength(4 * waitingForAlex.length);
  });
});

describe('in Teams', () => {
  let bot: BotHarness;
  let waitingForAlex: string[];
  const first = 'a:first-chat';
  const second = 'a:another-chat';
  const third = 'a:third-chat';

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, slack: false });
    await withDemoStory(bot);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('greets Alex on install and sends what was waiting, once', async () => {
    for (const activity of teamsInstallUpdate(from(bot, first))) await post(bot, activity);
    await settled(bot);
    await post(bot, teamsMessage({ ...from(bot, first), text: 'help' }));
    await eventually(() => chat(bot, first).answers('Partnership Bot: what I can do') === 1, 10_000, 'the help answer');
    await settled(bot);
    waitingForAlex = chat(bot, first).waiting();
    expect(waitingForAlex.length).toBeGreaterThan(0);
    expect(chat(bot, first).greetings()).toBe(1);
  });

  it('greets Alex in a new chat that starts with a message (no install event) and sends what is waiting there too', async () => {
    await post(bot, teamsMessage({ ...from(bot, second), text: 'whoami' }));
    await eventually(() => chat(bot, second).answers('Alex Demo') > 0, 10_000, 'the whoami answer');
    await settled(bot);
    expect(chat(bot, second).greetings()).toBe(1);
    expect(chat(bot, second).waiting()).toEqual(waitingForAlex);
    await post(bot, teamsMessage({ ...from(bot, second), text: 'help' }));
    await post(bot, teamsMessage({ ...from(bot, first), text: 'whoami' }));
    await eventually(() => chat(bot, first).answers('Alex Demo') > 0, 10_000, 'the whoami answer');
    await settled(bot);
    for (const conversation of [first, second]) {
      expect(chat(bot, conversation).greetings()).toBe(1);
      expect(chat(bot, conversation).waiting()).toEqual(waitingForAlex);
    }
  });

  it('does the same when the new chat starts with only the bot being added', async () => {
    await post(bot, teamsConversationUpdate(from(bot, third)));
    await settled(bot);
    expect(chat(bot, third).greetings()).toBe(1);
    expect(chat(bot, third).waiting()).toEqual(waitingForAlex);
  });
});

describe('in Slack', () => {
  let bot: BotHarness;
  let trigger = 0;

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, env: { DELIVERY_RATE_PER_SECOND: '500' } });
    await withDemoStory(bot);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  const dms = () => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === 'U0DEMOUSER').map((c) => JSON.stringify(c.body));

  it('sends no greeting and nothing twice, however often Alex types a command', async () => {
    const before = dms();
    expect(before.some((t) => t.includes('Now open'))).toBe(true); // the story's reminders reached Alex's DM
    for (const text of ['help', 'whoami', 'tasks']) {
      const id = `trigger-${++trigger}`;
      const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
      expect(res.status).toBe(200);
      await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
    }
    await settled(bot);
    expect(dms()).toEqual(before);
  });

  it('does not copy the waiting cards into the Slack DM again when Alex also opens a Teams chat', async () => {
    const before = dms();
    await post(bot, teamsMessage({ ...from(bot, 'a:teams-first'), text: 'help' }));
    await post(bot, teamsMessage({ ...from(bot, 'a:teams-second'), text: 'help' }));
    await settled(bot);
    expect(dms()).toEqual(before);
    expect(chat(bot, 'a:teams-second').greetings()).toBe(1);
  });
});
