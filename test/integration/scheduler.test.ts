import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armTimer, cancelTimers } from '../../src/scheduler/timers.js';
import { TimerHandlerRegistry } from '../../src/scheduler/timer-handlers.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import { transact } from '../../src/store/unit-of-work.js';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';
import { deleteKeysWithPrefix } from '../support/redis-prefix.js';

const fired: string[] = [];
let bot: BotHarness;

beforeAll(async () => {
  const handlers = new TimerHandlerRegistry().register('test.ping', async ({ timer, tx }) => {
    fired.push(timer.key);
    await tx.auditEvent.create({ data: { actor: 'scheduler', action: 'test.fired', subjectType: 'timer', subjectId: timer.id } });
  });
  bot = await startBot({ timerHandlers: handlers });
});
afterAll(async () => {
  await bot?.stop();
});

/** The bot's clock (a ManualClock standing at testNow()), which decides when a timer is due. */
const now = (): DateTime => bot.runtime.services.clock.now();

async function arm(key: string, dueAt: DateTime): Promise<string> {
  return transact(bot.db, async (tx, afterCommit) => {
    const id = await armTimer(tx, { key, kind: 'test.ping', subjectId: 'subject-1', dueAt, rule: 'test' });
    afterCommit(() => bot.runtime.services.timerJobs.sync([id]));
    return id;
  });
}

describe('timers', () => {
  it('fires a timer that is already due exactly once, however often its job is pushed', async () => {
    const id = await arm('past-due', now().minus({ minutes: 5 }));
    await bot.runtime.services.timerJobs.sync([id]);
    await bot.runtime.reconcileNow();
    await eventually(async () => (await bot.db.timer.findUnique({ where: { id } }))?.status === 'fired', 5000, 'timer fired');
    await new Promise((r) => setTimeout(r, 500));
    await bot.runtime.reconcileNow();
    await new Promise((r) => setTimeout(r, 300));
    expect(fired.filter((k) => k === 'past-due')).toHaveLength(1);
    expect(await bot.db.auditEvent.count({ where: { action: 'test.fired', subjectId: id } })).toBe(1);
  });

  it('puts future timers back after its queues are lost from Redis, at the instant the database says', async () => {
    const dueAt = now().plus({ hours: 2 }).startOf('second');
    const id = await arm('future', dueAt);
    expect(await bot.runtime.services.queues.timers.getJob(id)).toBeTruthy();

    await deleteKeysWithPrefix(bot.queuePrefix);
    expect(await bot.runtime.services.queues.timers.getJob(id)).toBeFalsy();

    const report = await bot.runtime.reconcileNow();
    expect(report.timersAdded).toBeGreaterThanOrEqual(1);
    const job = await bot.runtime.services.queues.timers.getJob(id);
    expect(job).toBeTruthy();
    expect(await job!.getState()).toBe('delayed');
    // On the bot's clock, which stands still: the job waits dueAt − now from when it was put back.
    const firesAt = now().toMillis() + (job!.delay ?? 0);
    expect(Math.abs(firesAt - dueAt.toMillis())).toBeLessThan(2000);
    expect(fired).not.toContain('future');
  });

  it('moving a timer later re-delays its job, and cancelling removes it', async () => {
    const id = await arm('movable', now().plus({ minutes: 30 }));
    const later = now().plus({ days: 3 }).startOf('second');
    await arm('movable', later);
    const job = await bot.runtime.services.queues.timers.getJob(id);
    expect(Math.abs(now().toMillis() + (job!.delay ?? 0) - later.toMillis())).toBeLessThan(2000);

    await transact(bot.db, async (tx, afterCommit) => {
      const ids = await cancelTimers(tx, 'subject-1', 'movable');
      afterCommit(() => bot.runtime.services.timerJobs.sync(ids));
    });
    expect(await bot.runtime.services.queues.timers.getJob(id)).toBeFalsy();
    expect((await bot.db.timer.findUnique({ where: { id } }))?.status).toBe('cancelled');
  });

  it('a job that wakes before its (moved) row is due goes back to sleep instead of firing', async () => {
    const id = await arm('early-wake', now().plus({ hours: 1 }));
    // Simulate a stale job: the queue thinks it is due now, the row says in an hour.
    const job = await bot.runtime.services.queues.timers.getJob(id);
    await job!.changeDelay(0);
    await eventually(async () => {
      const j = await bot.runtime.services.queues.timers.getJob(id);
      return j && (await j.getState()) === 'delayed' && j.timestamp + (j.delay ?? 0) > Date.now() + 30 * 60_000;
    }, 5000, 'job re-delayed');
    expect(fired).not.toContain('early-wake');
    expect((await bot.db.timer.findUnique({ where: { id } }))?.status).toBe('pending');
  });
});

describe('delivery', () => {
  it('retries a message that got 429 after Retry-After, and sends it once', async () => {
    bot.slackApi.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const id = await transact(bot.db, async (tx, afterCommit) => {
      const outboxId = await enqueueOutbound(tx, {
        key: 'rate-limit-test',
        target: { platform: 'slack', kind: 'channel', channel: 'C0RATE0001', teamId: 'T0SWIND01' },
        message: { text: 'Rate limit test', sections: [{ kind: 'text', text: 'Rate limit test' }] },
      });
      afterCommit(() => bot.runtime.services.deliveryJobs.push([outboxId]));
      return outboxId;
    });
    const row = await eventually(async () => {
      const r = await bot.db.outboxMessage.findUnique({ where: { id } });
      return r?.status === 'sent' ? r : undefined;
    }, 8000, 'message sent');
    const calls = bot.slackApi.callsTo('chat.postMessage').filter((c) => (c.body as { channel?: string }).channel === 'C0RATE0001');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(row.attempts).toBe(2);
    expect(row.platformMessageId).toBeTruthy();

    await bot.runtime.services.deliveryJobs.push([id]);
    await bot.runtime.reconcileNow();
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.slackApi.callsTo('chat.postMessage').filter((c) => (c.body as { channel?: string }).channel === 'C0RATE0001')).toHaveLength(2);
  });

  it('marks a message failed, without retrying, when Slack says the channel does not exist', async () => {
    bot.slackApi.failNext('chat.postMessage', { error: 'channel_not_found' });
    const id = await transact(bot.db, async (tx, afterCommit) => {
      const outboxId = await enqueueOutbound(tx, {
        key: 'permanent-failure-test',
        target: { platform: 'slack', kind: 'channel', channel: 'C0GONE0001', teamId: 'T0SWIND01' },
        message: { text: 'Nobody home', sections: [] },
      });
      afterCommit(() => bot.runtime.services.deliveryJobs.push([outboxId]));
      return outboxId;
    });
    const row = await eventually(async () => {
      const r = await bot.db.outboxMessage.findUnique({ where: { id } });
      return r?.status === 'failed' ? r : undefined;
    }, 5000, 'message failed');
    expect(row.lastError).toContain('channel_not_found');
    expect(bot.slackApi.callsTo('chat.postMessage').filter((c) => (c.body as { channel?: string }).channel === 'C0GONE0001')).toHaveLength(1);
  });

  it('pending outbox rows lost from Redis are delivered after a reconcile', async () => {
    const id = await transact(bot.db, (tx) =>
      enqueueOutbound(tx, {
        key: 'lost-in-redis',
        target: { platform: 'slack', kind: 'channel', channel: 'C0LOST0001', teamId: 'T0SWIND01' },
        message: { text: 'Written but never queued', sections: [] },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await bot.db.outboxMessage.findUnique({ where: { id } }))?.status).toBe('pending');
    await bot.runtime.reconcileNow();
    await eventually(async () => (await bot.db.outboxMessage.findUnique({ where: { id } }))?.status === 'sent', 5000, 'sent after reconcile');
  });
});

describe('updates in place', () => {
  it('never puts an older version of a card back over a newer one that was already shown', async () => {
    const target = { platform: 'slack' as const, kind: 'channel' as const, channel: 'C0CARD0001', teamId: 'T0SWIND01' };
    const card = (text: string) => ({ text, sections: [{ kind: 'text' as const, text }] });
    const original = await transact(bot.db, (tx) => enqueueOutbound(tx, { key: 'card-original', target, message: card('Reminder: Audits') }));
    await bot.runtime.services.deliveryJobs.push([original]);
    await eventually(async () => (await bot.db.outboxMessage.findUnique({ where: { id: original } }))?.status === 'sent', 5000, 'original sent');

    const older = await transact(bot.db, (tx) => enqueueOutbound(tx, { key: 'card-v1', target, message: card('Due date changed'), updateOf: original }));
    const newer = await transact(bot.db, (tx) => enqueueOutbound(tx, { key: 'card-v2', target, message: card('Done by Priya'), updateOf: original }));
    await bot.runtime.services.deliveryJobs.push([newer]);
    await eventually(async () => (await bot.db.outboxMessage.findUnique({ where: { id: newer } }))?.status === 'sent', 5000, 'newer sent');
    await bot.runtime.services.deliveryJobs.push([older]);
    await eventually(async () => (await bot.db.outboxMessage.findUnique({ where: { id: older } }))?.status === 'superseded', 5000, 'older superseded');

    const updates = bot.slackApi.callsTo('chat.update').filter((c) => (c.body as { channel?: string }).channel === 'C0CARD0001');
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]!.body)).toContain('Done by Priya');
  });
});
