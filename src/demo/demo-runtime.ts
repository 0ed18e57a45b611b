// The bot as the demo runs it: the demo clock for the whole runtime, `demo as` through the resolveMemberId hook,
// the demo-only `demo` command, and the seeded story. Everything else is the ordinary runtime.
import type { DateTime } from 'luxon';
import { loadConfig } from '../config.js';
import { startRuntime, type Runtime } from '../app/runtime.js';
import type { Logger } from '../core/logger.js';
import type { TimerHandlerRegistry } from '../scheduler/timer-handlers.js';
import type { Db } from '../store/db.js';
import { actingResolver, findHomeMemberId } from './acting-as.js';
import { DemoClock } from './demo-clock.js';
import { demoCommand } from './demo-command.js';
import type { DemoPartnership } from './demo-partnership.js';
import { seedDemoStory } from './seed.js';
import { seedDemoDisputes } from './seed-disputes.js';
import { seedDemoReviews } from './seed-reviews.js';
import { seedDemoSection11 } from './seed-s11.js';

/** Why the demo's daily report lists nearly everyone: they are simulated people, and the Playground connects only you. */
export const DEMO_UNREACHABLE_NOTE =
  'In this demo everyone but you is a simulated person: the Playground connects only you, so nobody else has a chat with the bot. `demo as <role>` lets you act as one of them. On a real deployment each gets their messages once they install the bot.';

export interface DemoRuntimeOptions {
  databaseUrl: string;
  partnership: DemoPartnership;
  port: number;
  logger: Logger;
  /** Queues on Redis instead of on the demo's PostgreSQL. */
  redisUrl?: string;
  queuePrefix?: string;
  timerHandlers?: TimerHandlerRegistry;
  /** The real time the demo clock adds its offset to; default the machine's. Tests pin it. */
  realNow?: () => DateTime;
}

export interface DemoRuntime {
  runtime: Runtime;
  clock: DemoClock;
  /** The member the Playground signs in as. */
  homeMemberId: string | undefined;
}

export async function startDemoRuntime(options: DemoRuntimeOptions): Promise<DemoRuntime> {
  const { partnership, databaseUrl } = options;
  const config = loadConfig({
    PORT: String(options.port),
    // Teams authentication is off in the demo: only this machine may reach it.
    HOST: '127.0.0.1',
    // Any free port, so a demo beside a running bot (or another demo) never fights over the default.
    METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    PARTNERSHIP_CONFIG: partnership.file,
    LOG_LEVEL: options.logger.level,
    QUEUE_PREFIX: options.queuePrefix ?? `demo-${partnership.config.partnership.slug}`,
  });
  const clock = new DemoClock(options.realNow);
  let db: Db | undefined;
  let homeMemberId: string | undefined;
  const database = () => {
    if (!db) throw new Error('the demo database is not ready yet');
    return db;
  };
  const runtime = await startRuntime({
    config,
    clock,
    logger: options.logger,
    timerHandlers: options.timerHandlers,
    queueBackend: options.redisUrl ? { kind: 'redis', url: options.redisUrl, prefix: config.queuePrefix } : { kind: 'postgres', connectionString: databaseUrl },
    resolveMemberId: actingResolver(database, () => homeMemberId, partnership.home.aadObjectId),
    unreachableNote: DEMO_UNREACHABLE_NOTE,
    async configure(services) {
      db = services.db;
      await clock.attach(services.db);
      const row = await services.db.partnership.findUniqueOrThrow({ where: { slug: partnership.config.partnership.slug } });
      homeMemberId = await findHomeMemberId(services.db, row.id);
      services.commands.register('demo', demoCommand({ services, clock, homeMemberId: () => homeMemberId }));
      await seedDemoStory(services, { partnershipId: row.id, homeMemberId, clock });
      await seedDemoDisputes(services, { partnershipId: row.id, homeMemberId, clock });
      await seedDemoReviews(services, { partnershipId: row.id, homeMemberId, clock });
      await seedDemoSection11(services, { partnershipId: row.id, homeMemberId, clock });
    },
  });
  return { runtime, clock, homeMemberId };
}
