import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize } from '../../src/commands/parse.js';

describe('parseCommand', () => {
  it('reads a Teams channel message with the bot @mentioned in front', () => {
    expect(parseCommand('<at>Partnership Bot</at> help')).toEqual({ name: 'help', args: [] });
  });

  it('reads a Teams message where the mention is followed by a non-breaking space entity', () => {
    expect(parseCommand('<at>Partnership Bot</at>&nbsp;whoami')).toEqual({ name: 'whoami', args: [] });
  });

  it('reads the Slack slash command whether or not the command word is included', () => {
    expect(parseCommand('/safeguarding whoami')).toEqual({ name: 'whoami', args: [] });
    expect(parseCommand('/Safeguarding WHOAMI')).toEqual({ name: 'whoami', args: [] });
    expect(parseCommand('whoami')).toEqual({ name: 'whoami', args: [] });
  });

  it('keeps a phrase in curly quotes (as phones and Word type them) as one argument', () => {
    expect(parseCommand('remind “Q3 audit” tomorrow')).toEqual({ name: 'remind', args: ['Q3 audit', 'tomorrow'] });
    expect(parseCommand('remind "Q3 audit" tomorrow')).toEqual({ name: 'remind', args: ['Q3 audit', 'tomorrow'] });
  });

  it('ignores extra spaces, tabs and line breaks between and around words', () => {
    expect(parseCommand('   help \t  me\n  now   ')).toEqual({ name: 'help', args: ['me', 'now'] });
  });

  it('gives an empty command name for empty or blank text (the router answers with help)', () => {
    expect(parseCommand('')).toEqual({ name: '', args: [] });
    expect(parseCommand('   ')).toEqual({ name: '', args: [] });
    expect(parseCommand('<at>Partnership Bot</at>')).toEqual({ name: '', args: [] });
    expect(parseCommand('/safeguarding')).toEqual({ name: '', args: [] });
  });

  it('matches the command name case-insensitively but leaves arguments as typed', () => {
    expect(parseCommand('HeLp Practice-Review')).toEqual({ name: 'help', args: ['Practice-Review'] });
  });

  it('turns a curly apostrophe into a straight one so words compare equal', () => {
    expect(parseCommand('note it’s done').args).toEqual(["it's", 'done']);
  });
});

describe('tokenize', () => {
  it('keeps an unterminated quote as the rest of the text rather than failing', () => {
    expect(tokenize('say "half a phrase')).toEqual(['say', 'half a phrase']);
  });

  it('keeps an empty quoted argument (someone clearing a value)', () => {
    expect(tokenize('set title ""')).toEqual(['set', 'title', '']);
  });

  it('never throws on any text, quotes and mentions included, and always gives a list of strings', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom('"', '\u201C', '\u201D', '\u2019', ' ', '\t', 'a', '<at>', '</at>', '&nbsp;', '/safeguarding'), maxLength: 40 }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const tokens = tokenize(text);
        expect(tokens.every((t) => typeof t === 'string')).toBe(true);
        const parsed = parseCommand(text);
        expect(parsed.name).toBe(parsed.name.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });

  const quoteLike = /["\u201C\u201D\u201E\u00AB\u00BB\u2018\u2019]/;
  const plainWord = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
    .filter((w) => !/\s/.test(w) && !quoteLike.test(w));
  const separator = fc.stringMatching(/^[ \t\n]{1,4}$/);

  it('splits words without quotes back into exactly those words, whatever whitespace separates them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(plainWord, separator), { maxLength: 10 }), separator, (pairs, lead) => {
        const words = pairs.map(([word]) => word);
        const text = lead + pairs.map(([word, sep]) => word + sep).join('');
        expect(tokenize(text)).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the first plain word as the command name in lower case, the rest as arguments', () => {
    const safeWord = plainWord.filter((w) => !/[<>&/]/.test(w));
    fc.assert(
      fc.property(safeWord, fc.array(safeWord, { maxLength: 5 }), (first, rest) => {
        const parsed = parseCommand(`<at>Partnership Bot</at> ${[first, ...rest].join(' ')}`);
        expect(parsed).toEqual({ name: first.toLowerCase(), args: rest });
      }),
      { numRuns: 300 },
    );
  });
});
