import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armTimer } from '../../src/scheduler/timers.js';
import { transact } from '../../src/store/unit-of-work.js';
import { startBot, eventually, redisUrl, type BotHarness } from '../support/bot-harness.js';

let redis: Redis;
const bots: BotHarness[] = [];

beforeAll(() => {
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await redis?.quit();
});

/** A bot whose scheduled reconcile is an hour away, so anything healed sooner was healed by noticing the flush. */
async function bot(role: 'web' | 'all'): Promise<BotHarness> {
  const started = await startBot({ role, partnership: null, env: { RECONCILE_EVERY_SECONDS: '3600' } });
  bots.push(started);
  return started;
}

/** Deletes this bot's keys from Redis, as a FLUSHALL or an empty restart would; other keys are left alone. */
async function flushPrefix(prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A timer due tomorrow by the bot's clock, with its delayed job in Redis. */
async function armTomorrow(b: BotHarness, key: string): Promise<string> {
  const dueAt = b.runtime.services.clock.now().plus({ days: 1 });
  const id = await transact(b.db, (tx) => armTimer(tx, { key, kind: 'test.ping', subjectId: 'subject-1', dueAt, rule: 'test' }));
  await b.runtime.services.timerJobs.sync([id]);
  expect(await b.runtime.services.queues.timers.getJob(id)).toBeDefined();
  return id;
}

const timerJobBack = (b: BotHarness, id: string) => async () => (await b.runtime.services.queues.timers.getJob(id)) !== undefined;

describe('after Redis loses the queues', () => {
  it('/readyz says so at once, sets off the rebuild, and is ready again when the timers are back', async () => {
    const web = await bot('web');
    // A fresh prefix looks just like a flushed one, so even a new web process builds the queues first.
    await eventually(async () => (await fetch(`${web.url}/readyz`)).status === 200, 5000, 'ready at start');
    const id = await armTomorrow(web, 'flush-web');

    await flushPrefix(web.queuePrefix);
    const during = await fetch(`${web.url}/readyz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ status: 'unavailable', database: 'up', redis: 'up', queues: 'down' });

    await eventually(timerJobBack(web, id), 5000, 'timer job rebuilt');
    await eventually(async () => (await fetch(`${web.url}/readyz`)).status === 200, 5000, 'ready again');
  });

  it('a worker notices by itself and rebuilds the timers within seconds', async () => {
    const worker = await bot('all');
    const id = await armTomorrow(worker, 'flush-worker');

    await flushPrefix(worker.queuePrefix);
    expect(await worker.runtime.services.queues.timers.getJob(id)).toBeUndefined();
    await eventually(timerJobBack(worker, id), 10_000, 'timer job rebuilt by the worker');
  }, 20_000);
});
