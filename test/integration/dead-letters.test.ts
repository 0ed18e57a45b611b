// Issue 12, fault test 4, the whole loop: a message to a channel that no longer exists fails for good, is audited,
// its partnership's admins are told once (never what it said), `admin failed` lists it, and a Retry once the cause is
// fixed delivers it exactly once. Non-admins are refused; a retry that fails again is reported again.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { reportDeadLetters } from '../../src/messaging/dead-letter-report.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import { startBot, eventually, slackSigningSecret, type BotHarness, outboxDrained } from '../support/bot-harness.js';
import { blockActionsBody, postSignedSlackRequest, slashCommandBody, type SlackRequest } from '../support/slack-requests.js';

const team = 'T0SWIND01';
const rachel = 'U0SWRWHIT'; // business manager and admin
const alex = 'U0DEMOUSER'; // business manager and admin
const tom = 'U0SWTASHD'; // neither
const gone = 'C0GONE0001';
const secret = 'CR-4471 private narrative about the family';

let bot: BotHarness;
let trigger = 0;

beforeAll(async () => {
  const clock = new ManualClock(DateTime.fromISO('2027-03-01T09:00:00Z'));
  bot = await startBot({ partnership: 'swindon', clock, teams: false, env: { DELIVERY_RATE_PER_SECOND: '500', RECONCILE_EVERY_SECONDS: '3600' } });
});
afterAll(async () => {
  await bot?.stop();
});

const report = () => reportDeadLetters({ db: bot.db, platforms: bot.runtime.services.platforms, logger: bot.runtime.services.logger, pushOutbox: (ids) => bot.runtime.services.deliveryJobs.push(ids) });
const dmsTo = (user: string) => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === user).map((c) => JSON.stringify(c.body));
const postsTo = (channel: string) => bot.slackApi.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
const delivered = (channel: string) => postsTo(channel).filter((c) => (c.response as { ok?: boolean }).ok === true);
const drained = () => outboxDrained(bot, 15_000);

async function slack(body: SlackRequest<unknown>, id: string): Promise<string> {
  const res = await postSignedSlackRequest(`${bot.url}/slack/events`, body, slackSigningSecret);
  expect(res.status).toBe(200);
  const call = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(id), { timeoutMs: 10_000 });
  return JSON.stringify(call.body);
}
function command(text: string, userId: string): Promise<string> {
  const id = `trigger-${++trigger}`;
  return slack(slashCommandBody({ text, userId, teamId: team, responseUrl: bot.slackApi.responseUrl(id), triggerId: id }), id);
}
function press(actionId: string, value: string, userId: string): Promise<string> {
  const id = `press-${++trigger}`;
  return slack(blockActionsBody({ userId, teamId: team, actions: [{ actionId, value }], triggerId: id, responseUrl: bot.slackApi.responseUrl(id) }), id);
}

async function failedPost(channel: string): Promise<string> {
  const partnership = await bot.db.partnership.findUniqueOrThrow({ where: { slug: 'swindon' } });
  bot.slackApi.failNext('chat.postMessage', { error: 'channel_not_found' });
  const id = await enqueueOutbound(bot.db, {
    key: `dead-letter-test:${randomUUID()}`,
    partnershipId: partnership.id,
    subjectKey: `stage:${randomUUID()}`,
    target: { platform: 'slack', kind: 'channel', channel, teamId: team },
    message: { title: secret, text: secret, sections: [{ kind: 'text', text: secret }] },
  });
  await bot.runtime.services.deliveryJobs.push([id]);
  await eventually(async () => (await bot.db.outboxMessage.findUniqueOrThrow({ where: { id } })).status === 'failed' || undefined, 10_000, 'the post to fail');
  return id;
}

describe('dead letters: reported to the admins, listed and retried by `admin failed`', () => {
  let id = '';

  it('a post to a channel that does not exist fails at once, with an audit row that holds no content', async () => {
    id = await failedPost(gone);
    expect(postsTo(gone)).toHaveLength(1);
    const audits = await bot.db.auditEvent.findMany({ where: { action: 'delivery.failed', subjectId: id } });
    expect(audits.map((a) => a.data)).toEqual([{ platform: 'slack', reason: 'channel_not_found' }]);
  });

  it('each admin gets one report saying when, where and why, without the content, and only one after another run', async () => {
    // First as the worker's maintenance run does it (every reconcile interval), then by hand.
    const run = await bot.runtime.services.queues.maintenance.add('reconcile', {});
    await eventually(async () => (await run.getState()) === 'completed', 15_000, 'maintenance run');
    await drained();
    for (const admin of [rachel, alex]) {
      const dms = dmsTo(admin);
      expect(dms).toHaveLength(1);
      expect(dms[0]).toContain('A message could not be delivered');
      expect(dms[0]).toContain(`A card about a stage to channel ${gone}`);
      expect(dms[0]).toContain('the channel no longer exists, or the bot is not in it');
      expect(dms[0]).toMatch(/[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}: the channel/); // when it failed
      expect(dms[0]).toContain('admin failed');
      expect(dms[0]).not.toContain('CR-4471');
    }
    expect(dmsTo(tom)).toHaveLength(0);
    expect((await bot.db.outboxMessage.findUniqueOrThrow({ where: { id } })).failureReportedAt).not.toBeNull();

    await report();
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo(rachel)).toHaveLength(1);
  });

  it('a member who is not an admin is refused, and help lists `admin` to admins only', async () => {
    expect(await command('admin failed', tom)).toContain("Only the partnership's business managers and admins can use `admin` commands.");
    expect(await press('admin.failed.retry', id, tom)).toContain("Only the partnership's business managers and admins");
    expect(await command('help', tom)).not.toContain('admin failed');
    expect(await command('help', rachel)).toContain('admin failed');
    expect((await bot.db.outboxMessage.findUniqueOrThrow({ where: { id } })).status).toBe('failed');
  });

  it('`admin failed` lists it, with Retry and Retry all, and without its content', async () => {
    const list = await command('admin failed', rachel);
    expect(list).toContain('1 message could not be delivered');
    expect(list).toContain(`#1 A card about a stage to channel ${gone}`);
    expect(list).toContain('the channel no longer exists');
    expect(list).toContain('"action_id":"admin.failed.retry"');
    expect(list).toContain(`"value":"${id}"`);
    expect(list).toContain('"action_id":"admin.failed.retry-all"');
    expect(list).not.toContain('CR-4471');
  });

  it('Retry, once the channel works again, delivers it exactly once, confirms, and audits who asked', async () => {
    expect(await press('admin.failed.retry', id, rachel)).toContain('Retrying 1 message now.');
    await eventually(async () => (await bot.db.outboxMessage.findUniqueOrThrow({ where: { id } })).status === 'sent' || undefined, 10_000, 'the retried post');
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered(gone)).toHaveLength(1);
    const retried = await bot.db.auditEvent.findMany({ where: { action: 'delivery.retried', subjectId: id } });
    expect(retried).toHaveLength(1);
    expect(retried[0]!.actor).toBe('Rachel Whitmore');
    expect(await command('admin failed', rachel)).toContain('nothing is waiting to be retried');
    // Pressed again (a double click): nothing is sent twice.
    expect(await press('admin.failed.retry', id, rachel)).toContain('Nothing to retry');
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered(gone)).toHaveLength(1);
  });

  it('a retry that fails again is reported again; `admin failed retry all` by text', async () => {
    const channel = 'C0GONE0002';
    const again = await failedPost(channel);
    await report();
    await drained();
    expect(dmsTo(rachel)).toHaveLength(2);

    bot.slackApi.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect(await command('admin failed retry all', rachel)).toContain('Retrying 1 message now.');
    await eventually(async () => {
      const row = await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: again } });
      return row.status === 'failed' && row.attempts === 2 ? row : undefined;
    }, 10_000, 'the retry to fail again');
    await report();
    await drained();
    expect(dmsTo(rachel)).toHaveLength(3);
    expect(dmsTo(rachel)[2]).toContain(`to channel ${channel}`);
    expect(await bot.db.auditEvent.count({ where: { action: 'delivery.failed', subjectId: again } })).toBe(2);
    expect(delivered(channel)).toHaveLength(0);
  });

  it("a reply to a command (no partnership recorded) is attributed by its workspace to that partnership's admins", async () => {
    const urlId = `expired-${randomUUID().slice(0, 8)}`;
    bot.slackApi.failNext('response_url', { status: 404 });
    const reply = await enqueueOutbound(bot.db, {
      key: `slack:command:${urlId}:reply`,
      target: { platform: 'slack', kind: 'response_url', url: bot.slackApi.responseUrl(urlId), teamId: team, user: tom },
      message: { text: secret, sections: [] },
    });
    await bot.runtime.services.deliveryJobs.push([reply]);
    await eventually(async () => (await bot.db.outboxMessage.findUniqueOrThrow({ where: { id: reply } })).status === 'failed' || undefined, 10_000, 'the reply to fail');
    await report();
    await drained();
    const told = dmsTo(rachel).at(-1)!;
    expect(told).toContain('A reply to a command to Tom Ashdown');
    expect(told).toContain('it answered a command, and came too late to be shown');
    expect(told).not.toContain('CR-4471');
    expect(await command('admin failed', alex)).toContain('A reply to a command to Tom Ashdown');
  });

  it('a report that cannot be delivered is not reported in its turn (no loops), nor listed', async () => {
    await failedPost('C0GONE0003');
    const reportsBefore = await bot.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'dead-letter-report:' } } });
    bot.slackApi.failNext('chat.postMessage', { error: 'account_inactive', times: 2 }); // both admins' copies
    await report();
    await drained();
    const reports = await bot.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: 'dead-letter-report:' } }, orderBy: { createdAt: 'asc' } });
    expect(reports.slice(reportsBefore).map((r) => r.status)).toEqual(['failed', 'failed']);

    await report();
    await drained();
    expect(await bot.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'dead-letter-report:' } } })).toBe(reportsBefore + 2);
    const list = await command('admin failed', rachel);
    expect(list).toContain('3 messages could not be delivered'); // C0GONE0003, C0GONE0002 (failed again), Tom's reply
    expect(list).toContain('to channel C0GONE0003');
    expect(list).not.toContain('to Rachel Whitmore');
    expect(list).not.toContain('to Alex Demo');
  });
});
