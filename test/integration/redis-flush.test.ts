import { afterAll, describe, expect, it } from 'vitest';
import { armTimer } from '../../src/scheduler/timers.js';
import { transact } from '../../src/store/unit-of-work.js';
import { startBot, eventually, type BotHarness } from '../support/bot-harness.js';
import { deleteKeysWithPrefix } from '../support/redis-prefix.js';

const bots: BotHarness[] = [];

afterAll(async () => {
  for (const bot of bots) await bot.stop();
});

/** A bot whose scheduled reconcile is an hour away, so anything healed sooner was healed by noticing the flush. */
async function bot(role: 'web' | 'all'): Promise<BotHarness> {
  const started = await startBot({ role, partnership: null, env: { RECONCILE_EVERY_SECONDS: '3600' } });
  bots.push(started);
  return started;
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

    await deleteKeysWithPrefix(web.queuePrefix);
    const during = await fetch(`${web.url}/readyz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ status: 'unavailable', database: 'up', redis: 'up', queues: 'down' });

    await eventually(timerJobBack(web, id), 5000, 'timer job rebuilt');
    await eventually(async () => (await fetch(`${web.url}/readyz`)).status === 200, 5000, 'ready again');
  });

  it('a worker notices by itself and rebuilds the timers within seconds', async () => {
    const worker = await bot('all');
    const id = await armTomorrow(worker, 'flush-worker');
    const armedAt = (await worker.runtime.services.queues.timers.getJob(id))!.timestamp;

    await deleteKeysWithPrefix(worker.queuePrefix);
    // The worker may rebuild before we can look, so a rebuilt job is told apart by its later creation time.
    const rebuilt = async () => {
      const job = await worker.runtime.services.queues.timers.getJob(id);
      return job !== undefined && job.timestamp > armedAt;
    };
    await eventually(rebuilt, 10_000, 'timer job rebuilt by the worker');
  }, 20_000);
});
