// Duplicates from the platforms: Slack retries a request it thinks timed out, people double-click, Teams re-sends an
// activity. Each state change happens once, keyed on the platform's ids: one change, one audit row, one reply.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { eventually, slackSigningSecret, startBot, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { blockActionsBody, eventCallbackBody, signSlackRequest, slashCommandBody, viewSubmissionBody, type SlackRequest } from '../support/slack-requests.js';
import { teamsAdaptiveCardInvoke, teamsMessage } from '../support/teams-activities.js';

const team = 'T0SWIND01';
const tenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const manager = 'U0DEMOUSER'; // Alex Demo: business manager and admin
const daniel = 'U0SWDHUGH'; // an Executive member, so an owner of its stages
const alexAad = '00000000-0000-0000-0000-0000000000d0';
const retryHeaders = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
let bot: BotHarness;
let stageIds: string[] = [];

beforeAll(async () => {
  bot = await startBot({ partnership: 'swindon', clock: new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')), env: { DELIVERY_RATE_PER_SECOND: '500' } });
});
afterAll(async () => {
  await bot?.stop();
});

const post = (request: SlackRequest, headers: Record<string, string> = {}) =>
  fetch(`${bot.url}/slack/events`, { method: 'POST', body: request.body, headers: { 'content-type': request.contentType, ...signSlackRequest(request.body, slackSigningSecret), ...headers } });
const postTeams = (activity: object) =>
  fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
const responsesTo = (id: string) => bot.slackApi.callsTo('response_url').filter((c) => c.path.endsWith(id));
/** Everything queued has gone out, and a moment more for anything a duplicate might still send. */
async function settled(): Promise<void> {
  await outboxDrained(bot, 20_000);
  await new Promise((r) => setTimeout(r, 500));
}
const audits = (action: string, subjectId?: string) => bot.db.auditEvent.count({ where: { action, ...(subjectId ? { subjectId } : {}) } });
const actionsTitled = (title: string) => bot.db.actionItem.findMany({ where: { title } });
const teamsContext = (conversationId: string) => ({
  serviceUrl: bot.connector.serviceUrl, conversationId, conversationType: 'personal' as const, tenantId: tenant,
  fromId: `29:${alexAad}`, fromName: 'Alex Demo', fromAadObjectId: alexAad,
});

/** Slack's block_actions payload with its own action_ts (a second click is a new payload a moment later). */
function pressAt(userId: string, actionId: string, value: string, triggerId: string, actionTs: string): SlackRequest {
  const request = blockActionsBody({ userId, teamId: team, actions: [{ actionId, value }], triggerId, responseUrl: bot.slackApi.responseUrl(triggerId) });
  const payload = JSON.parse(new URLSearchParams(request.body).get('payload')!) as { actions: { action_ts: string }[] };
  for (const action of payload.actions) action.action_ts = actionTs;
  return { ...request, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), payload };
}

describe('Slack', () => {
  it('a slash command delivered again with X-Slack-Retry-Num (same trigger_id) adds one action, one audit row, one reply', async () => {
    const started = slashCommandBody({ text: 'cycle start executive-meeting "Executive, October 2026" 2026-10-05', userId: manager, teamId: team, responseUrl: bot.slackApi.responseUrl('start'), triggerId: 'trigger-start' });
    expect((await post(started)).status).toBe(200);
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith('start'), { timeoutMs: 10_000 });
    const cycle = await bot.db.cycle.findFirstOrThrow({ include: { stages: { orderBy: { seq: 'asc' } } } });
    stageIds = cycle.stages.map((s) => s.id);

    const request = slashCommandBody({ text: 'actions add executive "Chase the audit returns" daniel-hughes 2026-09-30', userId: manager, teamId: team, responseUrl: bot.slackApi.responseUrl('add-once'), triggerId: 'trigger-add-once' });
    expect((await post(request)).status).toBe(200);
    expect((await post(request, retryHeaders)).status).toBe(200);
    await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith('add-once'), { timeoutMs: 10_000 });
    await settled();
    const added = await actionsTitled('Chase the audit returns');
    expect(added).toHaveLength(1);
    expect(await audits('action-log.added', added[0]!.id)).toBe(1);
    expect(responsesTo('add-once')).toHaveLength(1);
  });

  it('the same block_actions payload retried marks the stage done once, with one audit row and one answer', async () => {
    const request = pressAt(daniel, 'stage.done', stageIds[0]!, 'trigger-done-1', '1788768000.000100');
    expect((await post(request)).status).toBe(200);
    await eventually(async () => (await bot.db.cycleStage.findUniqueOrThrow({ where: { id: stageIds[0]! } })).status === 'done', 10_000, 'stage done');
    await settled();
    const answered = bot.slackApi.calls.length;
    const outbox = await bot.db.outboxMessage.count();
    expect(bot.slackApi.callsTo('chat.update').some((c) => JSON.stringify(c.body).includes('Done by Daniel Hughes'))).toBe(true);

    expect((await post(request, retryHeaders)).status).toBe(200);
    await settled();
    expect(await audits('cycle.stage.done', stageIds[0])).toBe(1);
    expect(await bot.db.outboxMessage.count()).toBe(outbox);
    expect(bot.slackApi.calls.slice(answered).map((c) => c.method)).toEqual([]);
  });

  it('a double click (a second press a moment later) changes nothing more and says it was already done', async () => {
    const again = pressAt(daniel, 'stage.done', stageIds[0]!, 'trigger-done-2', '1788768001.000200');
    expect((await post(again)).status).toBe(200);
    const answer = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith('trigger-done-2'), { timeoutMs: 10_000 });
    expect(JSON.stringify(answer.body)).toContain('That stage was already marked done.');
    await settled();
    expect(await audits('cycle.stage.done', stageIds[0])).toBe(1);
    expect(responsesTo('trigger-done-2')).toHaveLength(1);
  });

  it('the same event_id delivered twice (a DM) is answered once and adds one action', async () => {
    const dm = eventCallbackBody({ teamId: team, event_id: 'Ev0DUPLICATE1', event: { type: 'message', channel_type: 'im', channel: 'D0DUPLIC01', user: manager, text: 'actions add executive "Send the DM dataset" daniel-hughes 2026-09-30', ts: '1788768002.000100' } });
    expect((await post(dm)).status).toBe(200);
    expect((await post(dm, retryHeaders)).status).toBe(200);
    await bot.slackApi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D0DUPLIC01', { timeoutMs: 10_000 });
    await settled();
    const added = await actionsTitled('Send the DM dataset');
    expect(added).toHaveLength(1);
    expect(await audits('action-log.added', added[0]!.id)).toBe(1);
    expect(bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === 'D0DUPLIC01')).toHaveLength(1);
  });

  it('a modal submission delivered twice records one request for more time', async () => {
    const stageId = stageIds[2]!;
    const submission = viewSubmissionBody({
      userId: manager, teamId: team, viewId: 'V0DUPLIC01', callbackId: 'stage.more-time', privateMetadata: stageId,
      values: { proposedDueOn: { proposedDueOn: { type: 'static_select', selected_option: { value: '2026-10-30' } } }, reason: { reason: { type: 'plain_text_input', value: 'Two audits are late' } } },
    });
    expect((await post(submission)).status).toBe(200);
    expect((await post(submission, retryHeaders)).status).toBe(200);
    await eventually(async () => (await bot.db.extensionRequest.count({ where: { stageId } })) > 0, 10_000, 'request stored');
    await settled();
    expect(await bot.db.extensionRequest.count({ where: { stageId } })).toBe(1);
    expect(await audits('cycle.extension.requested', stageId)).toBe(1);
    const toManager = bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === manager).map((c) => JSON.stringify(c.body));
    expect(toManager.filter((m) => m.includes('Request sent: move'))).toHaveLength(1);
    expect(toManager.filter((m) => m.includes('already asked'))).toEqual([]);
  });
});

describe('Teams', () => {
  it('the same message activity id twice adds one action and gets one reply', async () => {
    const conversationId = `a:personal-${alexAad}`;
    const repliesBefore = bot.connector.sentActivities(conversationId).length;
    const message = teamsMessage({ ...teamsContext(conversationId), id: 'dup-message-1', text: 'actions add executive "Review the Teams dataset" daniel-hughes 2026-09-30' });
    expect((await postTeams(message)).status).toBeLessThan(300);
    expect((await postTeams(message)).status).toBeLessThan(300);
    await eventually(() => bot.connector.sentActivities(conversationId).length > repliesBefore, 10_000, 'the reply');
    await settled();
    const added = await actionsTitled('Review the Teams dataset');
    expect(added).toHaveLength(1);
    expect(await audits('action-log.added', added[0]!.id)).toBe(1);
    expect(bot.connector.sentActivities(conversationId).length - repliesBefore).toBe(1);
  });

  it('the same Action.Execute invoke re-sent marks the stage done once; a second press says it was already done', async () => {
    const stageId = stageIds[1]!;
    const invoke = teamsAdaptiveCardInvoke({ ...teamsContext(`a:personal-${alexAad}`), verb: 'stage.done', data: { value: stageId } });
    const first = await postTeams(invoke);
    expect(first.status).toBe(200);
    expect(JSON.stringify(await first.json())).toContain('Done by Alex Demo');
    const resent = await postTeams(invoke);
    expect(resent.status).toBe(200);
    expect(await audits('cycle.stage.done', stageId)).toBe(1);

    const pressedAgain = teamsAdaptiveCardInvoke({ ...teamsContext(`a:personal-${alexAad}`), verb: 'stage.done', data: { value: stageId } });
    const second = await postTeams(pressedAgain);
    expect(JSON.stringify(await second.json())).toContain('That stage was already marked done.');
    await settled();
    expect(await audits('cycle.stage.done', stageId)).toBe(1);
  });

  it('the same card form submission re-sent records one request for more time', async () => {
    const stageId = stageIds[3]!;
    const submit = teamsAdaptiveCardInvoke({ ...teamsContext(`a:personal-${alexAad}`), verb: 'form:stage.more-time', data: { state: stageId, proposedDueOn: '2026-11-02', reason: 'The health audit is late' } });
    expect((await postTeams(submit)).status).toBe(200);
    expect((await postTeams(submit)).status).toBe(200);
    await settled();
    expect(await bot.db.extensionRequest.count({ where: { stageId } })).toBe(1);
    expect(await audits('cycle.extension.requested', stageId)).toBe(1);
  });
});
