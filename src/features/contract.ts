// What a feature is. A feature is one folder under src/features/ whose index.ts exports one `Feature`; the app's
// list (src/app/features.ts) is the only place that names it. Plumbing (commands/, directory/, http/, platforms/,
// interactions/, scheduler/, messaging/) never imports a feature: it is handed what the feature declares.
import type { CommandSpec } from '../commands/catalog.js';
import type { CommandOptions } from '../commands/router.js';
import type { CommandHandler } from '../commands/types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ConfigSection } from '../directory/config-section.js';
import type { HttpRoute } from '../http/routes.js';
import type { ActionHandler, FormHandler } from '../interactions/types.js';
import type { EnabledPlatforms } from '../messaging/recipients.js';
import type { TimerHandler } from '../scheduler/timer-handlers.js';
import type { Db } from '../store/db.js';
import type { QueuePushes } from '../workflow/effects.js';

/** What every feature is given: passed in, never imported (with the after-commit queue pushes of QueuePushes). */
export interface FeatureDeps extends QueuePushes {
  db: Db;
  clock: Clock;
  logger: Logger;
  platforms: EnabledPlatforms;
  /** The bot's public base URL, for links it hands out (calendar feeds). */
  publicUrl: string;
  /** Queues outbox rows again whose delivery job had failed for good (dead letters an admin retries). */
  requeueOutbox(ids: readonly string[]): Promise<void>;
}

export type FeatureCommand = CommandHandler | ({ handler: CommandHandler } & CommandOptions);

/** The working parts of a feature, made once its dependencies exist. Keys are ids: command names, action ids, form callback ids, timer kinds. */
export interface FeatureParts {
  /** One handler for every command the feature declares, and no other. */
  commands: Record<string, FeatureCommand>;
  actions?: Record<string, ActionHandler>;
  forms?: Record<string, FormHandler>;
  timers?: Record<string, TimerHandler>;
  routes?: readonly HttpRoute[];
  /**
   * Someone the bot could not reach before now can be (they installed the app), or opened a chat with it again (a new
   * chat, or the Playground's one chat reopened empty on every reload): send what was waiting for them, as notices
   * with `oncePerConversation`.
   */
  onMemberReachable?(memberId: string): Promise<void>;
  /**
   * Runs once the workers are up, after the partnership file was imported (so after every edit of it and every
   * restart): e.g. write down the coming occurrences of recurring plans. Must be idempotent.
   */
  onStart?(): Promise<void>;
}

export interface Feature {
  /** The folder's name, e.g. `cycles`. */
  name: string;
  /** Its commands as help and the app manifests list them (the catalog entries). */
  commands: readonly CommandSpec[];
  /** Its section of the partnership YAML (e.g. `plans:`), validated with the same precise errors as the directory. */
  configSection?: ConfigSection;
  /**
   * The Prisma models it owns (as in prisma/schema.prisma). Only this feature's folder reads or writes them; a test
   * holds every feature to it, so, for example, Practice Review Group material cannot leak through another feature.
   */
  models: readonly string[];
  /** Makes its handlers; called once per runtime. */
  install(deps: FeatureDeps): FeatureParts;
}

/** Declares a feature; the identity function gives a feature file its type checks without a cast. */
export function defineFeature(feature: Feature): Feature {
  return feature;
}
