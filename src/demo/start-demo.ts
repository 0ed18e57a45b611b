// The zero-setup demo, as a function: embedded PostgreSQL, the bot on it (BullMQ on the same PostgreSQL unless
// a Redis URL is given), and the Agents Playground signed in as the demo member. `npm run demo` and the
// end-to-end test both call this.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DateTime } from 'luxon';
import type { TimerHandlerRegistry } from '../scheduler/timer-handlers.js';
import type { Runtime } from '../app/runtime.js';
import type { DemoClock } from './demo-clock.js';
import { startDemoRuntime } from './demo-runtime.js';
import { createFileLogger } from './demo-logger.js';
import { loadDemoPartnership, repoRoot } from './demo-partnership.js';
import { refuseIfRunning, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { startPlayground, type Playground } from './playground.js';
import { choosePort } from './ports.js';

export interface DemoOptions {
  /** Example partnership slug (examples/partnerships/<slug>.yaml). Default swindon. */
  partnership?: string;
  /** Parent of the per-partnership data folders. Default <repo>/.demo-data. */
  dataRoot?: string;
  /** Wipe the partnership's data folder first. */
  fresh?: boolean;
  /** Bot port; 0 = any free port. Default 3978, or any free port when that is taken. */
  port?: number;
  /** Playground port; 0 = any free port. Default 56150, or any free port when that is taken. */
  playgroundPort?: number;
  /** Use Redis for the queues instead of the embedded PostgreSQL. */
  redisUrl?: string;
  logLevel?: string;
  /** Timer kinds the features handle (the same registry `npm start` uses). */
  timerHandlers?: TimerHandlerRegistry;
  /** One-line notes for the console (a stale lock removed, a port taken). */
  onNote?: (line: string) => void;
  /** The real time the demo clock adds its offset to; default the machine's. Tests pin it. */
  realNow?: () => DateTime;
}

export interface Demo {
  /** The one URL to open: the Playground, signed in as the demo member. */
  url: string;
  botUrl: string;
  dataDir: string;
  logFile: string;
  partnershipName: string;
  demoMemberName: string;
  queue: 'postgres' | 'redis';
  runtime: Runtime;
  clock: DemoClock;
  /** Milliseconds spent in each start-up phase. */
  timings: Record<'postgres' | 'bot' | 'playground' | 'total', number>;
  stop(): Promise<void>;
}

export const freshCommand = 'npm run demo -- --fresh';

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const started = Date.now();
  const slug = options.partnership ?? 'swindon';
  const partnership = await loadDemoPartnership(slug);
  const dataDir = path.join(options.dataRoot ?? path.join(repoRoot, '.demo-data'), slug);
  if (options.fresh) {
    await refuseIfRunning(path.join(dataDir, 'pg'));
    await rm(dataDir, { recursive: true, force: true });
  }
  await mkdir(dataDir, { recursive: true });
  const botPort = await choosePort('bot', options.port, 3978, '--port');
  const playgroundPort = await choosePort('Agents Playground', options.playgroundPort, 56150, '--playground-port');

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const pgStarted = Date.now();
    const postgres: EmbeddedPostgres = await startEmbeddedPostgres({ dir: path.join(dataDir, 'pg'), logFile: path.join(dataDir, 'postgres.log'), freshCommand, onNote: options.onNote });
    cleanups.push(() => postgres.stop());
    await postgres.ensureDatabase('partnership_bot');
    const databaseUrl = postgres.url('partnership_bot');
    const pgMs = Date.now() - pgStarted;

    const botStarted = Date.now();
    const logFile = path.join(dataDir, 'bot.log');
    const { logger, close: closeLog } = createFileLogger(logFile, options.logLevel ?? 'info');
    cleanups.push(async () => closeLog());
    const { runtime, clock } = await startDemoRuntime({
      databaseUrl,
      partnership,
      port: botPort,
      logger,
      redisUrl: options.redisUrl,
      timerHandlers: options.timerHandlers,
      realNow: options.realNow,
    });
    cleanups.push(() => runtime.stop());
    const botMs = Date.now() - botStarted;

    const playgroundStarted = Date.now();
    const playground: Playground = await startPlayground({
      botEndpoint: `http://localhost:${botPort}/api/messages`,
      port: playgroundPort,
      dir: path.join(dataDir, 'playground'),
      tenantId: partnership.tenantId,
      currentUser: partnership.home,
      otherUsers: partnership.others,
    });
    cleanups.push(() => playground.stop());
    const playgroundMs = Date.now() - playgroundStarted;

    return {
      url: playground.url,
      botUrl: runtime.url ?? `http://127.0.0.1:${botPort}`,
      dataDir,
      logFile,
      partnershipName: partnership.config.partnership.name,
      demoMemberName: partnership.home.name,
      queue: options.redisUrl ? 'redis' : 'postgres',
      runtime,
      clock,
      timings: { postgres: pgMs, bot: botMs, playground: playgroundMs, total: Date.now() - started },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
