import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUnfinishedCommands } from '../../src/app/unfinished-commands.js';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, slackSigningSecret, eventually, type BotHarness } from '../support/bot-harness.js';
import { allowConnections, cutOffWaitingWrites, lockTable, withDatabaseDown as withDatabaseDownOf } from '../support/database-faults.js';
import { blockActionsBody, eventCallbackBody, postSignedSlackRequest, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';
import { teamsAdaptiveCardInvoke } from '../support/teams-activities.js';

// Button presses, DMs and form submissions, like slash commands, are stored before Slack hears 200, so a crash after
// the acknowledgement loses none of them; while PostgreSQL is away each gets a friendly "try again" on both platforms
// (straight through the platform, which needs no database), forms keep everything typed, and nothing is stored.

const friendly = "I can't reach my records right now, so nothing was done. Please try again in a minute.";
const formFriendly = "I can't reach my records right now, so this was not saved. Everything you typed is still here: please submit again in a minute.";
const team = 'T0SWIND01';
const manager = 'U0DEMOUSER'; // Alex Demo: business manager and admin
const daniel = 'U0SWDHUGH'; // an Executive member, so an owner of its stages
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')); // Monday 09:00 BST

let bot: BotHarness;
let stageIds: string[];
let trigger = 0;

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock, env: { DELIVERY_RATE_PER_SECOND: '500' } });
  const started = await command('cycle start executive-meeting "Executive, October 2026" 2026-10-05');
  expect(JSON.stringify(started)).toContain('Started cycle #1');
  const cycle = await bot.db.cycle.findFirstOrThrow({ include: { stages: { orderBy: { seq: 'asc' } } } });
  stageIds = cycle.stages.map((s) => s.id);
}, 60_000);
afterAll(async () => {
  await allowConnections(bot.database.url).catch(() => undefined);
  await bot?.stop();
});

const nextTrigger = () => `durable-press-${Date.now()}-${++trigger}`;
const recover = () => answerUnfinishedCommands({ db: bot.db, port: bot.runtime.services.inbound, logger: bot.runtime.services.logger }, { graceMs: 0 });
/** Presses retried while the database came back may still wait for recovery: theirs, so that a test counts only its own. */
const recoverLeftovers = async () => void (await recover());
const receiptsFor = (id: string) => bot.db.inboundReceipt.findMany({ where: { key: { contains: id } } });
const stageStatus = async (id: string) => (await bot.db.cycleStage.findUniqueOrThrow({ where: { id } })).status;
const doneAudits = (id: string) => bot.db.auditEvent.count({ where: { action: 'cycle.stage.done', subjectId: id } });

async function command(text: string): Promise<unknown> {
  const id = nextTrigger();
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId: manager, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  expect(res.status).toBe(200);
  return (await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 })).body;
}

async function post(request: SlackRequest): Promise<{ status: number; body: string; tookMs: number }> {
  const started = Date.now();
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, request, slackSigningSecret);
  return { status: res.status, body: await res.text(), tookMs: Date.now() - started };
}

function pressDone(stageId: string, triggerId = nextTrigger()) {
  return { triggerId, request: blockActionsBody({ userId: daniel, teamId: team, actions: [{ actionId: 'stage.done', value: stageId }], triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) }) };
}

/**
 * Holds `table` locked while `during` runs, then cuts off the bot's writes to it that wait (`statement`, an ILIKE
 * pattern: the delivery of earlier messages may wait on the same lock), as a crash or an outage would.
 */
async function withWritesCutOff<T>(table: string, statement: string, during: () => Promise<T>): Promise<T> {
  const held = await lockTable(bot.database.url, table);
  try {
    const result = await during();
    await cutOffWaitingWrites(bot.database.url, statement);
    return result;
  } finally {
    await held.release();
  }
}

const withDatabaseDown = <T>(run: () => Promise<T>) => withDatabaseDownOf(bot.database.url, run);

describe('Slack button presses', () => {
  it('are stored before the 200, so a press whose carrying out was cut off is carried out once by recovery', async () => {
    const stageId = stageIds[0]!;
    const { request, triggerId } = pressDone(stageId);
    const acked = await withWritesCutOff('CycleStage', '%"CycleStage"%', async () => {
      const res = await post(request);
      // At the moment Slack hears 200 the press is in PostgreSQL, with everything needed to carry it out.
      const [receipt] = await receiptsFor(triggerId);
      expect(receipt?.pendingCommand).toMatchObject({ kind: 'action', actionId: 'stage.done', value: stageId, identity: { userId: daniel } });
      return res;
    });
    expect(acked).toMatchObject({ status: 200, body: '' });
    expect(acked.tookMs).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stageStatus(stageId)).toBe('open');

    expect(await recover()).toMatchObject({ answered: 1, failed: 0 });
    expect(await stageStatus(stageId)).toBe('done');
    expect(await recover()).toMatchObject({ answered: 0 });
    expect(await doneAudits(stageId)).toBe(1);
    expect((await receiptsFor(triggerId))[0]?.pendingCommand).toBeNull();
  }, 30_000);

  it('while PostgreSQL is unreachable get a "try again" through the response_url, and change nothing', async () => {
    const stageId = stageIds[1]!;
    await bot.db.cycleStage.update({ where: { id: stageId }, data: { status: 'open' } });
    const { request, triggerId } = pressDone(stageId);
    const down = await withDatabaseDown(async () => {
      const res = await post(request);
      await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(triggerId) && JSON.stringify(c.body).includes(friendly), { timeoutMs: 5000 });
      const ready = await fetch(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ database: 'down' });
      return res;
    });
    expect(down).toMatchObject({ status: 200 });
    expect(down.tookMs).toBeLessThan(3000);
    expect(bot.slackApi.calls.find((c) => c.method === 'response_url' && c.path.endsWith(triggerId))?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(await receiptsFor(triggerId)).toHaveLength(0);
    expect(await stageStatus(stageId)).toBe('open');

    // Back up: the same button works, once.
    const again = await eventually(async () => {
      const retry = pressDone(stageId);
      await post(retry.request);
      return (await eventually(async () => ((await stageStatus(stageId)) === 'done' ? true : undefined), 3000, 'stage done').catch(() => undefined)) ? retry : undefined;
    }, 15_000, 'a press accepted after the outage');
    expect(again).toBeDefined();
    expect(await doneAudits(stageId)).toBe(1);
  }, 40_000);
});

describe('recovery after a crash between making the changes and writing the answer', () => {
  /** As if the process died right after the command's transaction committed: unanswered, and no reply written. */
  async function crashBeforeAnswering(triggerId: string, stored: object): Promise<void> {
    const key = (await receiptsFor(triggerId))[0]!.key;
    await bot.db.outboxMessage.deleteMany({ where: { idempotencyKey: { startsWith: key } } });
    await bot.db.inboundReceipt.update({ where: { key }, data: { pendingCommand: { ...stored, acceptedAt: new Date().toISOString() } } });
  }

  it('does not run a command again that already made its changes: no second cycle, and the person is told', async () => {
    await recoverLeftovers();
    const id = nextTrigger();
    const target = { platform: 'slack', kind: 'response_url', url: bot.slackApi.responseUrl(id), teamId: team, user: manager };
    const text = 'cycle start executive-meeting "Executive, November 2026" 2026-11-02';
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text, userId: manager, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
    expect(res.status).toBe(200);
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
    const cycles = await bot.db.cycle.count();
    await crashBeforeAnswering(id, { text, identity: { platform: 'slack', userId: manager, teamId: team }, reply: { key: `slack:command:${id}:reply`, target } });

    expect(await recover()).toMatchObject({ carriedOut: 1, answered: 0 });
    expect(await bot.db.cycle.count()).toBe(cycles);
    const told = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id) && JSON.stringify(c.body).includes('was carried out'), { timeoutMs: 10_000 });
    expect(JSON.stringify(told.body)).toContain('Your `cycle` command was carried out, but a restart lost its answer.');
    expect(await recover()).toMatchObject({ carriedOut: 0, answered: 0 });
  }, 30_000);

  it('does not carry out a press again that already made its changes', async () => {
    await recoverLeftovers();
    const stageId = stageIds[3]!;
    await bot.db.cycleStage.update({ where: { id: stageId }, data: { status: 'open' } });
    const { request, triggerId } = pressDone(stageId);
    expect((await post(request)).status).toBe(200);
    await eventually(async () => ((await stageStatus(stageId)) === 'done' ? true : undefined), 10_000, 'stage done');
    await eventually(async () => ((await receiptsFor(triggerId))[0]?.pendingCommand === null ? true : undefined), 10_000, 'press finished');
    const notices = () => bot.slackApi.calls.filter((c) => c.method === 'response_url' && c.path.endsWith(triggerId)).length;
    const before = notices();
    await crashBeforeAnswering(triggerId, { kind: 'action', actionId: 'stage.done', value: stageId, identity: { platform: 'slack', userId: daniel, teamId: team }, reply: { key: `slack:action:${triggerId}`, target: { platform: 'slack', kind: 'response_url', url: bot.slackApi.responseUrl(triggerId), teamId: team, user: daniel } } });

    expect(await recover()).toMatchObject({ carriedOut: 1, answered: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await doneAudits(stageId)).toBe(1);
    expect(notices()).toBe(before);
  }, 30_000);
});

describe('Slack DMs to the bot', () => {
  const dm = (eventId: string, text: string) => eventCallbackBody({ teamId: team, event_id: eventId, event: { type: 'message', channel_type: 'im', channel: 'D0DURABLE1', user: manager, text, ts: `${Date.now() / 1000}` } });

  it('are stored before the 200 and answered once by recovery when the answer was cut off', async () => {
    await recoverLeftovers();
    const eventId = `Ev${Date.now()}A`;
    const acked = await withWritesCutOff('OutboxMessage', 'INSERT INTO%"OutboxMessage"%', async () => {
      const res = await post(dm(eventId, 'whoami'));
      const [receipt] = await receiptsFor(eventId);
      expect(receipt?.pendingCommand).toMatchObject({ text: 'whoami', identity: { userId: manager } });
      return res;
    });
    expect(acked.status).toBe(200);
    expect(acked.tookMs).toBeLessThan(3000);
    const answers = () => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === 'D0DURABLE1' && JSON.stringify(c.body).includes('Alex Demo'));
    await new Promise((r) => setTimeout(r, 300));
    expect(answers()).toHaveLength(0);

    expect(await recover()).toMatchObject({ answered: 1 });
    await eventually(() => answers().length === 1, 10_000, 'the recovered answer');
    expect(await recover()).toMatchObject({ answered: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(answers()).toHaveLength(1);
  }, 30_000);

  it('while PostgreSQL is unreachable are answered "try again" in the same DM, and nothing is stored', async () => {
    const eventId = `Ev${Date.now()}B`;
    const down = await withDatabaseDown(async () => {
      const res = await post(dm(eventId, 'whoami'));
      await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D0DURABLE1' && c.body.text === friendly, { timeoutMs: 5000 });
      return res;
    });
    expect(down.status).toBe(200);
    expect(await receiptsFor(eventId)).toHaveLength(0);
  }, 30_000);
});

describe('forms while PostgreSQL is unreachable', () => {
  it('Slack keeps the modal open with the reason beside the first field, and stores nothing', async () => {
    const stageId = stageIds[2]!;
    const submission = viewSubmissionBody({
      userId: daniel,
      teamId: team,
      viewId: 'V0DURABLE1',
      callbackId: 'stage.more-time',
      privateMetadata: stageId,
      values: {
        proposedDueOn: { proposedDueOn: { type: 'datepicker', selected_date: '2026-10-20' } },
        reason: { reason: { type: 'plain_text_input', value: 'The police report is late' } },
      },
    });
    const down = await withDatabaseDown(() => post(submission));
    expect(down.status).toBe(200);
    const answer = JSON.parse(down.body) as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.values(answer.errors)).toEqual([formFriendly]);
    expect(await bot.db.extensionRequest.count({ where: { stageId } })).toBe(0);
  }, 30_000);

  it('Teams answers a button with the "try again" notice, and a form with itself, everything typed and the reason on top', async () => {
    const stageId = stageIds[2]!;
    const press = teamsAdaptiveCardInvoke({ serviceUrl: bot.connector.serviceUrl, conversationId: 'a:1durable-teams', conversationType: 'personal', tenantId: tenant, fromId: '29:1alex-demo', fromName: 'Alex Demo', fromAadObjectId: '00000000-0000-0000-0000-0000000000d0', verb: 'stage.done', data: { value: stageId } });
    const form = teamsAdaptiveCardInvoke({ serviceUrl: bot.connector.serviceUrl, conversationId: 'a:1durable-teams', conversationType: 'personal', tenantId: tenant, fromId: '29:1alex-demo', fromName: 'Alex Demo', fromAadObjectId: '00000000-0000-0000-0000-0000000000d0', verb: 'form:stage.more-time', data: { state: stageId, proposedDueOn: '2026-10-20', reason: 'The police report is late' } });
    const invoke = (activity: object) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const [pressed, submitted] = await withDatabaseDown(async () => {
      const a = await invoke(press);
      const b = await invoke(form);
      return [{ status: a.status, body: await a.json() }, { status: b.status, body: (await b.json()) as { type: string; value: unknown } }] as const;
    });
    expect(pressed).toMatchObject({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: friendly } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(submitted.body.value);
    expect(card).toContain(formFriendly);
    expect(card).toContain('The police report is late');
    expect(card).toContain('2026-10-20');
    expect(await stageStatus(stageId)).not.toBe('done');
    expect(await bot.db.extensionRequest.count({ where: { stageId } })).toBe(0);
  }, 30_000);
});
