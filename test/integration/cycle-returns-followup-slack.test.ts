import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { riversideSlackUsers, riversideStageName, useRiversideSlack } from '../support/riverside-slack.js';

// Per-agency returns in Slack, the loose ends: `tasks` lists an agency lead's awaited return beside their stage, and
// pausing, resuming and cancelling the cycle update every DM'd copy of the asks still awaited. (Slack DMs reach every
// member from the start, so there is nothing to catch up on.) No bank holidays fall in Feb 2027.
const slack = riversideSlackUsers;
const stageName = riversideStageName;
const riverside = useRiversideSlack();
const { returnOf } = riverside;
let bot: BotHarness;
beforeAll(() => {
  bot = riverside.bot;
});

const drained = async () => {
  await new Promise((r) => setTimeout(r, 300));
  await outboxDrained(bot, 20_000);
};
const command = async (text: string, userId: string) => JSON.stringify((await riverside.command(text, userId)).body);
const press = async (userId: string, actionId: string, value: string) => void (await riverside.press(userId, actionId, value));

/** The DM'd copies of an agency's return cards, each with the latest chat.update sent to it. */
async function copiesOf(returnId: string) {
  const rows = await bot.db.outboxMessage.findMany({ where: { subjectKey: `return:${returnId}`, operation: 'post', status: 'sent' } });
  return rows.map((r) => ({
    channel: (r.target as { channel: string }).channel,
    latest: () => JSON.stringify(bot.slackApi.callsTo('chat.update').filter((c) => c.body.ts === r.platformMessageId).at(-1)?.body ?? null),
  }));
}

describe('returns in `tasks`, in Slack', () => {
  it("lists a lead's agency return with how to send it, after their stage due the same day", async () => {
    expect(await command('cycle start quarterly-dataset "Dataset Q3 2026-27" 2027-02-01', slack.alex)).toContain('Started cycle #1');
    await drained();

    const reply = await command('tasks', slack.lena);
    expect(reply).toContain('1 stage and 1 return waiting for you');
    const stage = reply.indexOf(`"${stageName}  ·  *Open*`);
    const ret = reply.indexOf(`"${stageName}: your agency's return (Riverside Council)  ·  *Return needed*`);
    expect(stage, reply).toBeGreaterThan(-1);
    expect(ret, reply).toBeGreaterThan(stage);
    expect(reply).toContain('#1 Dataset Q3 2026-27 · due Mon 15 Feb 2027 (due in 10 working days) · send it with Submit return on its card, or Sent by secure email');

    const harrys = await command('tasks', slack.harry);
    expect(harrys).toContain('1 return waiting for you');
    expect(harrys).toContain("your agency's return (Riverside Health NHS Trust)");
    expect(await command('tasks', slack.pat)).toContain('Nothing is due for you right now.');
  }, 60_000);
});

describe("pausing, resuming and cancelling a cycle update the agencies' asks, in Slack", () => {
  it('says paused on every DM of an awaited ask with its buttons kept, the ask again on resuming, and a moved due date', async () => {
    const copies = await copiesOf((await returnOf('Riverside Police')).id);
    expect(copies.map((c) => c.channel)).toEqual([slack.paul]);

    expect(await command('cycle pause 1', slack.alex)).toContain('Paused cycle #1');
    await drained();
    expect(copies[0]!.latest()).toContain("Paused: Riverside Police's return for Quarterly dataset with narrative");
    expect(copies[0]!.latest()).toContain('Cycle paused: no reminders until it resumes. The return can still be sent.');
    expect(copies[0]!.latest()).toContain('"action_id":"return.submit"');

    await command('cycle resume 1', slack.alex);
    await drained();
    expect(copies[0]!.latest()).toContain("Resumed: Riverside Police's return for Quarterly dataset with narrative is due in 10 working days");
    expect(copies[0]!.latest()).toContain('"action_id":"return.secure-email"');

    expect(await command('cycle move 1 dataset 2027-02-17', slack.alex)).toContain('now due Wed 17 Feb 2027');
    await drained();
    expect(copies[0]!.latest()).toContain("Due date changed: Riverside Police's return for Quarterly dataset with narrative is now due Wed 17 Feb 2027");
    expect(copies[0]!.latest()).toContain('"action_id":"return.submit"');
  }, 60_000);

  it('says cancelled, without buttons, on every DM of the asks still awaited; a return already in keeps saying so', async () => {
    const council = await returnOf('Riverside Council');
    await press(slack.lena, 'return.secure-email', council.id);
    await eventually(async () => (await returnOf('Riverside Council')).status === 'returned', 5000, 'council returned');
    await drained();
    const councilCopies = await copiesOf(council.id);
    const councilBefore = councilCopies.map((c) => c.latest());
    expect(councilBefore[0]).toContain('Returned by secure email by Lena Lead');

    const awaited = [...(await copiesOf((await returnOf('Riverside Police')).id)), ...(await copiesOf((await returnOf('Riverside Health NHS Trust')).id))];
    expect(awaited.map((c) => c.channel).sort()).toEqual([slack.hana, slack.harry, slack.paul].sort());

    expect(await command('cycle cancel 1', slack.alex)).toContain('Yes, cancel the cycle');
    const cycle = await bot.db.cycle.findFirstOrThrow({ where: { number: 1 } });
    await press(slack.alex, 'cycle.cancel', cycle.id);
    await eventually(async () => (await bot.db.cycle.findUniqueOrThrow({ where: { id: cycle.id } })).status === 'cancelled', 5000, 'cancelled');
    await drained();
    for (const copy of awaited) {
      expect(copy.latest(), copy.channel).toContain('Cycle cancelled: no return needed');
      expect(copy.latest(), copy.channel).not.toContain('return.submit');
      expect(copy.latest(), copy.channel).not.toContain('return.secure-email');
    }
    expect(councilCopies.map((c) => c.latest())).toEqual(councilBefore);
    expect(await command('tasks', slack.paul)).toContain('Nothing is due for you right now.');
  }, 60_000);
});
