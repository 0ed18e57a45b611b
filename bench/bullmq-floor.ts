// A bare BullMQ worker on the same Redis, in the same run: the floor the bot's delivery pipeline is compared with.
// Absolute rates on a shared 2-core machine move by a factor of two between runs; a ratio measured minutes apart holds.
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { redisUrl } from '../test/support/bot-harness.js';

/** Jobs per second a worker that does nothing gets through: `count` jobs added in bulk, `concurrency` at a time. */
export async function bareBullmqRate(count: number, concurrency: number): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = `bench-floor-${randomUUID().slice(0, 8)}`;
  const queue = new Queue('floor', { connection, prefix });
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker('floor', async () => 'ok', { connection: connection.duplicate(), prefix, concurrency, autorun: false });
  worker.on('completed', () => {
    done += 1;
    if (done === count) finished();
  });
  try {
    for (let from = 0; from < count; from += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, count - from) }, (_, i) => ({ name: 'noop', data: { i: from + i }, opts: { removeOnComplete: true } })));
    }
    const started = Date.now();
    void worker.run();
    await all;
    return (count * 1000) / Math.max(1, Date.now() - started);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await connection.quit();
  }
}
