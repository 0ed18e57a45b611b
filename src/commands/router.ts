import type { Clock } from '../core/clock.js';
import type { PlatformIdentity } from '../directory/identity.js';
import { partnershipContactsFor, profileLoader, type MemberIdResolver } from '../directory/member-lookup.js';
import type { Db } from '../store/db.js';
import { assertUniqueCommands, type CommandSpec } from './catalog.js';
import { helpMessage, unknownCommandMessage } from './help.js';
import { parseCommand } from './parse.js';
import { withShortQuotes } from './short-quote.js';
import { reply, type CommandHandler, type CommandResult } from './types.js';
import { strangerMessage, whoamiMessage } from './whoami.js';
import { BotError } from '../core/errors.js';
import { auditRefusal } from '../interactions/refusal-audit.js';

export interface CommandOptions {
  /** Default true: strangers get "ask to be added" instead. */
  membersOnly?: boolean;
  /** Whether the handler reads the member's profile (roles, groups); skipping it saves several queries. */
  needsProfile?: boolean;
}

interface Registration {
  handler: CommandHandler;
  membersOnly: boolean;
  needsProfile: boolean;
}

/** Same words on both platforms: Slack and Teams adapters hand the raw text here and render what comes back. */
export class CommandRouter {
  private readonly registrations = new Map<string, Registration>();
  private readonly profileOf: ReturnType<typeof profileLoader>;
  private readonly catalog: readonly CommandSpec[];

  constructor(private readonly deps: { db: Db; clock: Clock; catalog: readonly CommandSpec[]; resolveMemberId?: MemberIdResolver }) {
    assertUniqueCommands(deps.catalog);
    this.catalog = deps.catalog;
    this.profileOf = profileLoader(deps.db, deps.resolveMemberId);
    // Help depends on who asks only when some command is limited to an audience.
    const helpNeedsProfile = this.catalog.some((c) => c.audience !== undefined);
    this.register('help', async ({ profile }) => reply(helpMessage(this.available(), profile)), { membersOnly: false, needsProfile: helpNeedsProfile });
    this.register(
      'whoami',
      async ({ profile, identity }) =>
        reply(profile ? whoamiMessage(profile) : strangerMessage(identity, await partnershipContactsFor(this.deps.db, identity))),
      { membersOnly: false },
    );
  }

  /** Registers a command; its name must be in the catalog, so help and the manifests never miss it. */
  register(name: string, handler: CommandHandler, options: CommandOptions = {}): this {
    if (!this.spec(name)) throw new Error(`command "${name}" is not in the command catalog: declare it in its feature's commands`);
    if (this.registrations.has(name)) throw new Error(`command "${name}" is registered twice`);
    this.registrations.set(name, { handler, membersOnly: options.membersOnly ?? true, needsProfile: options.needsProfile ?? true });
    return this;
  }

  get names(): string[] {
    return [...this.registrations.keys()];
  }

  /** The catalog entry for a word, registered or not. */
  spec(name: string): CommandSpec | undefined {
    return this.catalog.find((c) => c.name === name.toLowerCase());
  }

  /** Whether a word reaches a handler here (for metrics labels: unknown words are counted as one). */
  knows(name: string): boolean {
    return this.registrations.has(name.toLowerCase());
  }

  /** Demo mode: the demo registered its demo-only commands (nothing else can). */
  get demoMode(): boolean {
    return this.catalog.some((c) => c.demoOnly && this.registrations.has(c.name));
  }

  /** Every command that exists here: demo-only ones only where they are registered. */
  available(): CommandSpec[] {
    return this.catalog.filter((spec) => !spec.demoOnly || this.registrations.has(spec.name));
  }

  async run(text: string, identity: PlatformIdentity): Promise<CommandResult> {
    const { name, args } = parseCommand(text);
    const registration = this.registrations.get(name || 'help');
    if (!registration) return reply(unknownCommandMessage(name, this.available()));
    const profile = registration.needsProfile || registration.membersOnly ? await this.profileOf(identity) : undefined;
    if (registration.membersOnly && !profile) {
      await auditRefusal(this.deps.db, { identity, what: name, refusal: { reason: 'not-a-member' } });
      return reply(strangerMessage(identity, await partnershipContactsFor(this.deps.db, identity)));
    }
    try {
      return await registration.handler({ identity, profile, args, now: this.deps.clock.now() });
    } catch (error) {
      // Only the command's name is recorded (a registered word), never what followed it.
      if (error instanceof BotError && error.refusal) await auditRefusal(this.deps.db, { identity, profile, what: name, refusal: error.refusal });
      throw error instanceof BotError ? withShortQuotes(error, args) : error;
    }
  }
}
