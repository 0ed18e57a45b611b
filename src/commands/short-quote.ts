import { BotError } from '../core/errors.js';

/** The most of one typed word an answer says back: enough for an action's title (300), not a 4,000-character paste. */
export const QUOTE_LIMIT = 300;

/** A typed word cut to QUOTE_LIMIT characters (never half of an emoji), marked with an ellipsis. */
export function shortQuote(word: string): string {
  if (word.length <= QUOTE_LIMIT) return word;
  const cut = word.slice(0, QUOTE_LIMIT - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** The same refusal, with every over-long word typed cut short where its message says it back. */
export function withShortQuotes(error: BotError, typed: readonly string[]): BotError {
  let userMessage = error.userMessage;
  for (const word of typed) if (word.length > QUOTE_LIMIT) userMessage = userMessage.split(word).join(shortQuote(word));
  return userMessage === error.userMessage ? error : new BotError(error.code, error.message, userMessage, error.refusal);
}
