// Hostile input to the command parser (both platforms' text goes through it): it never throws, whatever is typed,
// and reads plain words and "quoted phrases" back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize } from '../../src/commands/parse.js';

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.string({ unit: fc.constantFrom('"', '\u201C', '\u201D', '\u2018', "'", ' ', '\t', '\n', '<at>', '</at>', '&nbsp;', '/safeguarding', 'a', 'é'), maxLength: 200 }),
);
const word = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:/éß€😀'.split(/(?:)/u)), minLength: 1, maxLength: 12 });
const phrase = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));

describe('parseCommand on anything typed', () => {
  it('never throws; the name is lower case and the arguments hold no more than was typed', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseCommand(text);
        expect(parsed.name).toBe(parsed.name.toLowerCase());
        for (const arg of parsed.args) expect(typeof arg).toBe('string');
        expect(parsed.args.join('').length).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 500 },
    );
  });

  it('copes with a megabyte of text, quotes left open and thousands of mentions', () => {
    for (const text of ['a '.repeat(500_000), '"'.repeat(1_000_000), '<at>x</at>'.repeat(100_000), `help "${'x'.repeat(1_000_000)}`]) {
      expect(() => parseCommand(text)).not.toThrow();
    }
  });

  it('reads back plain words and quoted phrases exactly, after a Teams mention or the slash command', () => {
    fc.assert(
      fc.property(word, fc.array(fc.oneof(word.map((w) => ({ w, quoted: false })), phrase.map((w) => ({ w, quoted: true }))), { maxLength: 6 }), fc.constantFrom('', '<at>Partnership Bot</at> ', '/safeguarding '), (name, args, prefix) => {
        const text = `${prefix}${name} ${args.map(({ w, quoted }) => (quoted ? `"${w}"` : w)).join(' ')}`;
        expect(parseCommand(text)).toEqual({ name: name.toLowerCase(), args: args.map(({ w }) => w) });
        expect(tokenize(args.map(({ w }) => `\u201C${w}\u201D`).join(' '))).toEqual(args.map(({ w }) => w));
      }),
      { numRuns: 300 },
    );
  });

  it('gives PostgreSQL nothing it refuses: no NUL character and no half of a surrogate pair in the name or arguments', () => {
    const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('\u0000', '\uD83D', '\uDE00', 'a', ' ', '"'), maxLength: 40 }), anyText, (nasty, text) => {
        const parsed = parseCommand(`${nasty}${text} ${nasty}`);
        for (const word of [parsed.name, ...parsed.args]) expect(word).not.toMatch(unstorable);
      }),
      { numRuns: 300 },
    );
  });
});
