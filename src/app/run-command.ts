import type { CommandResult } from '../commands/types.js';
import { parseCommand } from '../commands/parse.js';
import { findCommand } from '../commands/catalog.js';
import type { PlatformIdentity } from '../directory/identity.js';
import { failureMessage } from '../messaging/failure-message.js';
import type { Services } from './services.js';

/** Runs a command; an unexpected failure becomes a polite answer instead of silence. */
export async function runCommand(services: Services, text: string, identity: PlatformIdentity, platform: string): Promise<CommandResult> {
  try {
    const result = await services.commands.run(text, identity);
    const name = parseCommand(text).name || 'help';
    services.metrics.commands.inc({ platform, command: findCommand(name) ? name : 'unknown' });
    return result;
  } catch (error) {
    services.logger.error({ err: error instanceof Error ? error.message : String(error), platform }, 'command failed');
    return { kind: 'reply', message: failureMessage(error) };
  }
}
