import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DEMO_UNREACHABLE_NOTE } from '../../src/demo/demo-runtime.js';
import { notifyMembers, type MemberNotice } from '../../src/messaging/recipients.js';
import { transact } from '../../src/store/unit-of-work.js';
import { startBot, eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { TeamsUser } from '../support/teams-chat.js';

// Members the bot cannot reach are reported to Swindon's business managers once a day, from 10:00, in one card
// saying who, why and how to fix it; never after each message, and not at all on a day nothing was missed.
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const alexAad = '00000000-0000-0000-0000-0000000000d0'; // Alex Demo: business manager and admin
const rachelAad = '8108105a-1981-43ce-bbdc-73e877fb8cf8'; // Rachel Whitmore: business manager and admin
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' });

async function memberId(bot: BotHarness, key: string): Promise<string> {
  return (await bot.db.member.findFirstOrThrow({ where: { key }, select: { id: true } })).id;
}

/** A message to some members, as a feature sends one (a reminder to a group). */
async function send(bot: BotHarness, keys: string[], about: string, batch: string): Promise<void> {
  const notices: MemberNotice[] = [];
  for (const key of keys) {
    const id = await memberId(bot, key);
    const { partnershipId } = await bot.db.member.findUniqueOrThrow({ where: { id } });
    notices.push({ memberId: id, partnershipId, key: `${batch}:${key}`, about, message: { text: `Reminder: ${about}`, sections: [{ kind: 'text', text: `Reminder: ${about}` }] } });
  }
  const ids = await transact(bot.db, (tx) => notifyMembers(tx, notices, bot.runtime.services.platforms));
  await bot.runtime.services.deliveryJobs.push(ids);
}

/** One run of the maintenance job, as the worker runs it every few minutes. */
async function maintenanceRun(bot: BotHarness): Promise<void> {
  const job = await bot.runtime.services.queues.maintenance.add('reconcile', {});
  await eventually(async () => ['completed', 'failed'].includes(await job.getState()), 15_000, 'maintenance run');
}

async function delivered(bot: BotHarness): Promise<void> {
  await outboxDrained(bot, 10_000);
}

describe('in Teams', () => {
  const clock = new ManualClock(at('2027-03-01T09:00'));
  let bot: BotHarness;
  let alex: TeamsUser;
  let rachel: TeamsUser;
  const digestsIn = (user: TeamsUser) => bot.connector.sentActivities(user.conversationId).map((a) => visibleCardText(a)).filter((t) => t.includes('could not be reached'));

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, slack: false, unreachableNote: DEMO_UNREACHABLE_NOTE });
    alex = new TeamsUser(bot, alexAad, tenant, 'Alex Demo');
    rachel = new TeamsUser(bot, rachelAad, tenant, 'Rachel Whitmore');
    await alex.ask('help');
    await rachel.ask('help');
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('says nothing after each message that could not be delivered', async () => {
    clock.set(at('2027-03-01T09:30'));
    await send(bot, ['lorraine-webb', 'tom-ashdown', 'demo-user'], 'the reminder for stage "Papers deadline"', 'test:papers');
    await send(bot, ['lorraine-webb'], 'the reminder for stage "Agenda"', 'test:agenda');
    await delivered(bot);
    clock.set(at('2027-03-01T09:55'));
    await maintenanceRun(bot);
    await delivered(bot);
    expect(digestsIn(alex)).toEqual([]);
    expect(digestsIn(rachel)).toEqual([]);
    // Each miss is on record as it happens.
    expect(await bot.db.auditEvent.count({ where: { action: 'delivery.unreachable' } })).toBe(3);
  });

  it('sends each business manager one digest from 10:00: who, why, what they missed, how to fix it', async () => {
    clock.set(at('2027-03-01T10:00'));
    await maintenanceRun(bot);
    await eventually(() => digestsIn(alex).length > 0 && digestsIn(rachel).length > 0, 10_000, 'the digests');
    const [digest] = digestsIn(alex);
    expect(digest).toContain('2 members could not be reached');
    expect(digest).toContain('Dr Lorraine Webb: has not installed Partnership Bot in Teams (or never opened a chat with it)');
    expect(digest).toContain('Missed the reminder for stage "Papers deadline"; the reminder for stage "Agenda"');
    expect(digest).toContain('Tom Ashdown: has not installed Partnership Bot in Teams');
    expect(digest).toContain('To fix: ask them to open Partnership Bot in Teams once');
    expect(digest).not.toContain('Alex Demo'); // reached, so not listed
    expect(digest).toContain('everyone but you is a simulated person: the Playground connects only you');
    expect(digestsIn(rachel)).toHaveLength(1);
  });

  it('sends at most one a day, and the next day only what was missed since', async () => {
    clock.set(at('2027-03-01T11:00'));
    await send(bot, ['tom-ashdown'], 'the reminder for stage "Circulate"', 'test:circulate');
    clock.set(at('2027-03-01T16:00'));
    await maintenanceRun(bot);
    await delivered(bot);
    expect(digestsIn(alex)).toHaveLength(1);

    clock.set(at('2027-03-02T10:05'));
    await maintenanceRun(bot);
    await eventually(() => digestsIn(alex).length === 2, 10_000, "Tuesday's digest");
    const tuesday = digestsIn(alex)[1]!;
    expect(tuesday).toContain('A member could not be reached');
    expect(tuesday).toContain('Tom Ashdown');
    expect(tuesday).toContain('the reminder for stage "Circulate"');
    expect(tuesday).not.toContain('Lorraine');
  });

  it('sends nothing on a day nothing was missed, nor for someone who has since opened a chat', async () => {
    clock.set(at('2027-03-03T10:00'));
    await maintenanceRun(bot);
    clock.set(at('2027-03-03T12:00'));
    await send(bot, ['lorraine-webb'], 'the reminder for stage "Meeting"', 'test:meeting');
    await new TeamsUser(bot, 'ef9671ba-1eb9-4ec2-aa93-de839ccf1a71', tenant, 'Dr Lorraine Webb').ask('help');
    clock.set(at('2027-03-04T10:00'));
    await maintenanceRun(bot);
    await delivered(bot);
    expect(digestsIn(alex)).toHaveLength(2);
    expect(digestsIn(rachel)).toHaveLength(2);
  });
});

describe('in Slack', () => {
  const clock = new ManualClock(at('2027-03-01T09:30'));
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, teams: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('names members with no Slack user id once, in a direct message to each business manager', async () => {
    await send(bot, ['lorraine-webb', 'tom-ashdown'], 'the reminder for stage "Papers deadline"', 'test:papers');
    await send(bot, ['lorraine-webb'], 'the reminder for stage "Agenda"', 'test:agenda');
    await delivered(bot);
    const digests = () => bot.slackApi.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('could not be reached'));
    expect(digests()).toEqual([]);

    clock.set(at('2027-03-01T10:00'));
    await maintenanceRun(bot);
    await maintenanceRun(bot);
    await delivered(bot);
    expect(digests().map((c) => c.body.channel).sort()).toEqual(['U0DEMOUSER', 'U0SWRWHIT']);
    const shown = JSON.stringify(digests()[0]!.body.blocks);
    expect(shown).toContain('A member could not be reached');
    expect(shown).toContain('*Dr Lorraine Webb*: has no Slack user id (U…) in the partnership file');
    expect(shown).toContain('To fix: add their Slack user id (U…) to their entry in the partnership file and import it again.');
    expect(shown).toContain('the reminder for stage \\"Papers deadline\\"; the reminder for stage \\"Agenda\\"');
    expect(shown).not.toContain('Tom Ashdown'); // reached in Slack
  });
});
