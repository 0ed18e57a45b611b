// Scenario 3: outbox rows → BullMQ delivery jobs → Slack chat.postMessage, with the per-workspace token bucket
// opened wide (throughput of the pipeline) and at the shipped default (the limiter must hold the rate).
import type { BotHarness } from '../test/support/bot-harness.js';
import type { Message } from '../src/messaging/message.js';
import { enqueueOutbound } from '../src/messaging/outbox.js';
import { defaultPolicies } from '../src/messaging/rate-limiter.js';
import { transact } from '../src/store/unit-of-work.js';
import { bareBullmqRate } from './bullmq-floor.js';
import { check, cpuMeter, cpuRow, info, ms, perSecond, sleep, waitForCount, waitUntil, type ScenarioResult } from './support.js';

export const outboxTargets = { rows: 2000, channels: 50, minPerSecond: 200, windowMs: 10_000, limiterSlack: 2, limiterRows: 60 } as const;

/** Writes `count` outbox rows (posts to `channels` channels of workspace `teamId`) through enqueueOutbound. */
async function writeRows(bot: BotHarness, tag: string, teamId: string, count: number, channels: number): Promise<string[]> {
  const ids: string[] = [];
  const chunk = 250;
  for (let from = 0; from < count; from += chunk) {
    const batch = await transact(bot.db, async (tx) => {
      const out: string[] = [];
      for (let i = from; i < Math.min(count, from + chunk); i += 1) {
        const channel = `C0BENCH${String(i % channels).padStart(3, '0')}`;
        const message: Message = { text: `Bench message ${i}`, sections: [{ kind: 'text', text: `Bench message *${i}* to ${channel}` }] };
        out.push(await enqueueOutbound(tx, { key: `${tag}:${i}`, target: { platform: 'slack', kind: 'channel', channel, teamId }, message }));
      }
      return out;
    });
    ids.push(...batch);
  }
  return ids;
}

type SlackCall = BotHarness['slackApi']['calls'][number];

/** Successful bench posts recorded by the fake Slack API from now on; `poll()` scans only what is new. */
function postsFrom(bot: BotHarness): { poll(): number; posts: SlackCall[] } {
  const posts: SlackCall[] = [];
  let scanned = bot.slackApi.calls.length;
  return {
    posts,
    poll() {
      const calls = bot.slackApi.calls;
      for (; scanned < calls.length; scanned += 1) {
        const c = calls[scanned];
        if (c && c.method === 'chat.postMessage' && c.status === 200 && String(c.body.text ?? '').startsWith('Bench message')) posts.push(c);
      }
      return posts.length;
    },
  };
}

/**
 * `fast`: DELIVERY_RATE_PER_SECOND=1000 (bucket capacity and refill 1000). `defaultPolicy`: no override, so
 * Slack's shipped policy applies (capacity 20, refill 1/s per workspace).
 */
export async function outboxScenario(fast: BotHarness, defaultPolicy: BotHarness): Promise<ScenarioResult> {
  const started = Date.now();
  const { rows, channels, minPerSecond, windowMs, limiterSlack, limiterRows } = outboxTargets;

  // Throughput with the bucket opened wide.
  const writeStarted = Date.now();
  const ids = await writeRows(fast, 'bench-s3a', 'T0BENCHA1', rows, channels);
  const writeMs = Date.now() - writeStarted;
  const sent = postsFrom(fast);
  const pushedAt = Date.now();
  const meter = cpuMeter();
  await fast.runtime.services.deliveryJobs.push(ids);
  const pushMs = Date.now() - pushedAt;
  // Stops waiting when nothing has been sent for 10 s (a stalled queue fails the scenario instead of hanging it).
  await waitForCount(() => sent.poll(), rows, 10_000, 60_000, 50);
  const cpu = meter.stop();
  const posts = sent.posts;
  const lastPostAt = Math.max(...posts.map((c) => c.at));
  const deliverMs = lastPostAt - pushedAt;
  const rate = (posts.length * 1000) / Math.max(1, deliverMs);
  if (posts.length >= rows) await waitUntil(async () => (await fast.db.outboxMessage.count({ where: { id: { in: ids }, status: 'sent' } })) >= rows, 15_000, 50);
  const sentRows = await fast.db.outboxMessage.count({ where: { id: { in: ids }, status: 'sent' } });
  const distinctChannels = new Set(posts.map((c) => String(c.body.channel))).size;
  // The floor: a bare BullMQ worker with the delivery worker's concurrency, doing nothing, on the same Redis.
  const floorRate = await bareBullmqRate(rows * 2, 10);

  // The default policy holds the workspace to its bucket: at most capacity + refill × window in the window.
  const policy = defaultPolicies.slack;
  const limited = await writeRows(defaultPolicy, 'bench-s3b', 'T0BENCHB1', limiterRows, channels);
  const limitedSent = postsFrom(defaultPolicy);
  await defaultPolicy.runtime.services.deliveryJobs.push(limited);
  await waitUntil(() => limitedSent.poll() > 0, 10_000, 10);
  const firstAt = Math.min(...limitedSent.posts.map((c) => c.at));
  await sleep(firstAt + windowMs + 250 - Date.now());
  limitedSent.poll();
  const inWindow = limitedSent.posts.filter((c) => c.at < firstAt + windowMs).length;
  const ceiling = policy.capacity + policy.refillPerSecond * (windowMs / 1000) + limiterSlack;
  const floor = policy.capacity + Math.floor((policy.refillPerSecond * (windowMs / 1000)) / 2);
  // Nothing else needs the rest of the rows: their jobs find them no longer pending and finish as skipped.
  await defaultPolicy.db.outboxMessage.updateMany({ where: { id: { in: limited }, status: 'pending' }, data: { status: 'failed', lastError: 'bench: cancelled after the measurement window' } });

  return {
    id: '3',
    title: 'Outbox delivery throughput and rate limiting',
    setup:
      `Throughput: ${rows} outbox rows (chat.postMessage to ${channels} channels of one workspace) written with \`enqueueOutbound\`, then pushed to the ` +
      'delivery queue in one `DeliveryJobs.push`; the bot (scenario 1\'s, DELIVERY_RATE_PER_SECOND=1000, delivery worker concurrency 10, Redis token bucket) ' +
      `sends them to the fake Slack Web API. Rate: from the push to the last chat.postMessage received. Limiter: ${limiterRows} rows for another workspace on a bot ` +
      `with the default Slack policy (capacity ${policy.capacity}, ${policy.refillPerSecond}/s); posts counted in the ${windowMs / 1000} s after the first one.`,
    rows: [
      info(`writing ${rows} outbox rows (enqueueOutbound, ${Math.ceil(rows / 250)} transactions)`, ms(writeMs)),
      info(`pushing ${rows} jobs (addBulk)`, ms(pushMs)),
      check('rows sent', `${sentRows} / ${rows} (to ${distinctChannels} channels)`, `all ${rows}`, sentRows === rows && posts.length === rows),
      info(`time from push to the last of ${rows} posts`, ms(deliverMs)),
      cpuRow('message delivered', rows, cpu),
      check('delivery rate', perSecond(rate), `≥ ${minPerSecond} /s`, rate >= minPerSecond),
      info(`bare BullMQ worker, same Redis, concurrency 10, ${rows * 2} jobs that do nothing`, perSecond(floorRate)),
      info('delivery rate as a share of that floor', `${Math.round((100 * rate) / Math.max(1, floorRate))} %`),
      check(
        `default policy: posts in ${windowMs / 1000} s`,
        String(inWindow),
        `≤ ${ceiling} (${policy.capacity} + ${policy.refillPerSecond}×${windowMs / 1000} + ${limiterSlack}), and ≥ ${floor} so the limiter is not starving the queue`,
        inWindow <= ceiling && inWindow >= floor,
      ),
    ],
    elapsedMs: Date.now() - started,
  };
}
