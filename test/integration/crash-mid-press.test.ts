// Issue 12, fault test 1 (interactions): the bot process is killed with SIGKILL in the middle of a button press and in
// the middle of a form submission, then started again. A press that Slack saw acknowledged is carried out once after
// the restart; a submission cut off before it was saved was never acknowledged, left nothing half-written, and works
// when sent again.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { eventually, examplePartnership, slackSigningSecret, withoutRecurrence } from '../support/bot-harness.js';
import type { BotProcess } from '../support/bot-process.js';
import type { ScratchDatabase } from '../support/database.js';
import { botWaitingOnLock, lockTable } from '../support/database-faults.js';
import type { FakeSlackApi } from '../support/fake-slack-api.js';
import { slackBotProcess, type SlackBotProcess } from '../support/slack-bot-process.js';
import { blockActionsBody, postSignedSlackRequest, slashCommandBody, viewSubmissionBody } from '../support/slack-requests.js';

const team = 'T0SWIND01';
const manager = 'U0DEMOUSER'; // Alex Demo: business manager and admin
const daniel = 'U0SWDHUGH'; // an Executive member, so an owner of its stages

let running: SlackBotProcess;
let database: ScratchDatabase;
let db: Db;
let slackApi: FakeSlackApi;
let bot: BotProcess;
let partnershipFile: string;
let stageIds: string[];
let trigger = 0;

beforeAll(async () => {
  partnershipFile = await withoutRecurrence(examplePartnership('swindon'), `crashpress-${randomUUID().slice(0, 8)}`);
  running = await slackBotProcess({
    name: 'crashpress',
    role: 'all',
    partnershipConfig: partnershipFile,
    // Recovery takes up what a crash cut off once it is this old (in production: two minutes).
    env: { RECOVER_UNANSWERED_AFTER_SECONDS: '1', DELIVERY_RATE_PER_SECOND: '500' },
  });
  ({ database, db, slackApi, bot } = running);
  await bot.start();
  // A meeting eight weeks ahead: its first stage is open now, whatever today is.
  const meeting = DateTime.now().setZone('Europe/London').plus({ weeks: 8 }).toISODate();
  const started = await command(`cycle start executive-meeting "Executive" ${meeting}`);
  expect(JSON.stringify(started)).toContain('Started cycle #1');
  const cycle = await db.cycle.findFirstOrThrow({ include: { stages: { orderBy: { seq: 'asc' } } } });
  stageIds = cycle.stages.map((s) => s.id);
}, 120_000);

afterAll(async () => {
  await running?.stop();
  if (partnershipFile) await rm(partnershipFile, { force: true });
});

const nextTrigger = () => `crash-press-${Date.now()}-${++trigger}`;
const slackUrl = () => `${bot.url}/slack/events`;

async function command(text: string): Promise<unknown> {
  const id = nextTrigger();
  const res = await postSignedSlackRequest(slackUrl(), slashCommandBody({ text, userId: manager, teamId: team, responseUrl: slackApi.responseUrl(id), triggerId: id }), slackSigningSecret);
  expect(res.status).toBe(200);
  return (await slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 20_000 })).body;
}

describe('a SIGKILL in the middle of', () => {
  it('a button press Slack saw acknowledged: carried out once after the restart', async () => {
    const stageId = stageIds[0]!;
    // Open now, whichever day this runs (on its own it would open some weeks before the meeting).
    await db.cycleStage.update({ where: { id: stageId }, data: { status: 'open' } });
    const triggerId = nextTrigger();
    const press = blockActionsBody({ userId: daniel, teamId: team, actions: [{ actionId: 'stage.done', value: stageId }], triggerId, responseUrl: slackApi.responseUrl(triggerId) });
    const held = await lockTable(database.url, 'CycleStage');
    try {
      const res = await postSignedSlackRequest(slackUrl(), press, slackSigningSecret);
      expect(res.status).toBe(200);
      await botWaitingOnLock(database.url);
      await bot.kill();
    } finally {
      await held.release();
    }
    expect((await db.cycleStage.findUniqueOrThrow({ where: { id: stageId } })).status).toBe('open');

    await bot.start();
    await eventually(async () => (await db.cycleStage.findUniqueOrThrow({ where: { id: stageId } })).status === 'done', 20_000, 'the press carried out after the restart');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await db.auditEvent.count({ where: { action: 'cycle.stage.done', subjectId: stageId } })).toBe(1);
    expect((await db.inboundReceipt.findFirstOrThrow({ where: { key: { contains: triggerId } } })).pendingCommand).toBeNull();
  }, 90_000);

  it('a form submission: never acknowledged, nothing half-written, and the same submission works after the restart', async () => {
    const stageId = stageIds[1]!;
    await db.cycleStage.update({ where: { id: stageId }, data: { status: 'open' } });
    // The first date the bot offers in the modal ("Ask for more time" opens it), whatever today is.
    const opener = nextTrigger();
    const opened = await postSignedSlackRequest(slackUrl(), blockActionsBody({ userId: daniel, teamId: team, actions: [{ actionId: 'stage.more-time', value: stageId }], triggerId: opener, responseUrl: slackApi.responseUrl(opener) }), slackSigningSecret);
    expect(opened.status).toBe(200);
    const open = await slackApi.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === opener, { timeoutMs: 20_000 });
    const blocks = (open.body.view as { blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] }).blocks;
    const proposed = blocks.find((b) => b.block_id === 'proposedDueOn')!.element!.options![0]!.value;
    const submit = () =>
      postSignedSlackRequest(
        slackUrl(),
        viewSubmissionBody({
          userId: daniel,
          teamId: team,
          viewId: `V0CRASH${Date.now()}`,
          callbackId: 'stage.more-time',
          privateMetadata: stageId,
          values: {
            proposedDueOn: { proposedDueOn: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: proposed }, value: proposed } } },
            reason: { reason: { type: 'plain_text_input', value: 'The police report is late' } },
          },
        }),
        slackSigningSecret,
      );
    const held = await lockTable(database.url, 'ExtensionRequest');
    let answered: number | string;
    try {
      const pending = submit().then((res) => res.status, (error: Error) => `no answer: ${error.message}`);
      await botWaitingOnLock(database.url);
      await bot.kill();
      answered = await pending;
    } finally {
      await held.release();
    }
    // Slack got no 200, so the person sees the submission failed, with the modal and its text still open.
    expect(answered).not.toBe(200);
    expect(await db.extensionRequest.count({ where: { stageId } })).toBe(0);

    await bot.start();
    const again = await submit();
    expect(again.status).toBe(200);
    expect(await db.extensionRequest.count({ where: { stageId } })).toBe(1);
  }, 90_000);
});
