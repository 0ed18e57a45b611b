import type { CycleDeps } from '../features/cycles/context.js';
import { registerCycles } from '../features/cycles/register.js';
import type { Services } from './services.js';

/** What the cycles feature is given: the database, the clock, and the way to the queues. */
export function cycleDepsOf(services: Services): CycleDeps {
  return {
    db: services.db,
    clock: services.clock,
    logger: services.logger,
    platforms: services.platforms,
    syncTimers: (ids) => services.timerJobs.sync(ids),
    pushOutbox: (ids) => services.deliveryJobs.push(ids),
  };
}

/** Every feature plugs its commands, buttons, forms and timer kinds in here. */
export function registerFeatures(services: Services): void {
  registerCycles(
    { commands: services.commands, interactions: services.interactions, timers: services.timerHandlers, memberReachable: services.memberReachableHooks },
    cycleDepsOf(services),
    () => services.config.publicUrl,
  );
}
