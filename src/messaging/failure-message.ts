import { BotError } from '../core/errors.js';
import type { Message } from './message.js';

/** What a person sees when their request failed: our own errors carry a safe message, anything else a generic one. */
export function failureMessage(error: unknown): Message {
  const text =
    error instanceof BotError
      ? error.userMessage
      : 'Sorry, something went wrong on our side and nothing was changed. Please try again in a minute; if it keeps happening, tell your business unit.';
  return { text, sections: [{ kind: 'text', text }] };
}
