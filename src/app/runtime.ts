import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Settings } from 'luxon';
import type { Worker } from 'bullmq';
import type { AppConfig } from '../config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import { CommandRouter } from '../commands/router.js';
import type { MemberIdResolver } from '../directory/member-lookup.js';
import { importPartnership } from '../directory/import-partnership.js';
import { createHttpApp, finishHttpApp } from '../http/server.js';
import { listenOn } from '../http/listen.js';
import { startMetricsServer, type MetricsServer } from '../http/metrics-server.js';
import { mountRoutes, routePrefix } from '../http/routes.js';
import { createMetrics } from '../http/metrics.js';
import { queuePushReporter } from './queue-push-reporter.js';
import { mountFileLinks } from '../http/file-links.js';
import { FILE_LINKS_PATH, FileLinkSigner } from '../messaging/file-link-signer.js';
import { DeliveryJobs } from '../messaging/delivery-jobs.js';
import { createDeliveryProcessor } from '../messaging/delivery-worker.js';
import type { PlatformSender } from '../messaging/outbound.js';
import { defaultPolicies, MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../messaging/rate-limiter.js';
import { DestinationGate } from '../messaging/destination-gate.js';
import { sendUnreachableDigests } from '../messaging/unreachable-digest.js';
import { reportDeadLetters } from '../messaging/dead-letter-report.js';
import { mountSlack } from '../platforms/slack/slack-app.js';
import { SlackSender } from '../platforms/slack/sender.js';
import { createTeamsAdapter } from '../platforms/teams/adapter.js';
import { mountTeams, refuseTeams } from '../platforms/teams/mount.js';
import type { Feature } from '../features/contract.js';
import { TeamsSender } from '../platforms/teams/sender.js';
import { createQueueKit, type QueueBackend } from '../scheduler/queue-kit.js';
import { reconcile } from '../scheduler/reconcile.js';
import { createFlushWatch } from '../scheduler/flush-watch.js';
import { TimerHandlerRegistry } from '../scheduler/timer-handlers.js';
import { TimerJobs } from '../scheduler/timer-jobs.js';
import { createTimerProcessor } from '../scheduler/timer-worker.js';
import { createDb } from '../store/db.js';
import { forgetInboundOlderThan } from '../store/inbound-receipts.js';
import { applyMigrations } from '../store/migrations.js';
import type { Services } from './services.js';
import { features as defaultFeatures } from './features.js';
import { InteractionRouter } from '../interactions/router.js';
import { commandCatalogOf, featureDepsOf, installFeatures } from './install-features.js';
import { createInboundPort } from './inbound.js';
import { answerUnfinishedCommands } from './unfinished-commands.js';
import { workerErrorLogger } from '../scheduler/worker-errors.js';
import { loadPartnershipFile } from './partnership-file.js';
import { databaseReachable } from '../store/db.js';

Settings.defaultLocale = 'en-GB';

export type Role = 'all' | 'web' | 'worker';

/** How often worker processes look for a flushed Redis (one EXISTS). */
const flushCheckEveryMs = 5_000;

export interface RuntimeOptions {
  config: AppConfig;
  role?: Role;
  clock?: Clock;
  logger?: Logger;
  /** Default: Redis at config.redisUrl. The demo passes PostgreSQL. */
  queueBackend?: QueueBackend;
  /** Features register their timer kinds here. */
  timerHandlers?: TimerHandlerRegistry;
  /** Who a platform identity is (default: the directory). The demo overrides it to act as another role. */
  resolveMemberId?: MemberIdResolver;
  /** The features to run (default: src/app/features.ts). */
  features?: readonly Feature[];
  /** Last chance to add commands or timer handlers once services exist, before anything is served. */
  configure?: (services: Services) => void | Promise<void>;
  /** Said in the daily report of unreachable members (the demo explains that its people are simulated). */
  unreachableNote?: string;
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean;
}

export interface Runtime {
  services: Services;
  /** Base URL of the HTTP server when the web role runs. */
  url?: string;
  /** Where the public server listens (config.host and port) when the web role runs. */
  address?: AddressInfo;
  /** The loopback-only metrics server's base URL, unless METRICS_PORT=off (or its port was taken). */
  metricsUrl?: string;
  reconcileNow(): Promise<Awaited<ReturnType<typeof reconcile>>>;
  stop(): Promise<void>;
}

/** Builds and starts the bot: web server, workers, or both (the default), on one PostgreSQL and one queue backend. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const features = options.features ?? defaultFeatures;

  if (options.migrate !== false) {
    const { applied } = await applyMigrations(config.databaseUrl, { log: (msg) => logger.info(msg) });
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  }
  const db = createDb(config.databaseUrl, config.databaseRole);

  if (config.partnershipConfigPath) {
    const partnership = await loadPartnershipFile(config.partnershipConfigPath, features);
    const summary = await importPartnership(db, partnership);
    logger.info({ partnership: summary.slug, unchanged: summary.unchanged, created: summary.created, updated: summary.updated, deactivated: summary.deactivated }, 'partnership directory imported');
  }

  const queues = createQueueKit(options.queueBackend ?? { kind: 'redis', url: config.redisUrl, prefix: config.queuePrefix });
  const metrics = createMetrics();
  const queuePushRetry = { observer: queuePushReporter(logger, metrics), ready: () => queues.reachable() };
  const timerJobs = new TimerJobs(queues.timers, db, clock, queuePushRetry);
  const deliveryJobs = new DeliveryJobs(queues.delivery, queuePushRetry, config.deliveryRetry);
  const commands = new CommandRouter({ db, clock, catalog: commandCatalogOf(features), resolveMemberId: options.resolveMemberId });
  const interactions = new InteractionRouter({ db, clock, resolveMemberId: options.resolveMemberId });
  const timerHandlers = TimerHandlerRegistry.including(options.timerHandlers);
  const platforms = { slack: Boolean(config.slack), teams: Boolean(config.teams) };
  const installed = installFeatures(features, featureDepsOf({ db, clock, logger, platforms, config, timerJobs, deliveryJobs }), { commands, interactions, timers: timerHandlers });
  const services: Services = {
    config,
    db,
    clock,
    logger,
    queues,
    timerJobs,
    deliveryJobs,
    commands,
    interactions,
    timerHandlers,
    inbound: createInboundPort({ db, logger, metrics, deliveryJobs, platforms, commands, interactions, memberReachableHooks: installed.memberReachableHooks, queuesReachable: () => queues.reachable() }),
    platforms,
    metrics,
  };

  logger.info({ slack: services.platforms.slack, teams: services.platforms.teams, role, queue: queues.backend }, 'platforms');
  for (const note of config.notes) logger.info(note);
  if (config.teams?.unauthenticated) {
    logger.warn('!!! TEAMS AUTHENTICATION IS OFF (TEAMS_ALLOW_UNAUTHENTICATED=true): anyone who can reach /api/messages can talk to the bot. Local development only. !!!');
  }

  await options.configure?.(services);

  const flushWatch = createFlushWatch({ redis: queues.redis, key: `${config.queuePrefix}:reconciled`, reconcile: () => reconcileNow(), logger });
  const reconcileNow = async () => {
    // Marked before rebuilding: a flush during the rebuild deletes the marker again, and the watch rebuilds once more.
    await flushWatch.mark();
    return reconcile({ db, queues, timerJobs, deliveryJobs, logger });
  };
  // What was written while Redis was away (replies, timers) is queued as soon as it is back, not at the next reconcile.
  queues.onReconnect(() => {
    logger.info('the queue backend is back; queuing what was written while it was away');
    void reconcileNow().catch((err: Error) => logger.warn({ err: err.message }, 'could not queue what was written while the queue backend was away'));
  });
  let server: Server | undefined;
  let url: string | undefined;
  let address: AddressInfo | undefined;
  const workers: Worker[] = [];
  let scheduleGuard: NodeJS.Timeout | undefined;
  const senders: Partial<Record<'slack' | 'teams', PlatformSender>> = {};
  // Short-lived signed links to files in Teams messages; web and worker processes must share FILE_LINK_SECRET.
  const fileLinks = new FileLinkSigner({ secret: config.fileLinkSecret, publicUrl: config.publicUrl, clock });
  if (config.slack) senders.slack = new SlackSender({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl, callTimeoutMs: config.platformCallTimeoutMs });

  const queueCounts = () => Promise.all([queues.timers, queues.delivery, queues.maintenance].map(async (q) => ({ queue: q.name, counts: await q.getJobCounts('waiting', 'active', 'delayed', 'failed') })));
  // Every role counts something (the web role requests, the worker role deliveries), so each serves its own.
  const metricsServer: MetricsServer | undefined = config.metricsPort === undefined ? undefined : await startMetricsServer({ port: config.metricsPort, metrics, logger, queueCounts });
  if (role !== 'worker') {
    const app = createHttpApp({
      logger,
      metrics,
      readiness: [
        { name: 'database', check: () => databaseReachable(db) },
        { name: queues.backend, check: () => queues.ping() },
        // Down after a Redis flush until the queues are rebuilt (which this check sets off at once).
        { name: 'queues', check: () => flushWatch.intact() },
      ],
      queueCounts,
      routePrefixes: [...installed.routes.map(routePrefix), FILE_LINKS_PATH],
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
    });
    mountRoutes(app, installed.routes);
    mountFileLinks(app, { db, signer: fileLinks, logger });
    if (config.slack) mountSlack(app, config.slack, services.inbound);
    if (config.teams) {
      const adapter = createTeamsAdapter(config.teams, logger);
      mountTeams(app, adapter, services.inbound);
      senders.teams = new TeamsSender(adapter, db, config.teams.appId ?? '', fileLinks, config.platformCallTimeoutMs);
    } else refuseTeams(app);
    finishHttpApp(app, logger);
    ({ server, address, url } = await listenOn(app, config.port, config.host));
    logger.info({ url, host: config.host, metrics: metricsServer?.url }, 'listening');
  } else if (config.teams) {
    senders.teams = new TeamsSender(createTeamsAdapter(config.teams, logger), db, config.teams.appId ?? '', fileLinks, config.platformCallTimeoutMs);
  }

  // The daily report of members the bot could not reach, checked at each maintenance run (every few minutes).
  const sendDigests = () =>
    sendUnreachableDigests({ db, platforms, pushOutbox: (ids) => deliveryJobs.push(ids), note: options.unreachableNote }, clock.now()).catch((err: Error) =>
      logger.error({ err: err.message }, 'could not send the daily report of unreachable members'),
    );

  // Messages that could not be delivered since the last run, told to each partnership's admins in one message.
  const reportFailures = () =>
    reportDeadLetters({ db, platforms, logger, pushOutbox: (ids) => deliveryJobs.push(ids) }).catch((err: Error) =>
      logger.error({ err: err.message }, 'could not report undeliverable messages to the admins'),
    );

  if (role !== 'web') {
    const policies = config.deliveryRatePerSecond
      ? { slack: { capacity: config.deliveryRatePerSecond, refillPerSecond: config.deliveryRatePerSecond }, teams: { capacity: config.deliveryRatePerSecond, refillPerSecond: config.deliveryRatePerSecond } }
      : defaultPolicies;
    const limiter: RateLimiter = queues.redis ? new RedisRateLimiter(queues.redis, `${config.queuePrefix}:rate`, policies) : new MemoryRateLimiter(policies);
    const handlers = services.timerHandlers;
    workers.push(
      queues.createWorker('timers', createTimerProcessor({ db, clock, handlers, logger, onFired: (kind) => metrics.timersFired.inc({ kind }) }), { concurrency: 5 }),
      queues.createWorker(
        'delivery',
        createDeliveryProcessor({
          db,
          senders,
          limiter,
          logger,
          observer: {
            sent: (platform) => metrics.deliveries.inc({ platform }),
            failed: (platform, reason) => metrics.deliveryFailures.inc({ platform, reason }),
            rateLimited: (platform) => metrics.rateLimited.inc({ platform }),
            inDoubt: (platform) => metrics.deliveriesInDoubt.inc({ platform }),
          },
          // At most 4 of the 10 slots per host: two hung hosts still leave slots for everyone else.
          destinations: new DestinationGate(4),
          destinationBusyRetryMs: config.deliveryHostBusyRetryMs,
        }),
        // A killed worker's jobs stay active until their lock lapses and a stalled check sees it twice: with BullMQ's
        // 30 s defaults its messages waited a minute or more after a restart. The lock is renewed every 5 s while a
        // send runs, so only a process frozen for 10 s loses a job it still holds.
        { concurrency: 10, lockDuration: 10_000, stalledInterval: 5_000 },
      ),
      queues.createWorker('maintenance', async () => {
        await reconcileNow();
        await answerUnfinishedCommands({ db, port: services.inbound, logger }, { graceMs: config.recoverUnansweredAfterSeconds * 1000 });
        await sendDigests();
        await reportFailures();
        await forgetInboundOlderThan(db, new Date(Date.now() - 7 * 24 * 3600 * 1000));
        return 'ok';
      }),
    );
    for (const w of workers) w.on('error', workerErrorLogger(logger, w.name));
    for (const hook of installed.startHooks) {
      await hook().catch((err: Error) => logger.error({ err: err.message }, 'a feature could not finish its start-up work'));
    }
    await reconcileNow();
    await answerUnfinishedCommands({ db, port: services.inbound, logger }, { graceMs: config.recoverUnansweredAfterSeconds * 1000 });
    await sendDigests();
    await reportFailures();
    // One reconcile per interval across all worker processes. Re-asserted on a local timer because a flushed Redis
    // forgets job schedulers too, and then nothing would be left to put the timers back.
    const ensureReconcileSchedule = () =>
      queues.maintenance
        .upsertJobScheduler('reconcile', { every: config.reconcileEverySeconds * 1000 }, { name: 'reconcile', opts: { removeOnComplete: true, removeOnFail: 100 } })
        .catch((err: Error) => logger.warn({ err: err.message }, 'could not schedule reconcile'));
    await ensureReconcileSchedule();
    scheduleGuard = setInterval(() => void ensureReconcileSchedule(), config.reconcileEverySeconds * 1000);
    scheduleGuard.unref();
    flushWatch.watch(flushCheckEveryMs);
  }

  return {
    services,
    url,
    address,
    metricsUrl: metricsServer?.url,
    reconcileNow,
    async stop() {
      clearInterval(scheduleGuard);
      flushWatch.stop();
      await metricsServer?.close();
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      await Promise.allSettled(workers.map((w) => w.close()));
      await queues.close();
      await db.$disconnect();
    },
  };
}
