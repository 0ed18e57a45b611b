import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { schedulerDelayedText } from '../../src/interactions/inbound-port.js';
import { TimerHandlerRegistry } from '../../src/scheduler/timer-handlers.js';
import { armTimer } from '../../src/scheduler/timers.js';
import { transact } from '../../src/store/unit-of-work.js';
import { startBot, slackSigningSecret, eventually, type BotHarness } from '../support/bot-harness.js';
import { OwnRedis } from '../support/own-redis.js';
import { postSignedSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import { teamsMessage } from '../support/teams-activities.js';

// Redis goes away while the bot runs (a crash of a Redis without persistence: it comes back empty). The bot keeps
// answering: each command is stored and acknowledged with "my answer and reminders may be a few minutes late"; when
// Redis is back, the answers go out and every pending timer is back at once (not at the next reconcile, an hour away
// here), a timer that came due during the outage fires once, and one that fired before does not fire again.
// Timers here are seconds apart in real time, so the bot runs on the system clock (no dates are asserted).

const fired: string[] = [];
let redis: OwnRedis;
let bot: BotHarness;

beforeAll(async () => {
  redis = await OwnRedis.start();
  const handlers = new TimerHandlerRegistry().register('test.ping', async ({ timer }) => {
    fired.push(timer.key);
  });
  bot = await startBot({ clock: systemClock, timerHandlers: handlers, env: { REDIS_URL: redis.url, RECONCILE_EVERY_SECONDS: '3600', DELIVERY_RATE_PER_SECOND: '500' } });
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await redis?.stop();
});

const firedCount = (key: string) => fired.filter((k) => k === key).length;

async function arm(key: string, dueAt: DateTime): Promise<string> {
  const id = await transact(bot.db, (tx) => armTimer(tx, { key, kind: 'test.ping', subjectId: 'subject-1', dueAt, rule: 'test' }));
  await bot.runtime.services.timerJobs.sync([id]);
  return id;
}

describe('while Redis is down, and after it comes back empty', () => {
  it('commands are answered at once with "late", then for real when Redis is back, and timers neither skip nor repeat', async () => {
    await arm('fired-before', DateTime.now().plus({ milliseconds: 500 }));
    await eventually(() => firedCount('fired-before') === 1, 10_000, 'the first timer to fire');
    const dueDuringOutage = await arm('due-during-outage', DateTime.now().plus({ seconds: 4 }));
    const tomorrow = await arm('due-tomorrow', DateTime.now().plus({ days: 1 }));

    await redis.stop();
    await eventually(() => !bot.runtime.services.queues.reachable(), 10_000, 'the bot to notice Redis is gone');
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(503);

    // Slack: stored and acknowledged at once, saying the answer will be late.
    const triggerId = `redis-down-${Date.now()}`;
    const started = Date.now();
    const res = await postSignedSlackRequest(`${bot.url}/slack/events`, slashCommandBody({ text: 'whoami', userId: 'U0DEMOUSER', teamId: 'T0SWIND01', responseUrl: bot.slackApi.responseUrl(triggerId), triggerId }), slackSigningSecret);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await res.json()).toMatchObject({ response_type: 'ephemeral', text: schedulerDelayedText });
    expect((await bot.db.inboundReceipt.findUnique({ where: { key: `slack:command:${triggerId}` } }))?.pendingCommand).toBeDefined();

    // Teams: the same, said straight to the chat.
    const conversationId = `a:1personal-redis-down-${Date.now()}`;
    const activity = teamsMessage({ serviceUrl: bot.connector.serviceUrl, conversationId, conversationType: 'personal', tenantId: '5ce40424-6cfb-47ba-9b27-f32ed2392389', fromId: '29:1alex-demo', fromName: 'Alex Demo', fromAadObjectId: '00000000-0000-0000-0000-0000000000d0', text: 'whoami', id: 'redis-down-1' });
    const teams = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(teams.status).toBe(200);
    await eventually(() => bot.connector.sentActivities(conversationId).some((a) => a.text === schedulerDelayedText), 5000, 'the "late" notice in Teams');

    // The outage outlasts the second timer's due time; nothing is answered meanwhile.
    await new Promise((r) => setTimeout(r, 5000));
    expect(firedCount('due-during-outage')).toBe(0);
    expect(bot.slackApi.calls.filter((c) => c.method === 'response_url' && c.path.endsWith(triggerId))).toHaveLength(0);

    await redis.start();
    const answer = await bot.slackApi.waitFor((c) => c.method === 'response_url' && c.path.endsWith(triggerId), { timeoutMs: 20_000 });
    expect(JSON.stringify(answer.body)).toContain('Alex Demo');
    await eventually(() => bot.connector.sentActivities(conversationId).some((a) => JSON.stringify(a).includes('Swindon Borough Council')), 20_000, 'the Teams answer');
    await eventually(() => firedCount('due-during-outage') === 1, 20_000, 'the timer that came due during the outage');
    expect(await bot.runtime.services.queues.timers.getJob(tomorrow)).toBeDefined();
    expect(await bot.db.timer.findUniqueOrThrow({ where: { id: dueDuringOutage } })).toMatchObject({ status: 'fired' });
    await eventually(async () => (await fetch(`${bot.url}/readyz`)).status === 200, 10_000, 'ready again');

    await new Promise((r) => setTimeout(r, 1000));
    expect(firedCount('fired-before')).toBe(1);
    expect(firedCount('due-during-outage')).toBe(1);
    expect(bot.slackApi.calls.filter((c) => c.method === 'response_url' && c.path.endsWith(triggerId))).toHaveLength(1);
  }, 90_000);
});
