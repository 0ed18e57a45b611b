import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { closestMatch, type PartnershipConfig } from './config-schema.js';
import type { ConfigSection } from './config-section.js';
import { partnershipFileSchema } from './partnership-file-schema.js';

/** One problem in a partnership file. `line` and `column` are 1-based; 0 means the whole file. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. `groups[2].chair`; empty for the file as a whole. */
  path: string;
  message: string;
}

export class PartnershipConfigError extends Error {
  override readonly name = 'PartnershipConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** `swindon.yaml:42:13 groups[2].chair: unknown member "jo-smith" (...)` */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** Reads and validates a partnership file; `sections` are the features' own sections (see src/app/partnership-file.ts). */
export async function loadPartnershipConfig(filePath: string, sections: readonly ConfigSection[]): Promise<PartnershipConfig> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'this is a directory, not a file' : `cannot read the file (${code ?? String(error)})`;
    throw new PartnershipConfigError([{ file: filePath, line: 0, column: 0, path: '', message: reason }]);
  }
  return parsePartnershipConfig(text, filePath, sections);
}

/** A problem line quotes what was written; a huge value or key is shortened so the line stays readable. */
function clipped(text: string): string {
  const shortened = text.replace(/"([^"\n]*)"/g, (quoted, value: string) => (value.length > 60 ? `"${value.slice(0, 40)}…"` : quoted));
  return shortened.length > 500 ? `${shortened.slice(0, 500)}…` : shortened;
}

export function parsePartnershipConfig(text: string, fileName: string, sections: readonly ConfigSection[]): PartnershipConfig {
  const schema = partnershipFileSchema(sections);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problemAt = (offset: number, path: PropertyKey[], message: string): ConfigProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: fileName, line, column: col, path: clipped(formatPath(path)), message: clipped(message) };
  };

  if (doc.errors.length > 0) {
    throw new PartnershipConfigError(doc.errors.map((error) =>
      problemAt(error.pos[0], [], error.code === 'DUPLICATE_KEY'
        ? 'YAML error: the same key appears twice in one mapping'
        : `YAML syntax error: ${error.message}`)));
  }
  if (doc.contents === null) {
    throw new PartnershipConfigError([problemAt(0, [], `the file is empty; expected partnership:, agencies:, members: and groups:${sections.length > 0 ? ` (and optionally ${sections.map((s) => `${s.key}:`).join(', ')})` : ''}`)]);
  }

  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // An alias to an anchor that is not there, or too many aliases (a "billion laughs" file).
    throw new PartnershipConfigError([problemAt(0, [], `YAML error: ${error instanceof Error ? error.message : String(error)}`)]);
  }
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data as PartnershipConfig;

  const problems = result.error.issues
    .flatMap((issue) => describeIssue(issue, raw, schema))
    .map(({ path, message, at }) => problemAt(locate(doc, path, at), path, message));
  throw new PartnershipConfigError(sortByPosition(problems));
}

interface Described { path: PropertyKey[]; message: string; at: 'key' | 'value' }

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, schema: z.ZodType): Described[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, path);
      return issue.keys.map((key) => {
        const suggestion = closestMatch(key, allowed);
        const hint = suggestion ? ` (did you mean "${suggestion}"?)` : `; allowed here: ${allowed.join(', ')}`;
        return { path: [...path, key], message: `unknown key "${key}"${hint}`, at: 'key' };
      });
    }
    case 'invalid_type': {
      const parentPath = path.slice(0, -1);
      const name = path.at(-1);
      const parent = valueAt(raw, parentPath);
      if (typeof name === 'string' && isPlainObject(parent) && !(name in parent)) {
        return [{ path: parentPath, message: `missing required field "${name}"`, at: 'value' }];
      }
      const got = valueAt(raw, path);
      return [{ path, message: `expected ${expectedLabel(issue.expected)}, got ${describeValue(got)}`, at: 'value' }];
    }
    case 'invalid_value': {
      const got = valueAt(raw, path);
      const allowed = issue.values.map(String);
      const suggestion = typeof got === 'string' ? closestMatch(got, allowed) : undefined;
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
      return [{ path, message: `${describeValue(got)} is not allowed here${hint}; use one of: ${allowed.join(', ')}`, at: 'value' }];
    }
    case 'custom': {
      const at = issue.params?.['at'] === 'key' ? 'key' : 'value';
      return [{ path, message: issue.message, at }];
    }
    default:
      return [{ path, message: issue.message, at: 'value' }];
  }
}

function expectedLabel(expected: string): string {
  const labels: Record<string, string> = {
    string: 'text', number: 'a number', boolean: 'true or false', array: 'a list',
    object: 'a mapping (key: value lines)',
  };
  return labels[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `the date ${value.toISOString().slice(0, 10)}`;
  return 'a mapping';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isPlainObject(value) && typeof segment === 'string') value = value[segment];
    else return undefined;
  }
  return value;
}

/** The keys the schema accepts at a path, for "did you mean" hints on unknown keys. */
function allowedKeysAt(fileSchema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: unknown = fileSchema;
  for (const segment of [...path, undefined]) {
    while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPipe) {
      // After `.transform()` the keys are those of the pipe's input; after `z.preprocess()`, its output's.
      if (schema instanceof z.ZodPipe) schema = schema.out instanceof z.ZodTransform ? schema.in : schema.out;
      else schema = schema.unwrap();
    }
    if (segment === undefined) break;
    if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodObject && typeof segment === 'string') schema = schema.shape[segment];
    else return [];
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * The source offset for a path: the value it names, or with `at: 'key'` the key itself. A path
 * that runs out (a missing field) points at the deepest part that exists.
 */
function locate(doc: Document, path: readonly PropertyKey[], at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      const keyOffset = rangeStart(pair.key) ?? offset;
      if (index === path.length - 1 && at === 'key') return keyOffset;
      node = pair.value;
      // An empty value (`chair:`) has no text of its own; point at its key.
      offset = isScalar(node) && node.range && node.range[0] === node.range[1] ? keyOffset : rangeStart(node) ?? keyOffset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    const name = String(segment);
    if (/^[A-Za-z_][\w-]*$/.test(name)) return text ? `${text}.${name}` : name;
    return `${text}[${JSON.stringify(name)}]`;
  }, '');
}

function sortByPosition(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
