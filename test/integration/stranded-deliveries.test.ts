import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import { transact } from '../../src/store/unit-of-work.js';
import { startBot, eventually, redisUrl, type BotHarness } from '../support/bot-harness.js';

let bot: BotHarness;

beforeAll(async () => {
  // Only the test's own reconcileNow() calls run, so each step below is the test's doing.
  bot = await startBot({ env: { RECONCILE_EVERY_SECONDS: '3600' } });
  // A job scheduler runs its first reconcile at once; let it finish so it cannot queue the test's rows itself.
  const maintenance = bot.runtime.services.queues.maintenance;
  await eventually(async () => Object.values(await maintenance.getJobCounts('active', 'waiting')).every((n) => n === 0), 10_000, 'first reconcile done');
});
afterAll(async () => {
  await bot?.stop();
});

const postsTo = (channel: string) => bot.slackApi.callsTo('chat.postMessage').filter((c) => (c.body as { channel?: string }).channel === channel);
const statusOf = async (id: string) => (await bot.db.outboxMessage.findUnique({ where: { id } }))?.status;

/** Schema changes are the owner's: the bot's own connections run as a role that may not make them. */
async function asOwner(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: bot.database.url });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/** A pending row whose delivery job has spent its (here: one) attempt and failed, as after a long database outage. */
async function strandedRow(key: string, channel: string, breakDatabase: { before: string; after: string }): Promise<string> {
  const id = await transact(bot.db, (tx) =>
    enqueueOutbound(tx, { key, target: { platform: 'slack', kind: 'channel', channel, teamId: 'T0SWIND01' }, message: { text: `Reply ${key}`, sections: [] } }),
  );
  await asOwner(breakDatabase.before);
  try {
    const job = await bot.runtime.services.queues.delivery.add('deliver', { outboxId: id }, { jobId: id, attempts: 1, removeOnFail: { age: 3600 } });
    await eventually(async () => (await job.isFailed()) || undefined, 5000, 'delivery job failed');
  } finally {
    await asOwner(breakDatabase.after);
  }
  expect(await statusOf(id)).toBe('pending');
  return id;
}

describe('deliveries stranded by a database outage', () => {
  it('a pending row whose job failed before sending is delivered by the next reconcile, once', async () => {
    const id = await strandedRow('stranded-unsent', 'C0STRAND01', {
      before: 'ALTER TABLE "OutboxMessage" RENAME TO "OutboxMessageAway"',
      after: 'ALTER TABLE "OutboxMessageAway" RENAME TO "OutboxMessage"',
    });
    expect(postsTo('C0STRAND01')).toHaveLength(0);

    const report = await bot.runtime.reconcileNow();
    expect(report.strandedRequeued).toBe(1);
    await eventually(async () => (await statusOf(id)) === 'sent' || undefined, 5000, 'sent after reconcile');
    await bot.runtime.reconcileNow();
    await new Promise((r) => setTimeout(r, 300));
    expect(postsTo('C0STRAND01')).toHaveLength(1);
  });

  it('a row posted just before the database went away is recorded as sent, not posted again', async () => {
    // The database goes away between the platform's answer and the write that records it.
    const id = await strandedRow('stranded-posted', 'C0STRAND02', {
      before: `CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'database unreachable'; END $$;
               CREATE TRIGGER refuse_sent BEFORE UPDATE ON "OutboxMessage" FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_sent();`,
      after: 'DROP TRIGGER refuse_sent ON "OutboxMessage"; DROP FUNCTION refuse_sent();',
    });
    expect(postsTo('C0STRAND02')).toHaveLength(1);

    const report = await bot.runtime.reconcileNow();
    expect(report.strandedRecordedSent).toBe(1);
    const row = await bot.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('sent');
    expect(row.platformMessageId).toBe((postsTo('C0STRAND02')[0]!.response as { ts: string }).ts);
    await bot.runtime.reconcileNow();
    await new Promise((r) => setTimeout(r, 300));
    expect(postsTo('C0STRAND02')).toHaveLength(1);
  });

  it('a pending row whose job hash was left outside every queue list (keys lost part-way) is delivered by the next reconcile', async () => {
    const id = await transact(bot.db, (tx) =>
      enqueueOutbound(tx, { key: 'stranded-orphan', target: { platform: 'slack', kind: 'channel', channel: 'C0STRAND03', teamId: 'T0SWIND01' }, message: { text: 'Reply stranded-orphan', sections: [] } }),
    );
    // A delayed job whose delayed set is then deleted: its hash stays behind, in no list, so no worker will ever run
    // it and a plain push of the same id does nothing.
    const delivery = bot.runtime.services.queues.delivery;
    const job = await delivery.add('deliver', { outboxId: id }, { jobId: id, delay: 3_600_000 });
    const redis = new Redis(redisUrl);
    await redis.del(delivery.keys.delayed!).finally(() => redis.quit());
    expect(await job.getState()).toBe('unknown');
    await bot.runtime.services.deliveryJobs.push([id]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf(id)).toBe('pending');

    const report = await bot.runtime.reconcileNow();
    expect(report.strandedRequeued).toBe(1);
    await eventually(async () => (await statusOf(id)) === 'sent' || undefined, 5000, 'sent after reconcile');
    expect(postsTo('C0STRAND03')).toHaveLength(1);
  });
});
