import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parse, stringify } from 'yaml';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startRuntime, type Runtime, type Role } from '../../src/app/runtime.js';
import type { Clock } from '../../src/core/clock.js';
import { createLogger, type Logger } from '../../src/core/logger.js';
import type { TimerHandlerRegistry } from '../../src/scheduler/timer-handlers.js';
import type { Feature } from '../../src/features/contract.js';
import { migratedDatabase, type ScratchDatabase } from './database.js';
import { FakeBotConnector } from './fake-bot-connector.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { testClock } from './test-clock.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const examplePartnership = (name: string) => path.join(repoRoot, 'examples/partnerships', `${name}.yaml`);
export const slackSigningSecret = 'test-signing-secret-0123456789abcdef';
export const slackBotToken = 'xoxb-test-token';
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Timings the tests shorten (under vitest only: a bench started through startBot keeps the production ones). Every
 * test talks to one fake Slack and one fake Bot Connector, so a card sent to ten people is ten sends to one host, and
 * the delivery worker lets only 4 be in flight per host: the others look again after DELIVERY_HOST_BUSY_RETRY_MS.
 * At the production 1 s, each such fan-out waited a second or more for nothing (the largest fixed wait in the suite);
 * the gate itself works the same. delivery-hung-hosts.test.ts runs with the production value.
 */
export const testTimingsEnv: Record<string, string> = process.env.VITEST ? { DELIVERY_HOST_BUSY_RETRY_MS: '100' } : {};

export interface BotHarnessOptions {
  slack?: boolean;
  teams?: boolean | { appId: string; appPassword: string };
  /** Example partnership imported at start (default swindon); null for none. */
  partnership?: string | null;
  /**
   * Let the example's recurring plans start by themselves (default false: their `recurs:` is taken out, and plans
   * run for several groups are left out, so that no test depends on which recurring dates fall near the day it runs).
   */
  recurringPlans?: boolean;
  /** Default: a ManualClock standing at testNow() (PBOT_TEST_CLOCK when set, else the machine's time). */
  clock?: Clock;
  timerHandlers?: TimerHandlerRegistry;
  /** The features to run (default: the bot's list, src/app/features.ts). */
  features?: readonly Feature[];
  role?: Role;
  env?: Record<string, string>;
  /** Default: a logger at TEST_LOG_LEVEL (silent). Pass one with a destination stream to read what the bot logs. */
  logger?: Logger;
  /** Said in the daily report of unreachable members (the demo passes its own). */
  unreachableNote?: string;
  /** Runs after the fake Slack API and Bot Connector start and before the bot does, e.g. to queue faults. */
  beforeStart?: (fakes: { slackApi: FakeSlackApi; connector: FakeBotConnector }) => void;
}

export interface BotHarness {
  runtime: Runtime;
  url: string;
  db: Runtime['services']['db'];
  database: ScratchDatabase;
  slackApi: FakeSlackApi;
  connector: FakeBotConnector;
  queuePrefix: string;
  /**
   * Stops the bot as a crash or deploy would (the database and Redis stay) and starts it again on the same ones.
   * `whileDown` runs in between, e.g. to move the clock or edit the partnership file the config points at.
   */
  restart(whileDown?: (config: AppConfig) => Promise<void> | void): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the whole bot in-process against a fresh, migrated PostgreSQL database and the real local Redis (its own
 * queue prefix), with Slack's Web API and the Bot Connector faked by local HTTP servers.
 */
export async function startBot(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const database = await migratedDatabase('bot');
  const slackApi = new FakeSlackApi({ token: slackBotToken });
  const connector = new FakeBotConnector();
  const slackApiUrl = await slackApi.start();
  await connector.start();
  const queuePrefix = `t${randomUUID().slice(0, 8)}`;
  const partnership = options.partnership === undefined ? 'swindon' : options.partnership;
  const teams = options.teams ?? true;
  const env: Record<string, string> = {
    PORT: '0',
    METRICS_PORT: '0',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...testTimingsEnv,
    ...(options.slack === false ? {} : { SLACK_SIGNING_SECRET: slackSigningSecret, SLACK_BOT_TOKEN: slackBotToken, SLACK_API_URL: slackApiUrl }),
    ...(teams === true ? { TEAMS_ALLOW_UNAUTHENTICATED: 'true' } : {}),
    ...(typeof teams === 'object' ? { MICROSOFT_APP_ID: teams.appId, MICROSOFT_APP_PASSWORD: teams.appPassword } : {}),
    ...(partnership ? { PARTNERSHIP_CONFIG: options.recurringPlans ? examplePartnership(partnership) : await withoutRecurrence(examplePartnership(partnership), queuePrefix) } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  options.beforeStart?.({ slackApi, connector });
  const clock = options.clock ?? testClock();
  const start = () => startRuntime({
    config,
    role: options.role,
    clock,
    timerHandlers: options.timerHandlers,
    ...(options.features ? { features: options.features } : {}),
    ...(options.unreachableNote ? { unreachableNote: options.unreachableNote } : {}),
    logger: options.logger ?? createLogger(env.LOG_LEVEL),
  });
  const runtime = await start();
  const harness: BotHarness = {
    runtime,
    url: runtime.url ?? '',
    db: runtime.services.db,
    database,
    slackApi,
    connector,
    queuePrefix,
    async restart(whileDown) {
      await harness.runtime.stop();
      await whileDown?.(config);
      harness.runtime = await start();
      harness.url = harness.runtime.url ?? '';
      harness.db = harness.runtime.services.db;
    },
    async stop() {
      await harness.runtime.stop();
      await slackApi.stop();
      await connector.stop();
      await database.drop();
      await rm(path.join(tmpdir(), `pbot-${queuePrefix}.yaml`), { force: true });
    },
  };
  return harness;
}

/** A copy of a partnership file whose plans only start by hand (see `recurringPlans`). */
export async function withoutRecurrence(file: string, name: string): Promise<string> {
  const config = parse(await readFile(file, 'utf8')) as { plans?: Record<string, unknown>[] };
  config.plans = config.plans?.filter((plan) => plan.forEachGroup === undefined).map(({ recurs: _recurs, ...plan }) => plan);
  const copy = path.join(tmpdir(), `pbot-${name}.yaml`);
  await writeFile(copy, stringify(config));
  return copy;
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Waits until no outbox row is pending. On timeout the error lists what is left and where each row's delivery job
 * is, so a failure in CI says why without a rerun. `reconcileEveryMs` runs the reconcile meanwhile, as the bot's own
 * schedule would (every five minutes by default), for long runs where a job may have been stranded.
 */
export async function outboxDrained(bot: BotHarness, timeoutMs = 20_000, options: { reconcileEveryMs?: number } = {}): Promise<void> {
  const pending = () => bot.db.outboxMessage.findMany({ where: { status: 'pending' }, take: 20, orderBy: { createdAt: 'asc' } });
  let reconciledAt = Date.now();
  const drained = async () => {
    if (options.reconcileEveryMs && Date.now() - reconciledAt > options.reconcileEveryMs) {
      await bot.runtime.reconcileNow();
      reconciledAt = Date.now();
    }
    return (await pending()).length === 0;
  };
  try {
    await eventually(drained, timeoutMs, 'outbox drained');
  } catch (error) {
    const rows = await pending();
    const lines = await Promise.all(rows.map(async (r) => {
      const job = await bot.runtime.services.queues.delivery.getJob(r.id);
      const state = job ? await job.getState() : 'no job';
      const updateOf = (r.payload as { updateOf?: string | null }).updateOf ?? '-';
      return `${r.id} ${r.platform} ${r.operation} updateOf=${updateOf} attempts=${r.attempts} job=${state}(made ${job?.attemptsMade ?? '-'}) sendingSince=${r.sendingSince?.toISOString() ?? '-'} created=${r.createdAt.toISOString()} lastError=${r.lastError ?? '-'}`;
    }));
    throw new Error(`${(error as Error).message}; still pending:\n${lines.join('\n')}`);
  }
}

/**
 * Fires every pending timer due by `until`, one at a time at its own instant (the clock set to it, as the scheduler
 * would run it), then leaves the clock at `until`. Deliveries are not waited for: follow with outboxDrained.
 */
export async function fireTimersUntil(bot: BotHarness, clock: { set(at: DateTime): void }, until: string | Date, timerTimeoutMs = 10_000): Promise<void> {
  const limit = new Date(until);
  for (let guard = 0; guard < 200; guard++) {
    const next = await bot.db.timer.findFirst({ where: { status: 'pending', dueAt: { lte: limit } }, orderBy: { dueAt: 'asc' } });
    if (!next) break;
    clock.set(DateTime.fromJSDate(next.dueAt));
    await bot.runtime.reconcileNow();
    await eventually(async () => (await bot.db.timer.findUnique({ where: { id: next.id } }))?.status !== 'pending', timerTimeoutMs, `timer ${next.key}`);
  }
  clock.set(DateTime.fromJSDate(limit));
}
