import { coreCommands, type CommandSpec } from '../commands/catalog.js';
import type { CommandRouter } from '../commands/router.js';
import type { ConfigSection } from '../directory/config-section.js';
import type { Feature, FeatureDeps } from '../features/contract.js';
import type { HttpRoute } from '../http/routes.js';
import type { InteractionRouter } from '../interactions/router.js';
import type { TimerHandlerRegistry } from '../scheduler/timer-handlers.js';
import type { Services } from './services.js';

/** Every command the bot knows: its own, then each feature's, in list order (help lists them so). */
export function commandCatalogOf(features: readonly Feature[]): CommandSpec[] {
  return [...coreCommands, ...features.flatMap((f) => f.commands)];
}

/** The partnership file's sections beyond the directory: one per feature that declares one. */
export function configSectionsOf(features: readonly Feature[]): ConfigSection[] {
  return features.flatMap((f) => (f.configSection ? [f.configSection] : []));
}

/** What every feature is given, from the runtime's services. */
export function featureDepsOf(services: Pick<Services, 'db' | 'clock' | 'logger' | 'platforms' | 'config' | 'timerJobs' | 'deliveryJobs'>): FeatureDeps {
  return {
    db: services.db,
    clock: services.clock,
    logger: services.logger,
    platforms: services.platforms,
    publicUrl: services.config.publicUrl,
    syncTimers: (ids) => services.timerJobs.sync(ids),
    pushOutbox: (ids) => services.deliveryJobs.push(ids),
    requeueOutbox: (ids) => services.deliveryJobs.requeue(ids),
  };
}

export interface InstalledFeatures {
  routes: HttpRoute[];
  memberReachableHooks: ((memberId: string) => Promise<void>)[];
  startHooks: (() => Promise<void>)[];
}

/**
 * Plugs each feature's parts into the routers. A feature must answer exactly the commands it declares, and no two
 * features may claim the same command, action, form or timer kind: both fail at start, never at the first click.
 */
export function installFeatures(
  features: readonly Feature[],
  deps: FeatureDeps,
  into: { commands: CommandRouter; interactions: InteractionRouter; timers: TimerHandlerRegistry },
): InstalledFeatures {
  const installed: InstalledFeatures = { routes: [], memberReachableHooks: [], startHooks: [] };
  for (const feature of features) {
    const parts = feature.install(deps);
    const declared = feature.commands.map((c) => c.name).sort();
    const answered = Object.keys(parts.commands).sort();
    if (declared.join() !== answered.join()) {
      throw new Error(`feature "${feature.name}" declares commands [${declared.join(', ')}] but answers [${answered.join(', ')}]`);
    }
    for (const [name, command] of Object.entries(parts.commands)) {
      if (typeof command === 'function') into.commands.register(name, command);
      else into.commands.register(name, command.handler, command);
    }
    for (const [id, handler] of Object.entries(parts.actions ?? {})) into.interactions.onAction(id, handler);
    for (const [id, handler] of Object.entries(parts.forms ?? {})) into.interactions.onForm(id, handler);
    for (const [kind, handler] of Object.entries(parts.timers ?? {})) into.timers.register(kind, handler);
    installed.routes.push(...(parts.routes ?? []));
    if (parts.onMemberReachable) installed.memberReachableHooks.push(parts.onMemberReachable);
    if (parts.onStart) installed.startHooks.push(parts.onStart);
  }
  return installed;
}
