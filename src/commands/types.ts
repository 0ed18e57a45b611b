import type { DateTime } from 'luxon';
import type { MemberProfile, PlatformIdentity } from '../directory/identity.js';
import type { Form, Message } from '../messaging/message.js';

export interface CommandRequest {
  identity: PlatformIdentity;
  /** Undefined when the person is not (yet) a member of any partnership. */
  profile?: MemberProfile;
  args: string[];
  now: DateTime;
}

export type CommandResult =
  /** A private answer to the person who typed the command. */
  | { kind: 'reply'; message: Message }
  /** Open a form (Slack modal / Teams card with inputs). */
  | { kind: 'form'; form: Form };

export type CommandHandler = (request: CommandRequest) => Promise<CommandResult>;

export function reply(message: Message): CommandResult {
  return { kind: 'reply', message };
}
