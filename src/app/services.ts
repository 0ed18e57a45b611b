import type { AppConfig } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { CommandRouter } from '../commands/router.js';
import type { DeliveryJobs } from '../messaging/delivery-jobs.js';
import type { EnabledPlatforms } from '../messaging/recipients.js';
import type { QueueKit } from '../scheduler/queue-kit.js';
import type { TimerJobs } from '../scheduler/timer-jobs.js';
import type { Db } from '../store/db.js';
import type { Metrics } from '../http/metrics.js';
import type { InboundPort } from '../interactions/inbound-port.js';
import type { InteractionRouter } from '../interactions/router.js';
import type { TimerHandlerRegistry } from '../scheduler/timer-handlers.js';

/**
 * Everything the runtime made, for the composition root, the demo and tests (no globals). Platform adapters never
 * see it: they get `inbound`, the narrow port.
 */
export interface Services {
  config: AppConfig;
  db: Db;
  clock: Clock;
  logger: Logger;
  queues: QueueKit;
  timerJobs: TimerJobs;
  deliveryJobs: DeliveryJobs;
  commands: CommandRouter;
  interactions: InteractionRouter;
  timerHandlers: TimerHandlerRegistry;
  inbound: InboundPort;
  platforms: EnabledPlatforms;
  metrics: Metrics;
}
