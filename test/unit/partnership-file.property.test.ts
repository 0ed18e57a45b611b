// Hostile partnership files: whatever YAML the loader is given (any document, or a real example file with a part
// changed, removed or made huge), it loads or throws PartnershipConfigError, one short line per problem naming the
// file and the place; never a TypeError or a message that repeats a whole value.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parsePartnershipFile } from '../../src/app/partnership-file.js';
import { PartnershipConfigError } from '../../src/directory/load-config.js';
import { examplePartnership } from '../support/bot-harness.js';

const FILE = 'hostile.yaml';
const examples = ['swindon', 'warwickshire', 'walsall'].map((name) => parse(readFileSync(examplePartnership(name), 'utf8')) as unknown);
const HUGE = 'h'.repeat(20_000);

/** Loads `text`; fails the property on anything but a clear PartnershipConfigError. */
function loadsOrExplains(text: string): void {
  try {
    parsePartnershipFile(text, FILE);
  } catch (error) {
    if (!(error instanceof PartnershipConfigError)) throw new Error(`not a PartnershipConfigError: ${String(error)}`);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.file).toBe(FILE);
      expect(problem.message.trim()).not.toBe('');
      expect(problem.message.length + problem.path.length).toBeLessThan(1_200);
    }
  }
}

type Path = (string | number)[];

function pathsOf(value: unknown, at: Path = []): Path[] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => pathsOf(v, [...at, i]))];
  if (value !== null && typeof value === 'object') return [at, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
  return [at];
}

/** A copy of `document` with the value at `path` replaced (or removed, when `replacement` is the string "<remove>"). */
function mutated(document: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === '<remove>') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

const replacement = fc.oneof(
  fc.constant('<remove>'),
  fc.constant(HUGE),
  fc.constant(null),
  fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: false }),
  fc.constantFrom('', '2027-02-30', -1, 1e308, true, [], {}, '__proto__', 'Europe/Nowhere', '25:99'),
);

describe('the partnership file loader on hostile YAML', () => {
  it('loads or explains any YAML document', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: false }), (value) => {
        let text: string | undefined;
        try {
          text = stringify(value);
        } catch {
          text = undefined;
        }
        // Not representable in YAML (undefined, a Symbol): nothing to load.
        if (typeof text === 'string') loadsOrExplains(text);
      }),
      { numRuns: 200 },
    );
  });

  it('explains an alias to a missing anchor and an alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`)].join('\n');
    for (const text of ['*a', 'partnership: *nowhere', bomb]) expect(() => parsePartnershipFile(text, FILE)).toThrow(PartnershipConfigError);
  });

  it('loads or explains arbitrary text, including broken YAML', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(':', '-', ' ', '\n', '  ', '[', ']', '{', '}', '&a', '*a', '!!', '"', 'a', '1', '#', '?', '|'), maxLength: 200 }), loadsOrExplains), { numRuns: 300 });
  });

  it('loads or explains a real example file with one part changed, removed or made huge', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples).chain((doc) => fc.tuple(fc.constant(doc), fc.constantFrom(...pathsOf(doc)), replacement)), ([doc, path, value]) => {
        loadsOrExplains(stringify(mutated(doc, path, value)));
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });

  it('loads each example file unchanged (the mutations above start from valid files)', () => {
    for (const doc of examples) expect(() => parsePartnershipFile(stringify(doc), FILE)).not.toThrow();
  });
});
