import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, outboxDrained, type BotHarness } from '../support/bot-harness.js';
import { TeamsUser } from '../support/teams-chat.js';

// Pushing to the queue after a commit can fail (Redis restarting, a failover). The rows are safe, but the person
// should not wait for the next reconcile: the push is retried at once, logged and counted. Reconcile is set to an
// hour here, so anything that arrives within a few seconds arrived because of the prompt retry.
const tenant = '7984d20d-b49c-4ed7-94e1-a5a84800aafd';
const hannahAad = 'fc1873c2-5567-4c66-b3ec-fb5bc937f050'; // business manager and admin
const queueDown = () => new Error('Connection is closed.');

let bot: BotHarness;
let hannah: TeamsUser;
const clock = new ManualClock(DateTime.fromISO('2026-09-07T08:00:00Z')); // Monday 09:00 in London

beforeAll(async () => {
  bot = await startBot({ partnership: 'warwickshire', clock, slack: false, env: { RECONCILE_EVERY_SECONDS: '3600' } });
  hannah = new TeamsUser(bot, hannahAad, tenant, 'Hannah Whitcombe');
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await bot?.stop();
});

async function pushFailures(queue: string, outcome: string): Promise<number> {
  const metric = await bot.runtime.services.metrics.registry.getSingleMetric('pbot_queue_push_failures_total')?.get();
  return metric?.values.find((v) => v.labels.queue === queue && v.labels.outcome === outcome)?.value ?? 0;
}

describe('a queue push that fails after commit', () => {
  it('still delivers the reply promptly, and logs and counts the failures with ids only', async () => {
    const { queues, logger } = bot.runtime.services;
    const warn = vi.spyOn(logger, 'warn');
    vi.spyOn(queues.delivery, 'addBulk').mockRejectedValueOnce(queueDown()).mockRejectedValueOnce(queueDown());
    const before = await pushFailures('delivery', 'retrying');

    const started = Date.now();
    expect(await hannah.ask('help')).toContain('cycle');
    expect(Date.now() - started).toBeLessThan(5000);

    expect((await pushFailures('delivery', 'retrying')) - before).toBe(2);
    const logged = warn.mock.calls.filter(([, msg]) => typeof msg === 'string' && msg.includes('queue push failed'));
    expect(logged).toHaveLength(2);
    const reply = await bot.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `teams:activity:${hannah.conversationId}:` } }, orderBy: { createdAt: 'desc' } });
    expect(logged[0]?.[0]).toMatchObject({ queue: 'delivery', ids: [reply.id], attempt: 1 });
    expect(JSON.stringify(logged)).not.toContain('help');
  });

  it('arms the timers and sends the messages of a cycle start even when the first pushes fail', async () => {
    const { queues } = bot.runtime.services;
    vi.spyOn(queues.timers, 'getJob').mockRejectedValueOnce(queueDown());
    vi.spyOn(queues.delivery, 'addBulk').mockRejectedValueOnce(queueDown());
    const before = await pushFailures('timers', 'retrying');

    expect(await hannah.ask('cycle start focus-review "Neglect focus review" 2026-09-07')).toContain('Started cycle #1');

    const pending = await bot.db.timer.findMany({ where: { status: 'pending' } });
    expect(pending.length).toBeGreaterThan(0);
    for (const timer of pending) expect(await queues.timers.getJob(timer.id), `a queued job for timer ${timer.kind}`).toBeDefined();
    await outboxDrained(bot, 5000);
    expect((await pushFailures('timers', 'retrying')) - before).toBe(1);
  });
});
