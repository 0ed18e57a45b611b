// One parser for both platforms: Slack's slash command text and a Teams message (with its @mention) read alike.

import { storableText } from '../core/storable-text.js';

export interface ParsedCommand {
  /** Lower-case first word, '' when nothing was typed. */
  name: string;
  args: string[];
}

const mentionTag = /<at>[^<]*<\/at>/gi;
const smartQuotes = /[\u201C\u201D\u201E\u00AB\u00BB]/g;
const smartApostrophes = /[\u2018\u2019]/g;

/** Splits text into words, keeping "quoted phrases" (straight or curly quotes) together. */
export function tokenize(text: string): string[] {
  const normalised = text.replace(smartQuotes, '"').replace(smartApostrophes, "'");
  const tokens: string[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  for (const match of normalised.matchAll(pattern)) {
    const token = match[1] ?? match[2];
    if (token !== undefined && (match[1] !== undefined || token.length > 0)) tokens.push(token);
  }
  return tokens;
}

export function parseCommand(raw: string): ParsedCommand {
  const cleaned = storableText(raw)
    .replace(mentionTag, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/^\s*\/safeguarding\b/i, ' ')
    .trim();
  const [first, ...args] = tokenize(cleaned);
  return { name: (first ?? '').toLowerCase(), args };
}
