import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { slackSigningSecret, eventually, type BotHarness, outboxDrained, fireTimersUntil as fireTimersUntilIn } from '../support/bot-harness.js';
import { riversideSlackUsers, riversideStageName, riversideTeam, useRiversideSlack } from '../support/riverside-slack.js';
import { postSignedSlackRequest, slackViewStateValues, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';

// Per-agency returns inside a stage, in Slack: the asks arrive as DMs to each agency's leads, the return form is a modal
// whose identifying-details error comes back beside the field, the police's return is escalated to its partner lead
// (it has no signatory), and when the last agency ticks "sent by secure email" the stage is done and the next opens.
const team = riversideTeam;
const slack = riversideSlackUsers;
const stageName = riversideStageName;
const riverside = useRiversideSlack();
const { clock, command, press, returnOf } = riverside;
let bot: BotHarness;
beforeAll(() => {
  bot = riverside.bot;
});

const post = (request: SlackRequest) => postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
const drained = () => outboxDrained(bot, 20_000);
const dmsTo = (userId: string, containing: string) => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === userId && JSON.stringify(c.body).includes(containing));

const fireTimersUntil = (until: string) => fireTimersUntilIn(bot, clock, until);

let views = 0;

describe('a quarterly dataset with per-agency returns, in Slack', () => {
  it("sends each agency's ask to its own leads by DM, with Submit return and Sent by secure email buttons", async () => {
    const reply = await command('cycle start quarterly-dataset "Dataset Q3 2026-27" 2027-02-01', slack.alex);
    expect(JSON.stringify(reply.body)).toContain('Started cycle #1');
    await drained();
    for (const [who, agency] of [[slack.lena, 'Riverside Council'], [slack.paul, 'Riverside Police'], [slack.hana, 'Riverside Health NHS Trust'], [slack.harry, 'Riverside Health NHS Trust']] as const) {
      const asks = dmsTo(who, 'Return needed:');
      expect(asks, who).toHaveLength(1);
      const body = JSON.stringify(asks[0]!.body);
      expect(body).toContain(`Return needed: ${stageName} from ${agency}`);
      expect(body).toContain('"action_id":"return.submit"');
      expect(body).toContain('"action_id":"return.secure-email"');
      expect(body).toContain('Sent by secure email');
    }
    expect(dmsTo(slack.pat, 'Return needed:')).toHaveLength(0);
  }, 60_000);

  it('opens the return form as a modal; a phone number in the narrative is answered beside the field; a clean one is recorded', async () => {
    const council = await returnOf('Riverside Council');
    clock.set(DateTime.fromISO('2027-02-02T10:00:00Z'));
    const triggerId = await press(slack.lena, 'return.submit', council.id);
    const open = await bot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === triggerId, { timeoutMs: 10_000 });
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { type: string } }[] };
    expect(view.callback_id).toBe('return.submit');
    expect(view.blocks.find((b) => b.block_id === 'figure-referrals')?.element?.type).toBe('number_input');
    expect(view.blocks.find((b) => b.block_id === 'narrative')?.element?.type).toBe('plain_text_input');

    const submit = (narrative: string) => {
      views += 1;
      return post(viewSubmissionBody({
        userId: slack.lena, teamId: team, viewId: `V0RETURN${views}`, callbackId: 'return.submit', privateMetadata: view.private_metadata,
        values: slackViewStateValues(view, { 'figure-referrals': '42', 'figure-open-cases': '17', narrative }),
      }));
    };
    const phone = await submit('Numbers rose; ring 07700 900123 for the detail.');
    // Flagged text comes back as the modal drawn again, with a tick box for a false positive (errors alone cannot add it).
    const flagged = (await phone.json()) as { response_action: string; view: { blocks: { block_id?: string }[] } };
    expect(flagged.response_action).toBe('update');
    expect(JSON.stringify(flagged.view)).toContain('This looks like it contains a phone number. Use case references only: take it out and send again. Case details belong in the case system, not in chat.');
    expect(flagged.view.blocks.some((b) => b.block_id === 'confirmNotIdentifying')).toBe(true);
    expect((await returnOf('Riverside Council')).status).toBe('awaited');

    const good = await submit('Numbers rose after the schools campaign; Child A was stepped down.');
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('');
    await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === slack.lena && JSON.stringify(c.body).includes("Thank you: Riverside Council's return"), { timeoutMs: 10_000 });
    expect(await returnOf('Riverside Council')).toMatchObject({ status: 'returned', method: 'form', figures: { referrals: 42, 'open-cases': 17 } });
  }, 60_000);

  it("escalates the police's overdue return to its partner lead, who stands in for a board representative", async () => {
    const health = await returnOf('Riverside Health NHS Trust');
    await press(slack.hana, 'return.secure-email', health.id);
    await eventually(async () => (await returnOf('Riverside Health NHS Trust')).status === 'returned', 5000, 'health returned');

    await fireTimersUntil('2027-02-17T09:30:00Z');
    await drained();
    const about = `Riverside Police's return for ${stageName}`;
    expect(dmsTo(slack.paul, `Overdue: ${about}`)).toHaveLength(1);
    expect(dmsTo(slack.pat, `Escalation: ${about} is 2 working days overdue`)).toHaveLength(1);
    // Health returned: its leads hear nothing more, and the stage as a whole is chased per agency, not to every PQA member.
    expect(dmsTo(slack.hana, 'Overdue:')).toHaveLength(0);
    expect(dmsTo(slack.lena, 'Overdue:')).toHaveLength(0);
    expect(dmsTo(slack.chloe, `Escalation to the stage owner: ${about}`)).toHaveLength(0);
  }, 120_000);

  it('completes the stage when the last agency returns, updates every copy of its cards, and opens the next stage', async () => {
    const police = await returnOf('Riverside Police');
    const stage = await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'dataset' } });
    const copies = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${stage.id}`, operation: 'post', status: 'sent' } });
    clock.set(DateTime.fromISO('2027-02-17T11:00:00Z'));
    await press(slack.paul, 'return.secure-email', police.id);
    await eventually(async () => (await bot.db.cycleStage.findUniqueOrThrow({ where: { id: stage.id } })).status === 'done', 5000, 'stage done');
    expect((await bot.db.cycleStage.findFirstOrThrow({ where: { key: 'review' } })).status).toBe('open');
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.done', subjectId: stage.id } })).toBe(1);
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.returns.missing' } })).toBe(0);
    expect(await bot.db.timer.count({ where: { subjectId: { in: (await bot.db.stageReturn.findMany()).map((r) => r.id) }, status: 'pending' } })).toBe(0);

    await drained();
    for (const copy of copies) {
      const updates = bot.slackApi.callsTo('chat.update').filter((c) => c.body.ts === copy.platformMessageId);
      expect(JSON.stringify(updates.at(-1)?.body), `copy ${copy.platformChannelId}`).toContain('Done by Paul Lead');
    }
    expect(dmsTo(slack.lena, 'Now open: PQA review of the dataset')).toHaveLength(1);
  }, 60_000);

  it('holds the asks of a stage opened on a Friday evening until 09:30 on the next working day', async () => {
    clock.set(DateTime.fromISO('2027-03-05T19:00:00Z')); // Friday 19:00 GMT
    const reply = await command('cycle start quarterly-dataset "Dataset Q4 2026-27" 2027-03-05', slack.alex);
    expect(JSON.stringify(reply.body)).toContain('Started cycle #2');
    const cycle = await bot.db.cycle.findFirstOrThrow({ where: { number: 2 }, include: { stages: true } });
    const stage = cycle.stages.find((s) => s.key === 'dataset')!;
    expect(stage.status).toBe('open');
    const asks = await bot.db.timer.findMany({ where: { key: { contains: ':opened@' }, subjectId: { in: (await bot.db.stageReturn.findMany({ where: { stageId: stage.id } })).map((r) => r.id) } } });
    expect(asks.map((t) => [t.status, t.dueAt.toISOString()])).toEqual([0, 1, 2].map(() => ['pending', '2027-03-08T09:30:00.000Z']));
    await drained();
    expect(dmsTo(slack.lena, 'Return needed:')).toHaveLength(1); // only cycle #1's so far

    await fireTimersUntil('2027-03-08T09:30:00Z');
    await drained();
    for (const who of [slack.lena, slack.paul, slack.hana, slack.harry]) expect(dmsTo(who, 'Return needed:'), who).toHaveLength(2);
  }, 60_000);
});
