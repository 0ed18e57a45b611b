import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, slackSigningSecret, eventually, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import type { RecordedSlackCall } from '../support/fake-slack-api.js';
import { blockActionsBody, postSignedSlackRequest, signSlackRequest, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';

// A Swindon Safeguarding Executive meeting cycle driven from Slack: a signed slash command starts it, Mark done is a
// block_actions request (and its retry has no second effect), Ask for more time opens a modal whose submission is
// checked in the HTTP answer.
const team = 'T0SWIND01';
const manager = 'U0DEMOUSER'; // Alex Demo: business manager and admin
const daniel = 'U0SWDHUGH'; // Daniel Hughes: an Executive member, so an owner of its stages
const margaret = 'U0SWMOKAF'; // Margaret Okafor chairs the Executive
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')); // Monday 09:00 BST
let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock, teams: false, env: { DELIVERY_RATE_PER_SECOND: '500' } });
});
afterAll(async () => {
  await bot?.stop();
});

const nextTrigger = () => `trigger-${Date.now()}-${++trigger}`;
const events = `/slack/events`;
const post = (request: SlackRequest, headers: Record<string, string> = {}) =>
  fetch(`${bot.url}${events}`, { method: 'POST', body: request.body, headers: { 'content-type': request.contentType, ...signSlackRequest(request.body, slackSigningSecret), ...headers } });

async function command(text: string, userId = manager): Promise<RecordedSlackCall> {
  const id = nextTrigger();
  const res = await postSignedSlackRequest(`${bot.url}${events}`, slashCommandBody({ text, userId, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  expect(res.status).toBe(200);
  return bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
}

function press(userId: string, actionId: string, value: string, triggerId = nextTrigger()) {
  return { triggerId, request: blockActionsBody({ userId, teamId: team, actions: [{ actionId, value }], triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) }) };
}

async function drained(): Promise<void> {
  await outboxDrained(bot, 20_000);
}

/** Slack messages (channel, ts) holding a copy of a stage's cards. */
async function stageCardCopies(stageId: string): Promise<{ channel: string; ts: string }[]> {
  const rows = await bot.db.outboxMessage.findMany({ where: { subjectKey: `stage:${stageId}`, operation: 'post', status: 'sent' } });
  return rows.map((r) => ({ channel: r.platformChannelId!, ts: r.platformMessageId! }));
}

// ---- pending timers, in PostgreSQL and in BullMQ (no bank holidays fall in Sept–Nov 2026) ----

function addWorkingDays(day: string, n: number): string {
  let d = DateTime.fromISO(day, { zone: 'Europe/London' });
  for (let left = Math.abs(n); left > 0; ) {
    d = d.plus({ days: n < 0 ? -1 : 1 });
    if (d.weekday <= 5) left -= 1;
  }
  return d.toISODate()!;
}
const at930 = (day: string) => DateTime.fromISO(`${day}T09:30`, { zone: 'Europe/London' }).toUTC().toISO()!;

/** The reminders of an open stage (default rules unless `before` is overridden: chasers every 2 working days, escalations at 3 and 8). */
function openStageTimers(stageKey: string, dueOn: string, before = [5, 1]): Record<string, string> {
  const timers: Record<string, string> = {
    [`${stageKey}:due@${dueOn}`]: at930(dueOn),
    [`${stageKey}:escalate-chair:3@${dueOn}`]: at930(addWorkingDays(dueOn, 3)),
    [`${stageKey}:escalate-manager:8@${dueOn}`]: at930(addWorkingDays(dueOn, 8)),
  };
  for (const n of before) timers[`${stageKey}:before:${n}@${dueOn}`] = at930(addWorkingDays(dueOn, -n));
  for (let n = 1; n <= 19; n += 2) timers[`${stageKey}:overdue:${n}@${dueOn}`] = at930(addWorkingDays(dueOn, n));
  return timers;
}

async function expectPendingTimers(cycleId: string, expected: Record<string, string>): Promise<void> {
  const stages = await bot.db.cycleStage.findMany({ where: { cycleId } });
  const keyOf = new Map(stages.map((s) => [s.id, s.key]));
  const rows = await bot.db.timer.findMany({ where: { subjectId: { in: [...keyOf.keys()] } } });
  const label = (r: (typeof rows)[number]) => `${keyOf.get(r.subjectId)}:${r.key.slice(`stage:${r.subjectId}:`.length)}`;
  expect(Object.fromEntries(rows.filter((r) => r.status === 'pending').map((r) => [label(r), r.dueAt.toISOString()]))).toEqual(expected);
  for (const row of rows) {
    const job = await bot.runtime.services.queues.timers.getJob(row.id);
    const state = job ? await job.getState() : 'none';
    if (row.status === 'pending') {
      expect(state, label(row)).toBe('delayed');
      expect(Math.abs(clock.now().toMillis() + (job!.delay ?? 0) - row.dueAt.getTime()), `${label(row)} fires at its dueAt`).toBeLessThanOrEqual(2000);
    } else {
      expect(['delayed', 'waiting', 'prioritized'], `no job for ${row.status} ${label(row)}`).not.toContain(state);
    }
  }
}

const laterOpenings = {
  'circulate:open@2026-09-28': at930('2026-09-28'),
  'meeting:open@2026-10-05': at930('2026-10-05'),
  'minutes:open@2026-10-05': at930('2026-10-05'),
};

let views = 0;
/** Submits the "Ask for more time" modal (each submission its own view, as Slack gives each modal its own id and hash). */
function submitMoreTime(stageId: string, date: string) {
  views += 1;
  return post(viewSubmissionBody({
    userId: daniel,
    teamId: team,
    viewId: `V0MORETIME${views}`,
    callbackId: 'stage.more-time',
    privateMetadata: stageId,
    values: {
      proposedDueOn: { proposedDueOn: { type: 'datepicker', selected_date: date } },
      reason: { reason: { type: 'plain_text_input', value: 'The police performance report is late' } },
    },
  }));
}

const updatesOf = (ts: string) => bot.slackApi.callsTo('chat.update').filter((c) => c.body.ts === ts);

describe('a Swindon Executive meeting cycle in Slack', () => {
  let cycleId: string;
  let agendaId: string;
  let papersId: string;

  it('starts from a signed slash command and sends the first stage to its owners by DM and to the Executive channel', async () => {
    const reply = await command('cycle start executive-meeting "Executive, October 2026" 2026-10-05');
    expect(JSON.stringify(reply.body)).toContain('Started cycle #1');
    const cycle = await bot.db.cycle.findFirstOrThrow({ include: { stages: { orderBy: { seq: 'asc' } } } });
    cycleId = cycle.id;
    agendaId = cycle.stages[0]!.id;
    papersId = cycle.stages[1]!.id;
    expect(cycle.stages.map((s) => [s.key, s.status, s.dueOn])).toEqual([
      ['agenda', 'open', '2026-09-14'],
      ['papers', 'pending', '2026-09-28'],
      ['circulate', 'pending', '2026-09-30'],
      ['meeting', 'pending', '2026-10-05'],
      ['minutes', 'pending', '2026-10-19'],
    ]);
    await drained();
    const posts = bot.slackApi.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('Now open: Agenda items to the business support team'));
    const channels = posts.map((c) => c.body.channel);
    // Every Executive member with a Slack id, by user id (a DM), and the group's channel.
    expect(channels).toEqual(expect.arrayContaining([margaret, daniel, 'U0SWHMARS', 'U0SWACOLL', 'U0SWRSTON', 'U0SWRWHIT', 'C0SWEXEC01']));
    expect(await stageCardCopies(agendaId)).toHaveLength(posts.length);
    await expectPendingTimers(cycleId, { ...openStageTimers('agenda', '2026-09-14', [2]), 'papers:open@2026-09-14': at930('2026-09-14'), ...laterOpenings });
  });

  it('Mark done from a block_actions request updates every copy of the card; the same request retried changes nothing', async () => {
    const copies = await stageCardCopies(agendaId);
    const { request, triggerId } = press(daniel, 'stage.done', agendaId);
    const res = await post(request);
    expect(res.status).toBe(200);
    await eventually(async () => (await bot.db.cycleStage.findUniqueOrThrow({ where: { id: agendaId } })).status === 'done', 5000, 'stage done');
    await drained();
    for (const copy of copies) {
      const updates = updatesOf(copy.ts);
      expect(updates, `copy ${copy.channel}/${copy.ts}`).toHaveLength(1);
      expect(JSON.stringify(updates[0]!.body)).toContain('Done by Daniel Hughes');
      expect(JSON.stringify(bot.slackApi.message(copy.channel, copy.ts))).toContain('Done by Daniel Hughes');
    }
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: papersId } })).status).toBe('open');
    await expectPendingTimers(cycleId, { ...openStageTimers('papers', '2026-09-28'), ...laterOpenings });

    const callsBefore = bot.slackApi.calls.length;
    const auditBefore = await bot.db.auditEvent.count();
    const outboxBefore = await bot.db.outboxMessage.count();
    const retry = await post(request, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    await drained();
    expect(await bot.db.auditEvent.count({ where: { action: 'cycle.stage.done', subjectId: agendaId } })).toBe(1);
    expect(await bot.db.auditEvent.count()).toBe(auditBefore);
    expect(await bot.db.outboxMessage.count()).toBe(outboxBefore);
    expect(bot.slackApi.calls.slice(callsBefore).map((c) => c.method)).toEqual([]);
    expect(bot.slackApi.responseUrlPosts(triggerId)).toHaveLength(0);
    await expectPendingTimers(cycleId, { ...openStageTimers('papers', '2026-09-28'), ...laterOpenings });
  });

  it('Ask for more time on a stage already done is refused when submitted, and nothing is recorded', async () => {
    const { request, triggerId } = press(daniel, 'stage.more-time', agendaId);
    await post(request);
    await bot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === triggerId, { timeoutMs: 10_000 });
    const res = await submitMoreTime(agendaId, '2026-09-16');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const told = await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === daniel && JSON.stringify(c.body).includes('its due date can no longer move'), { timeoutMs: 10_000 });
    expect(JSON.stringify(told.body)).toContain('Agenda items to the business support team\\" is done');
    expect(await bot.db.extensionRequest.count()).toBe(0);
  });

  it('Ask for more time opens a modal; a bad date is answered with the field error, a good one records the request for the chair', async () => {
    const { request, triggerId } = press(daniel, 'stage.more-time', papersId);
    await post(request);
    const open = await bot.slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === triggerId, { timeoutMs: 10_000 });
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { type: string } }[] };
    expect(view.callback_id).toBe('stage.more-time');
    expect(view.private_metadata).toBe(papersId);
    expect(view.blocks.find((b) => b.block_id === 'proposedDueOn')?.element?.type).toBe('static_select'); // working days, written en-GB
    expect(view.blocks.find((b) => b.block_id === 'reason')?.element?.type).toBe('plain_text_input');

    const submit = (date: string) => submitMoreTime(papersId, date);

    const weekend = await submit('2026-10-03');
    expect(weekend.status).toBe(200);
    expect(await weekend.json()).toEqual({ response_action: 'errors', errors: { proposedDueOn: 'Sat 3 Oct 2026 is not a working day; the next is Mon 5 Oct 2026.' } });
    const earlier = await submit('2026-09-25');
    expect(await earlier.json()).toEqual({ response_action: 'errors', errors: { proposedDueOn: `Pick a date after the current due date, Mon 28 ${monthAbbrev('2026-09-28')} 2026.` } });
    expect(await bot.db.extensionRequest.count()).toBe(0);

    const good = await submit('2026-10-01');
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('');
    const request2 = await eventually(async () => (await bot.db.extensionRequest.findFirst()) ?? undefined, 5000, 'request recorded');
    expect(request2).toMatchObject({ stageId: papersId, proposedDueOn: '2026-10-01', reason: 'The police performance report is late', status: 'pending' });
    const chair = await bot.db.member.findFirstOrThrow({ where: { slackUserId: margaret } });
    expect(request2.approverId).toBe(chair.id);
    await drained();
    const ask = bot.slackApi.callsTo('chat.postMessage').find((c) => c.body.channel === margaret && JSON.stringify(c.body).includes('More time requested: Papers deadline'));
    expect(ask).toBeDefined();
    expect(JSON.stringify(ask!.body)).toContain('extension.approve');
    const told = bot.slackApi.callsTo('chat.postMessage').find((c) => c.body.channel === daniel && JSON.stringify(c.body).includes('Sent to Margaret Okafor'));
    expect(told).toBeDefined();
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: papersId } })).dueOn).toBe('2026-09-28'); // until the chair decides
    await expectPendingTimers(cycleId, { ...openStageTimers('papers', '2026-09-28'), ...laterOpenings });
  });

  it('Mark done on a cancelled cycle says so and changes nothing', async () => {
    await command('cycle cancel 1');
    const { request } = press(manager, 'cycle.cancel', cycleId);
    await post(request);
    await eventually(async () => (await bot.db.cycle.findUniqueOrThrow({ where: { id: cycleId } })).status === 'cancelled', 5000, 'cancelled');
    await drained();
    await expectPendingTimers(cycleId, {});
    const audit = await bot.db.auditEvent.count();
    const late = press(daniel, 'stage.done', papersId);
    await post(late.request);
    const answer = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(late.triggerId), { timeoutMs: 10_000 });
    expect(JSON.stringify(answer.body)).toContain('cancelled with its cycle');
    expect(JSON.stringify(answer.body)).not.toContain('already marked done');
    expect((await bot.db.cycleStage.findUniqueOrThrow({ where: { id: papersId } })).status).toBe('cancelled');
    expect(await bot.db.auditEvent.count()).toBe(audit);
    await expectPendingTimers(cycleId, {});
  });
});

/** en-GB short month as this platform's ICU writes it ("Sep" or "Sept"). */
function monthAbbrev(iso: string): string {
  return DateTime.fromISO(iso).setLocale('en-GB').toFormat('LLL');
}
