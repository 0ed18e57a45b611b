import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, slackSigningSecret, eventually, type BotHarness } from '../support/bot-harness.js';
import type { RecordedSlackCall } from '../support/fake-slack-api.js';
import { blockActionsBody, postSignedSlackRequest, signSlackRequest, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';

// "Ask for more time" and `requests` in Slack, on a Swindon Executive meeting cycle: the modal (the reminder card stays
// as it was) names the stage and its due date and lists British dates; once sent, Daniel is told who decides, a second
// send is refused kindly, and the chair finds the request with `requests` and approves it there.
const team = 'T0SWIND01';
const manager = 'U0DEMOUSER'; // Alex Demo: business manager and admin
const daniel = 'U0SWDHUGH'; // an Executive member, so an owner of its stages
const margaret = 'U0SWMOKAF'; // chairs the Executive
let bot: BotHarness;
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z'));
let trigger = 0;
let views = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock, teams: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
});
afterAll(async () => {
  await bot?.stop();
});

const nextTrigger = () => `trigger-${Date.now()}-${++trigger}`;
const post = (request: SlackRequest) =>
  fetch(`${bot.url}/slack/events`, { method: 'POST', body: request.body, headers: { 'content-type': request.contentType, ...signSlackRequest(request.body, slackSigningSecret) } });

async function command(text: string, userId: string): Promise<string> {
  const id = nextTrigger();
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  expect(res.status).toBe(200);
  return JSON.stringify((await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 })).body);
}

async function press(userId: string, actionId: string, value: string, ephemeral = false): Promise<string> {
  const triggerId = nextTrigger();
  await post(blockActionsBody({ userId, teamId: team, actions: [{ actionId, value }], triggerId, responseUrl: bot.slackApi.responseUrl(triggerId), ephemeral }));
  return triggerId;
}

function submitMoreTime(stageId: string, date: string) {
  views += 1;
  return post(viewSubmissionBody({
    userId: daniel,
    teamId: team,
    viewId: `V0ASKMORE${views}`,
    callbackId: 'stage.more-time',
    privateMetadata: stageId,
    values: {
      proposedDueOn: { proposedDueOn: { type: 'static_select', selected_option: { value: date } } },
      reason: { reason: { type: 'plain_text_input', value: 'The police performance report is late' } },
    },
  }));
}

const dmsTo = (channel: string, containing: string): RecordedSlackCall[] =>
  bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === channel && JSON.stringify(c.body).includes(containing));

/** en-GB short month as this platform's ICU writes it ("Sep" or "Sept"). */
const sep = DateTime.fromISO('2026-09-14').setLocale('en-GB').toFormat('LLL');

describe('ask for more time and `requests` in Slack', () => {
  let agendaId: string;

  it('opens a modal naming the stage and its due date, with British dates and its own Cancel', async () => {
    await command('cycle start executive-meeting "Executive, October 2026" 2026-10-05', manager);
    const cycle = await eventually(async () => (await bot.db.cycle.findFirst({ include: { stages: { orderBy: { seq: 'asc' } } } })) ?? undefined, 5000, 'cycle');
    agendaId = cycle.stages[0]!.id;

    const triggerId = await press(daniel, 'stage.more-time', agendaId);
    const open = await bot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === triggerId, { timeoutMs: 10_000 });
    const view = open.body.view as { close: { text: string }; blocks: { block_id?: string; element?: { type: string; options?: { text: { text: string }; value: string }[] } }[] };
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('Agenda items to the business support team');
    expect(shown).toContain(`is due *Mon 14 ${sep} 2026*`);
    const dates = view.blocks.find((b) => b.block_id === 'proposedDueOn')!.element!;
    expect(dates.type).toBe('static_select');
    expect(dates.options![0]).toEqual({ text: expect.objectContaining({ text: `Tue 15 ${sep} 2026` }), value: '2026-09-15' });
    expect(dates.options!.map((o) => o.value)).not.toContain('2026-09-19'); // a Saturday is not offered
    expect(view.close.text).toBe('Cancel');
    expect(shown).not.toContain('"Cancel"'); // Slack's own Cancel is enough: no second one inside the modal
  });

  it('sends the request, says who decides, and refuses a second send kindly', async () => {
    const sent = await submitMoreTime(agendaId, '2026-09-16');
    expect(sent.status).toBe(200);
    expect(await sent.text()).toBe('');
    const told = await eventually(() => dmsTo(daniel, 'Request sent: move')[0], 10_000, 'daniel told');
    expect(JSON.stringify(told.body)).toContain(`from Mon 14 ${sep} 2026 to Wed 16 ${sep} 2026. Sent to Margaret Okafor (chair of Swindon Safeguarding Executive) to decide.`);

    await submitMoreTime(agendaId, '2026-09-17');
    // Daniel is the one who asked: he is told so in the second person.
    const refused = await eventually(() => dmsTo(daniel, 'You have already asked for more time')[0], 10_000, 'second send refused');
    expect(JSON.stringify(refused.body)).toContain('Nothing new was sent.');
    expect(await bot.db.extensionRequest.count()).toBe(1);
  });

  it('the chair finds the request with `requests` and approves it there; others have nothing to decide', async () => {
    expect(await command('requests', daniel)).toContain('Nothing to decide');
    const listed = await command('requests', margaret);
    expect(listed).toContain('Requests for more time');
    expect(listed).toContain('Agenda items to the business support team');
    expect(listed).toContain(`Wed 16 ${sep} 2026`);
    expect(listed).toContain('extension.list.approve');
    expect(listed).toContain('extension.list.decline');

    // Approve pressed on the list: the list message itself is replaced, showing the outcome and no buttons.
    const approve = (JSON.parse(listed) as { blocks: { type: string; elements?: { action_id: string; value: string }[] }[] }).blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id.startsWith('extension.list.approve'))!;
    const triggerId = await press(margaret, 'extension.list.approve', approve.value, true); // on the slash command's (ephemeral) answer
    const replaced = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(triggerId) && (c.body as { replace_original?: boolean }).replace_original === true, { timeoutMs: 10_000 });
    const list = JSON.stringify(replaced.body);
    expect(list).toContain('Requests for more time');
    expect(list).toMatch(/Approved by Margaret Okafor, .+\. Now due Wed 16 Sept? 2026\./);
    expect(list).toContain('Nothing left to decide on this list.');
    expect(list).not.toContain('waiting for your decision');
    expect(list).not.toContain('"type":"button"');
    const told = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(triggerId) && (c.body as { replace_original?: boolean }).replace_original === false, { timeoutMs: 10_000 });
    expect(JSON.stringify(told.body)).toContain('Approved: \\"Agenda items to the business support team\\" has its new due date, and its reminders now count down to the new date.');
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: agendaId } })).dueOn).toBe('2026-09-16');
    expect(await command('requests', margaret)).toContain('Nothing to decide');
  });

  it('on an overdue stage, the modal offers dates from tomorrow, never ones already past', async () => {
    clock.set(DateTime.fromISO('2026-09-21T08:00:00Z')); // Mon 21 Sep: the agenda was due Wed 16 Sep
    const triggerId = await press(daniel, 'stage.more-time', agendaId);
    const open = await bot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === triggerId, { timeoutMs: 10_000 });
    const view = open.body.view as { blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] };
    const dates = view.blocks.find((b) => b.block_id === 'proposedDueOn')!.element!.options!.map((o) => o.value);
    expect(dates[0]).toBe('2026-09-22');
    expect(dates.filter((d) => d <= '2026-09-21')).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain(`A working day after today (Wed 16 ${sep} 2026 has passed).`);
  });
});
