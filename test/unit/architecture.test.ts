import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { commandCatalog } from '../../src/commands/catalog.js';
import { InteractionRouter } from '../../src/interactions/router.js';
import { registerCycles } from '../../src/features/cycles/register.js';
import { TimerHandlerRegistry } from '../../src/scheduler/timer-handlers.js';
import { createLogger } from '../../src/core/logger.js';
import { CommandRouter } from '../../src/commands/router.js';
import { reply } from '../../src/commands/types.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Db } from '../../src/store/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const src = path.join(root, 'src');
const platformsDir = path.join(src, 'platforms');

/** The layers that must not know which chat platform they run on. */
const platformNeutral = ['core', 'features', 'directory', 'messaging', 'commands', 'interactions', 'scheduler', 'store'];

function tsFilesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(full);
    return entry.isFile() && entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface ImportSite { line: number; specifier: string }

/** Every module specifier a file imports or re-exports: static, type-only, side-effect, dynamic and require. */
function importsOf(text: string): ImportSite[] {
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  const sites: ImportSite[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier === undefined) continue;
      const offset = match.index + match[0].lastIndexOf(specifier);
      sites.push({ line: text.slice(0, offset).split('\n').length, specifier });
    }
  }
  return sites.sort((a, b) => a.line - b.line);
}

function forbiddenReason(file: string, specifier: string): string | undefined {
  if (/^@slack\//.test(specifier)) return 'imports a Slack SDK';
  if (/^botbuilder/.test(specifier)) return 'imports botbuilder';
  if (/^botframework/.test(specifier)) return 'imports the Bot Framework SDK';
  if (specifier.startsWith('.')) {
    const target = path.resolve(path.dirname(file), specifier);
    if (target === platformsDir || target.startsWith(platformsDir + path.sep)) return 'imports from src/platforms/';
  }
  return undefined;
}

function violationsIn(file: string, text: string): string[] {
  return importsOf(text).flatMap(({ line, specifier }) => {
    const reason = forbiddenReason(file, specifier);
    return reason ? [`${path.relative(root, file)}:${line} ${reason} ('${specifier}')`] : [];
  });
}

describe('platform-neutral layers', () => {
  it('the import scanner finds every kind of import, on the right line (so the real check can fail)', () => {
    const file = path.join(src, 'features', 'example.ts');
    const sample = [
      "import { App } from '@slack/bolt';",
      "import type { TurnContext } from 'botbuilder';",
      'import {',
      '  ConnectorClient,',
      "} from 'botframework-connector';",
      "export { renderSlack } from '../platforms/slack/render.js';",
      "const teams = await import('../platforms/teams/bot.js');",
      "import '@slack/web-api';",
      "import { ok } from '../core/text.js';",
      "import { platformsList } from './platforms-list.js';",
    ].join('\n');
    expect(violationsIn(file, sample)).toEqual([
      "src/features/example.ts:1 imports a Slack SDK ('@slack/bolt')",
      "src/features/example.ts:2 imports botbuilder ('botbuilder')",
      "src/features/example.ts:5 imports the Bot Framework SDK ('botframework-connector')",
      "src/features/example.ts:6 imports from src/platforms/ ('../platforms/slack/render.js')",
      "src/features/example.ts:7 imports from src/platforms/ ('../platforms/teams/bot.js')",
      "src/features/example.ts:8 imports a Slack SDK ('@slack/web-api')",
    ]);
  });

  it('no file under core, features, directory, messaging, commands, scheduler or store imports a platform SDK or src/platforms', () => {
    const files = platformNeutral.flatMap((dir) => tsFilesUnder(path.join(src, dir)));
    expect(files.length).toBeGreaterThan(20);
    const violations = files.flatMap((file) => violationsIn(file, readFileSync(file, 'utf8')));
    expect(violations, `platform code leaked into a platform-neutral layer:\n${violations.join('\n')}`).toEqual([]);
  });
});

describe('file size', () => {
  it('no source file under src/ (generated code aside) is longer than 400 lines', () => {
    const files = tsFilesUnder(src).filter((file) => !file.startsWith(path.join(src, 'generated') + path.sep));
    expect(files.length).toBeGreaterThan(20);
    const tooLong = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
      return lines > 400 ? [`${path.relative(root, file)}: ${lines} lines`] : [];
    });
    expect(tooLong, `split these files (limit 400 lines):\n${tooLong.join('\n')}`).toEqual([]);
  });
});

describe('command catalog', () => {
  it('every command in the catalog has a handler in CommandRouter, and every handler is in the catalog', () => {
    const clock = new ManualClock(DateTime.fromISO('2026-03-02T09:00:00Z'));
    const router = new CommandRouter({ db: {} as unknown as Db, clock });
    const interactions = new InteractionRouter({ db: {} as unknown as Db, clock });
    const deps = { db: {} as unknown as Db, clock, logger: createLogger('silent'), platforms: { slack: true, teams: true }, syncTimers: async () => {}, pushOutbox: async () => {} };
    registerCycles({ commands: router, interactions, timers: new TimerHandlerRegistry() }, deps, () => 'http://localhost');
    // `demo` is registered only by `npm run demo` (test/e2e/demo-mode.test.ts checks it is absent otherwise).
    const catalogNames = commandCatalog.filter((c) => !c.demoOnly).map((c) => c.name);
    expect(catalogNames.length).toBeGreaterThan(0);
    expect(new Set(commandCatalog.map((c) => c.name)).size, 'a command is listed twice in the catalog').toBe(commandCatalog.length);
    expect([...router.names].sort()).toEqual([...catalogNames].sort());
  });

  it('the router refuses to register a command that the catalog does not list', () => {
    const clock = new ManualClock(DateTime.fromISO('2026-03-02T09:00:00Z'));
    const router = new CommandRouter({ db: {} as unknown as Db, clock });
    expect(() => router.register('not-a-command', async () => reply({ text: '', sections: [] }))).toThrow(/catalog/);
  });
});
