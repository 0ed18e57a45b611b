// A bot running as its own OS process (see bot-process.ts) against a scratch database, its own Redis prefix and a
// fake Slack API: what the crash tests need to SIGKILL it and start it again. Nothing is started until `bot.start()`.
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../src/store/db.js';
import { redisUrl, slackBotToken, slackSigningSecret } from './bot-harness.js';
import { BotProcess, botProcessEnv, type ProcessRole } from './bot-process.js';
import { migratedDatabase, type ScratchDatabase } from './database.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { deleteKeysWithPrefix } from './redis-prefix.js';

export interface SlackBotProcess {
  database: ScratchDatabase;
  /** The test's own connection to the bot's database. */
  db: Db;
  slackApi: FakeSlackApi;
  bot: BotProcess;
  queuePrefix: string;
  /** Kills the process and removes the database, the Redis keys and the fake API. */
  stop(): Promise<void>;
}

export interface SlackBotProcessOptions {
  /** Names the scratch database. */
  name: string;
  role: ProcessRole;
  partnershipConfig?: string;
  /** Environment beyond the defaults (see `botProcessEnv`). */
  env?: Record<string, string>;
  /** Each fake Slack call takes this long, so several sends are in flight at any moment. */
  slackLatencyMs?: number;
}

export async function slackBotProcess(options: SlackBotProcessOptions): Promise<SlackBotProcess> {
  const queuePrefix = `t${randomUUID().slice(0, 8)}`;
  const database = await migratedDatabase(options.name);
  const db = createDb(database.url);
  const slackApi = new FakeSlackApi({ token: slackBotToken });
  if (options.slackLatencyMs) slackApi.latencyMs = options.slackLatencyMs;
  const slackApiUrl = await slackApi.start();
  const bot = new BotProcess({
    role: options.role,
    env: botProcessEnv({
      databaseUrl: database.url,
      redisUrl,
      queuePrefix,
      slackApiUrl,
      slackSigningSecret,
      slackBotToken,
      ...(options.partnershipConfig ? { partnershipConfig: options.partnershipConfig } : {}),
      ...(options.env ? { extra: options.env } : {}),
    }),
  });
  return {
    database,
    db,
    slackApi,
    bot,
    queuePrefix,
    async stop() {
      await bot.kill();
      await db.$disconnect();
      await slackApi.stop();
      await database.drop();
      await deleteKeysWithPrefix(queuePrefix);
    },
  };
}
