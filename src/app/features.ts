import { registerCycles } from '../features/cycles/register.js';
import type { Services } from './services.js';

/** Every feature plugs its commands, buttons, forms and timer kinds in here. */
export function registerFeatures(services: Services): void {
  registerCycles(
    { commands: services.commands, interactions: services.interactions, timers: services.timerHandlers },
    {
      db: services.db,
      clock: services.clock,
      logger: services.logger,
      platforms: services.platforms,
      syncTimers: (ids) => services.timerJobs.sync(ids),
      pushOutbox: (ids) => services.deliveryJobs.push(ids),
    },
    () => services.config.publicUrl,
  );
}
