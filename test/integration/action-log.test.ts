import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, slackSigningSecret, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { visibleCardText } from '../support/card-text.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';
import type { RecordedSlackCall } from '../support/fake-slack-api.js';
import { blockActionsBody, postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { captureLog } from '../support/log-capture.js';
import { giveEveryMemberATeamsChat, TeamsUser } from '../support/teams-chat.js';

// Walsall's subgroup action logs (seed 003, 5.7: "challenges and actions recorded in the action log"): the chair adds
// an action with an owner and a due date, the owner is told and reminded, chased when late, the chair hears when it
// is 3 working days overdue, and marking it done stops everything. Teams (Walsall) and Slack (Swindon).
const zone = 'Europe/London';
const monday = DateTime.fromISO('2027-03-01T09:00', { zone }); // Monday 1 March 2027, 09:00 GMT
const at930 = (day: string) => DateTime.fromISO(`${day}T09:30`, { zone }).toUTC().toISO()!;
const PQA = 'Performance and Quality Assurance Subgroup';

async function drained(bot: BotHarness): Promise<void> {
  await outboxDrained(bot, 20_000);
}

async function advanceTo(bot: BotHarness, clock: ManualClock, iso: string): Promise<void> {
  clock.set(DateTime.fromISO(iso));
  await bot.runtime.reconcileNow();
  await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: clock.now().toJSDate() } } })) === 0, 10_000, `timers due by ${iso}`);
  await drained(bot);
}

/** The action's pending reminder timers: step key -> UTC instant. */
async function pendingTimers(bot: BotHarness, actionId: string): Promise<Record<string, string>> {
  const rows = await bot.db.timer.findMany({ where: { subjectId: actionId, status: 'pending' } });
  return Object.fromEntries(rows.map((r) => [r.key.slice(`action:${actionId}:`.length), r.dueAt.toISOString()]));
}

const actionId = async (bot: BotHarness, number: number) => (await bot.db.actionItem.findFirstOrThrow({ where: { number } })).id;

describe('a Walsall PQA action log in Teams', () => {
  const tenant = '7d77d8d7-300f-400f-9f23-ea9315316598';
  const clock = new ManualClock(monday.toUTC());
  let bot: BotHarness;
  const person = {
    stuart: '74d20147-f2af-4f8b-82bc-1629545df110', // chairs the PQA subgroup
    helen: '5d843799-5578-4fdc-bbe4-26189f1391fd', // its vice chair
    kirsty: 'cb6a168d-9981-4078-8e59-b99624db696b', // a member
    nicola: 'c4c5e558-ef07-4726-9b52-81a87bc908ef', // a member, neither chair nor admin
    sharon: '3dd76a25-64dc-457a-9ed8-c91a2c03a0f7', // business manager
  } as const;
  const user = (who: keyof typeof person) => new TeamsUser(bot, person[who], tenant, who);
  /** Everything the bot sent to someone's chat, as they read it. */
  const chat = (who: keyof typeof person) => bot.connector.sentActivities(user(who).conversationId).map((a) => visibleCardText(a));

  beforeAll(async () => {
    bot = await startBot({ partnership: 'walsall', clock, slack: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
    await giveEveryMemberATeamsChat(bot, tenant);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('the chair adds an action: the owner is told, with Mark done, and reminders before, on and after the due day are armed', async () => {
    const reply = await user('stuart').ask('actions add performance-quality-assurance "Re-audit strategy discussions (CR-12, CR-19)" helen-ashby 2027-03-10');
    expect(reply).toContain(`Added action #1 to the ${PQA} log: "Re-audit strategy discussions (CR-12, CR-19)", owner Helen Ashby, due Wed 10 Mar 2027. Helen Ashby has been told and will be reminded.`);

    const told = await eventually(() => bot.connector.sentActivities(user('helen').conversationId).find((a) => visibleCardText(a).includes('New action for you: #1')), 10_000, 'the owner is told');
    const card = told.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    expectValidAdaptiveCard(card);
    expect(visibleCardText(card)).toContain(`Stuart Pemberton added this to the ${PQA} action log, due Wed 10 Mar 2027.`);
    expect(JSON.stringify(card)).toContain('action-log.done');

    expect(await pendingTimers(bot, await actionId(bot, 1))).toMatchObject({
      'before:3@2027-03-10': at930('2027-03-05'),
      'due@2027-03-10': at930('2027-03-10'),
      'overdue:1@2027-03-10': at930('2027-03-11'),
      'overdue:3@2027-03-10': at930('2027-03-15'),
      'escalate-chair:3@2027-03-10': at930('2027-03-15'),
    });
  });

  it('refuses a member who does not chair the group, and each mistake, saying why and what was typed; nothing is added', async () => {
    expect(await user('nicola').ask('actions add performance-quality-assurance "Chase the dataset" kirsty-doyle 2027-03-10'))
      .toContain(`Only the chair of ${PQA}, the business manager or an admin can add to its action log. Nothing was added.`);
    const typo = await user('stuart').ask('actions add performance-quality-assurence "Chase the dataset" kirsty-doyle 2027-03-10');
    expect(typo).toContain('There is no group "performance-quality-assurence". Did you mean performance-quality-assurance?');
    expect(typo).toContain('Nothing was added. You typed: actions add performance-quality-assurence "Chase the dataset" kirsty-doyle 2027-03-10');
    expect(await user('stuart').ask('actions add performance-quality-assurance "Chase the dataset" kirsty 2027-03-10'))
      .toContain('I could not find "kirsty" in the partnership. Name the owner by their member key (e.g. helen-ashby), email or @mention.');
    expect(await user('stuart').ask('actions add performance-quality-assurance "Chase the dataset" kirsty-doyle 2027-03-13'))
      .toContain('Sat 13 Mar 2027 is not a working day: give Fri 12 Mar 2027 or Mon 15 Mar 2027.');
    expect(await user('stuart').ask('actions add performance-quality-assurance "Chase the dataset" kirsty-doyle 26/2/2027'))
      .toContain('Fri 26 Feb 2027 has passed; give today or a later date.');
    expect(await user('stuart').ask('actions add performance-quality-assurance "Chase the dataset" kirsty-doyle soon'))
      .toContain('"soon" is not a date. Write dates as 2027-03-05 or 5/3/2027.');
    expect(await user('stuart').ask('actions add performance-quality-assurance "Chase the dataset"'))
      .toContain('Usage: actions add <group> "<what>" <owner> <due date>');
    expect(await bot.db.actionItem.count()).toBe(1);
  });

  it("lists a group's open actions with owner and due date, soonest first, and each person's own", async () => {
    // The business manager may add to any group's log; an owner may be named by email too.
    expect(await user('sharon').ask('actions add performance-quality-assurance "Send the police narrative for Q3" kirsty.doyle@example.org 2027-03-03'))
      .toContain('Added action #2');
    const log = await user('nicola').ask('actions performance-quality-assurance');
    expect(log).toContain(`${PQA}: action log`);
    expect(log).toContain('2 open actions.');
    const second = log.indexOf('#2 Send the police narrative for Q3\nKirsty Doyle · due Wed 3 Mar 2027 (due in 2 working days)\nOpen');
    const first = log.indexOf('#1 Re-audit strategy discussions (CR-12, CR-19)\nHelen Ashby · due Wed 10 Mar 2027 (due in 7 working days)\nOpen');
    expect(second, log).toBeGreaterThan(-1);
    expect(first, log).toBeGreaterThan(second);

    const mine = await user('helen').ask('actions');
    expect(mine).toContain('Your actions');
    expect(mine).toContain(`#1 Re-audit strategy discussions (CR-12, CR-19)\n${PQA} · due Wed 10 Mar 2027 (due in 7 working days)\nOpen`);
    expect(mine).not.toContain('#2');
    expect(await user('nicola').ask('actions')).toContain('You have no open actions.');
    expect(await user('nicola').ask('actions pqa')).toContain('There is no group "pqa".');
  });

  it('actions done: the owner marks done and may undo; others are refused; the chair may close it; a second time changes nothing', async () => {
    const id = await actionId(bot, 2);
    const done = await user('kirsty').ask('actions done 2');
    expect(done).toContain('Done: action #2 "Send the police narrative for Q3". Its reminders have stopped.');
    expect(done).toContain('Undo');
    expect(await pendingTimers(bot, id)).toEqual({});

    const undone = await user('kirsty').press('action-log.undo', { value: id });
    expect(JSON.stringify(undone.value)).toContain('Undone: action #2 is open again and its reminders are back on.');
    expect(Object.keys(await pendingTimers(bot, id))).toContain('due@2027-03-03');

    expect(await user('nicola').ask('actions done 2'))
      .toContain(`Only the action's owner (Kirsty Doyle), the chair of ${PQA} or an admin can mark done action #2. Nothing was changed.`);
    expect(await user('stuart').ask('actions done #2')).toContain('Done: action #2');
    expect(await user('kirsty').ask('actions done 2')).toContain('Action #2 was already marked done.');
    expect(await user('kirsty').ask('actions done 9')).toContain('There is no action 9.');
    expect(await pendingTimers(bot, id)).toEqual({});
    expect((await bot.db.auditEvent.findMany({ where: { subjectId: id }, orderBy: { id: 'asc' } })).map((e) => e.action))
      .toEqual(['action-log.added', 'action-log.done', 'action-log.reopened', 'access.refused', 'action-log.done']);
  });

  it('reminds the owner before and on the due day, chases when overdue, marks it overdue in the log, and tells the chair at 3 working days', async () => {
    await advanceTo(bot, clock, '2027-03-05T09:30:00Z');
    expect(chat('helen').some((t) => t.includes('Action #1 is due in 3 working days'))).toBe(true);
    await advanceTo(bot, clock, '2027-03-10T09:30:00Z');
    expect(chat('helen').some((t) => t.includes('Action #1 is due today'))).toBe(true);
    await advanceTo(bot, clock, '2027-03-11T09:30:00Z');
    expect(chat('helen').some((t) => t.includes('Action #1 is 1 working day overdue'))).toBe(true);

    const log = await user('stuart').ask('actions performance-quality-assurance');
    expect(log).toContain('1 open action, 1 overdue.');
    expect(log).toContain('#1 Re-audit strategy discussions (CR-12, CR-19)\nHelen Ashby · due Wed 10 Mar 2027 (1 working day overdue)\nOverdue');
    expect(chat('stuart').some((t) => t.includes('Overdue action'))).toBe(false);

    await advanceTo(bot, clock, '2027-03-15T09:30:00Z');
    const escalation = chat('stuart').find((t) => t.includes(`Overdue action in ${PQA}: #1`));
    expect(escalation).toContain("Helen Ashby's action is 3 working days overdue (due Wed 10 Mar 2027). The owner has been reminded.");
    expect(chat('helen').some((t) => t.includes('Action #1 is 3 working days overdue'))).toBe(true);

    const sent = await bot.db.auditEvent.findMany({ where: { action: 'action-log.reminder.sent', subjectId: await actionId(bot, 1) }, orderBy: { id: 'asc' } });
    expect(sent.map((e) => (e.data as { reminder: string }).reminder).sort()).toEqual(
      ['before:3@2027-03-10', 'due@2027-03-10', 'escalate-chair:3@2027-03-10', 'overdue:1@2027-03-10', 'overdue:3@2027-03-10'],
    );
  });

  it('Mark done on a reminder card updates every copy (owner and chair) and stops the chasers', async () => {
    const id = await actionId(bot, 1);
    const answer = await user('helen').press('action-log.done', { value: id });
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(answer.value);
    expect(visibleCardText(answer.value)).toContain('Done by Helen Ashby, Mon 15 Mar, 09:30.');
    expect(await pendingTimers(bot, id)).toEqual({});

    await drained(bot);
    const copies = await bot.db.outboxMessage.findMany({ where: { subjectKey: `action:${id}`, operation: 'post', status: 'sent' } });
    expect(copies.length).toBeGreaterThanOrEqual(6); // new, before, due, 2 chasers to Helen; the escalation to Stuart
    for (const copy of copies) {
      const updates = bot.connector.requestsFor('updateActivity').filter((r) => r.activityId === copy.platformMessageId);
      expect(updates, `copy ${copy.platformMessageId}`).toHaveLength(1);
      expect(visibleCardText(updates[0]!.body)).toContain('Done by Helen Ashby');
    }

    const before = await bot.db.auditEvent.count({ where: { action: 'action-log.reminder.sent' } });
    await advanceTo(bot, clock, '2027-03-19T09:30:00Z');
    expect(await bot.db.auditEvent.count({ where: { action: 'action-log.reminder.sent' } })).toBe(before);
    expect(await user('stuart').ask('actions performance-quality-assurance')).toContain(`${PQA} has no open actions.`);
  });
});

describe('a Swindon action log in Slack', () => {
  const team = 'T0SWIND01';
  const megan = 'U0SWMLEWI'; // chairs Communication and Engagement
  const hannah = 'U0SWHCOLE'; // one of its members
  const clock = new ManualClock(monday.toUTC());
  const { lines, logger } = captureLog('trace');
  let bot: BotHarness;
  let trigger = 0;

  beforeAll(async () => {
    bot = await startBot({ partnership: 'swindon', clock, teams: false, logger, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function command(text: string, userId: string): Promise<string> {
    const id = `trigger-${Date.now()}-${++trigger}`;
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
    expect(res.status).toBe(200);
    const call: RecordedSlackCall = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
    return JSON.stringify(call.body);
  }
  const dmsTo = (userId: string) => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === userId).map((c) => JSON.stringify(c.body));

  it('the chair adds an action by slash command and the owner gets a DM with Mark done', async () => {
    const reply = await command('actions add communication-and-engagement "Publish the engagement plan" hannah-cole 2027-03-03', megan);
    expect(reply).toContain('Added action #1 to the Communication and Engagement log');
    expect(reply).toContain('owner Hannah Cole, due Wed 3 Mar 2027');
    await drained(bot);
    const dm = dmsTo(hannah).find((b) => b.includes('New action for you: #1'));
    expect(dm).toContain('"action_id":"action-log.done"');
  });

  it('a member who does not chair the group is refused, with what they typed (Slack keeps no failed command)', async () => {
    const reply = await command('actions add communication-and-engagement "Refresh the website" hannah-cole 2027-03-05', hannah);
    expect(reply).toContain('Only the chair of Communication and Engagement, the business manager or an admin can add to its action log. Nothing was added.');
    const typo = await command('actions add comms "Refresh the website" hannah-cole 2027-03-05', megan);
    expect(typo).toContain('Nothing was added. You typed: `actions add comms \\"Refresh the website\\" hannah-cole 2027-03-05`');
    expect(await bot.db.actionItem.count()).toBe(1);
    // A user's mistake, not the bot's: logged at info level by code, with nothing that was typed.
    expect(lines.filter((l) => l.includes('Refresh the website') || l.includes('comms'))).toEqual([]);
    const refusals = lines.map((l) => JSON.parse(l) as { level: number; code?: string; command?: string }).filter((l) => l.command === 'actions' && l.code !== undefined);
    expect(refusals.map((l) => [l.code, l.level])).toEqual([['forbidden', 30], ['invalid_input', 30]]);
  });

  it('chases the owner once overdue and shows it overdue in the log; Mark done from the DM updates it and stops the chasers', async () => {
    await advanceTo(bot, clock, '2027-03-04T09:30:00Z');
    expect(dmsTo(hannah).some((b) => b.includes('Action #1 is 1 working day overdue'))).toBe(true);
    const log = await command('actions communication-and-engagement', hannah);
    expect(log).toContain('1 open action, 1 overdue.');
    expect(log).toContain('Hannah Cole · due Wed 3 Mar 2027 (1 working day overdue)');
    expect(log).toContain('Overdue');

    const id = await actionId(bot, 1);
    const copies = await bot.db.outboxMessage.findMany({ where: { subjectKey: `action:${id}`, operation: 'post', status: 'sent' } });
    const triggerId = `trigger-${Date.now()}-${++trigger}`;
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, blockActionsBody({ userId: hannah, teamId: team, actions: [{ actionId: 'action-log.done', value: id }], triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) }), slackSigningSecret);
    expect(res.status).toBe(200);
    await eventually(async () => (await bot.db.actionItem.findUniqueOrThrow({ where: { id } })).status === 'done', 5000, 'action done');
    await drained(bot);
    for (const copy of copies) {
      const updates = bot.slackApi.callsTo('chat.update').filter((c) => c.body.ts === copy.platformMessageId);
      expect(updates.length, `copy ${copy.platformMessageId}`).toBeGreaterThan(0);
      expect(JSON.stringify(updates.at(-1)!.body)).toContain('Done by Hannah Cole');
    }
    expect(await pendingTimers(bot, id)).toEqual({});
    expect(await command('actions', hannah)).toContain('You have no open actions.');
  });
});
