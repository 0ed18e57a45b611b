// Card text for Teams. Teams reads `<word>` in card text as an HTML tag and drops it, so `cycle start <plan>` showed
// as `cycle start`. HTML is not supported in Adaptive Cards (Microsoft's "Format cards in Teams"), and how entities
// such as `&lt;` come out differs between clients; an invisible WORD JOINER after the `<` works everywhere: by the
// HTML rules a `<` not followed by a letter, `/`, `!` or `?` is plain text, and the joiner shows as nothing.
import { toPlainText, toTeamsMarkdown } from '../../messaging/markdown.js';

const WORD_JOINER = '\u2060';
const TAG_OPENING = /<(?=[A-Za-z/!?])/g;

/** Keeps every `<` the bot (or a person) wrote visible in a Teams TextBlock. */
export function keepAngleBrackets(text: string): string {
  return text.replace(TAG_OPENING, `<${WORD_JOINER}`);
}

/** The neutral markdown subset as Teams TextBlock markdown, `<placeholders>` kept. */
export const teamsMarkdown = (text: string): string => keepAngleBrackets(toTeamsMarkdown(text));

/** Plain text for a TextBlock (a heading, a status), `<placeholders>` kept. */
export const teamsPlainText = (text: string): string => keepAngleBrackets(toPlainText(text));
