// Issue 12, fault test 1 (fan-out): the worker process is killed with SIGKILL while it delivers 2,000 reminders,
// then started again. Every reminder must arrive; only the sends that were in flight at the kill may arrive twice.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/messaging/message.js';
import { enqueueOutbound } from '../../src/messaging/outbox.js';
import type { Db } from '../../src/store/db.js';
import { transact } from '../../src/store/unit-of-work.js';
import { eventually, redisUrl } from '../support/bot-harness.js';
import type { BotProcess } from '../support/bot-process.js';
import type { FakeSlackApi } from '../support/fake-slack-api.js';
import { slackBotProcess, type SlackBotProcess } from '../support/slack-bot-process.js';

const reminders = 2000;
const killAfter = 500;
const resendWarning = 'resending a message whose earlier send may have reached the platform';

let running: SlackBotProcess;
let db: Db;
let slackApi: FakeSlackApi;
let worker: BotProcess;
let queuePrefix: string;

beforeAll(async () => {
  running = await slackBotProcess({
    name: 'crashfan',
    role: 'worker',
    slackLatencyMs: 20,
    env: { DELIVERY_RATE_PER_SECOND: '2000', RECONCILE_EVERY_SECONDS: '3600' },
  });
  ({ db, slackApi, bot: worker, queuePrefix } = running);
}, 60_000);

afterAll(async () => {
  await running?.stop();
});

/** A stage reminder to each of `reminders` members, one DM each, written as the bot's fan-out writes them. */
async function writeReminders(): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < reminders; from += 50) {
    ids.push(
      ...(await transact(db, async (tx) => {
        const batch: string[] = [];
        for (let i = from; i < from + 50; i += 1) {
          const message: Message = { text: `Reminder ${i}: your return is due`, sections: [{ kind: 'text', text: 'Your return for case CR-1 is due on Friday.' }] };
          const user = `U0FAN${String(i).padStart(5, '0')}`;
          batch.push(await enqueueOutbound(tx, { key: `fan-out:${i}`, target: { platform: 'slack', kind: 'channel', channel: user, teamId: 'T0FAN0001' }, message }));
        }
        return batch;
      })),
    );
  }
  return ids;
}

/** How many times the fake Slack API received each reminder, by number. */
function receivedCounts(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of slackApi.callsTo('chat.postMessage')) {
    const match = /^Reminder (\d+):/.exec(String(call.body.text ?? ''));
    if (match) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
  }
  return counts;
}

describe('a worker killed with SIGKILL in the middle of a 2,000-reminder fan-out', () => {
  it('delivers every reminder after a restart, resending only what was in flight at the kill', async () => {
    const ids = await writeReminders();
    // The start-up reconcile queues every pending row, as the fan-out's own push would.
    await worker.start();
    await eventually(() => receivedCounts().size >= killAfter, 120_000, `${killAfter} reminders delivered`);
    await worker.kill();

    const receivedAtKill = receivedCounts().size;
    const inDoubt = await db.outboxMessage.findMany({ where: { status: 'pending', sendingSince: { not: null } }, select: { id: true } });
    const pendingAtKill = await db.outboxMessage.count({ where: { status: 'pending' } });
    expect(pendingAtKill, 'the kill came before the fan-out finished').toBeGreaterThan(0);

    await worker.start();
    const restartedAt = Date.now();
    // The killed worker's jobs stay 'active' in Redis until their lock runs out and a stalled-job check sees them:
    // with BullMQ's defaults (30 s lock, a check every 30 s) that took up to a minute and more after the restart.
    const inDoubtIds = inDoubt.map((r) => r.id);
    const delivery = new Queue('delivery', { connection: { url: redisUrl }, prefix: queuePrefix });
    const stillActive = async () => (await Promise.all(inDoubtIds.map((id) => delivery.getJobState(id)))).filter((state) => state === 'active').length;
    await eventually(async () => (await stillActive()) === 0, 120_000, 'the killed worker\'s jobs released');
    const releasedMs = Date.now() - restartedAt;
    await delivery.close();
    await eventually(async () => (await db.outboxMessage.count({ where: { id: { in: inDoubtIds }, status: 'pending' } })) === 0, 120_000, 'in-flight reminders sent');
    const inFlightResentMs = Date.now() - restartedAt;
    await eventually(async () => (await db.outboxMessage.count({ where: { status: 'pending' } })) === 0, 180_000, 'no pending reminders');
    const recoveryMs = Date.now() - restartedAt;

    const counts = receivedCounts();
    const twice = [...counts.values()].filter((n) => n === 2).length;
    console.info(`fan-out crash: ${receivedAtKill} reminders had reached Slack at the kill; ${pendingAtKill} rows pending, ${inDoubt.length} of them in flight (sendingSince set); ` +
      `${twice} delivered twice; after the restart the killed worker's jobs were released in ${(releasedMs / 1000).toFixed(1)} s, the in-flight ones resent in ` +
      `${(inFlightResentMs / 1000).toFixed(1)} s (behind the backlog), all delivered in ${(recoveryMs / 1000).toFixed(1)} s`);
    expect(releasedMs, 'the killed worker\'s jobs are taken back promptly').toBeLessThan(20_000);

    expect(counts.size, 'every reminder reached Slack').toBe(reminders);
    expect([...counts.values()].every((n) => n === 1 || n === 2), 'no reminder arrived more than twice').toBe(true);
    expect(twice, 'duplicates at most the sends in flight at the kill').toBeLessThanOrEqual(inDoubt.length);

    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } }, select: { status: true, sendingSince: true, platformMessageId: true } });
    expect(rows.filter((r) => r.status === 'sent' && r.sendingSince === null && r.platformMessageId !== null)).toHaveLength(reminders);

    const resent = worker.linesSaying(resendWarning).map((line) => line.outboxId);
    expect(new Set(resent), 'the restart log names each in-flight message it resent').toEqual(new Set(inDoubt.map((r) => r.id)));
    expect(worker.logs.filter((line) => line.level >= 50)).toEqual([]);
  }, 480_000);
});
