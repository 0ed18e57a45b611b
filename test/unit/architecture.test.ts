import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { commandCatalogOf, installFeatures } from '../../src/app/install-features.js';
import { features } from '../../src/app/features.js';
import { InteractionRouter } from '../../src/interactions/router.js';
import { TimerHandlerRegistry } from '../../src/scheduler/timer-handlers.js';
import { createLogger } from '../../src/core/logger.js';
import { CommandRouter } from '../../src/commands/router.js';
import { reply } from '../../src/commands/types.js';
import { ManualClock } from '../../src/core/clock.js';
import type { FeatureDeps } from '../../src/features/contract.js';
import type { Db } from '../../src/store/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const src = path.join(root, 'src');
const platformsDir = path.join(src, 'platforms');

/** The layers that must not know which chat platform they run on. */
const platformNeutral = ['core', 'features', 'directory', 'messaging', 'commands', 'interactions', 'scheduler', 'store', 'workflow', 'forms'];

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

  it('no file under core, features, directory, messaging, commands, interactions, scheduler, store, workflow or forms imports a platform SDK or src/platforms', () => {
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

// ---------------------------------------------------------------------------------------------------------------
// Features plug in; plumbing never knows them.

const featuresDir = path.join(src, 'features');
const appDir = path.join(src, 'app');
/** The plumbing every feature stands on. None of it may import a feature, the app, or the demo. */
const plumbing = ['core', 'commands', 'directory', 'http', 'platforms', 'interactions', 'scheduler', 'messaging', 'store', 'workflow', 'forms'];

const within = (dir: string) => (target: string) => target === dir || target.startsWith(dir + path.sep);

/** Relative imports of a file, resolved to absolute paths (extension as written). */
function resolvedImportsOf(file: string): { line: number; target: string }[] {
  return importsOf(readFileSync(file, 'utf8'))
    .filter(({ specifier }) => specifier.startsWith('.'))
    .map(({ line, specifier }) => ({ line, target: path.resolve(path.dirname(file), specifier) }));
}

function importViolations(files: string[], forbidden: (file: string, target: string) => string | undefined): string[] {
  return files.flatMap((file) =>
    resolvedImportsOf(file).flatMap(({ line, target }) => {
      const reason = forbidden(file, target);
      return reason ? [`${path.relative(root, file)}:${line} ${reason} (${path.relative(root, target)})`] : [];
    }),
  );
}

const featureFolders = readdirSync(featuresDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

const stubDeps: FeatureDeps = {
  db: {} as unknown as Db,
  clock: new ManualClock(DateTime.fromISO('2026-03-02T09:00:00Z')),
  logger: createLogger('silent'),
  platforms: { slack: true, teams: true },
  publicUrl: 'http://localhost',
  syncTimers: async () => {},
  pushOutbox: async () => {},
  requeueOutbox: async () => {},
};

describe('features plug in, plumbing never knows them', () => {
  it('the import check can fail: it catches plumbing that reaches into a feature or the app', () => {
    const file = path.join(src, 'directory', 'example.ts');
    const reach = (_file: string, target: string) => (within(featuresDir)(target) ? 'imports a feature' : within(appDir)(target) ? 'imports the app' : undefined);
    const fake = [path.join(featuresDir, 'cycles', 'schema.js'), path.join(appDir, 'services.js'), path.join(src, 'core', 'text.js')];
    expect(fake.map((target) => reach(file, target))).toEqual(['imports a feature', 'imports the app', undefined]);
  });

  it('no plumbing file (commands, directory, http, platforms, interactions, scheduler, messaging, store, workflow, forms, core) imports a feature, the app or the demo', () => {
    const files = plumbing.flatMap((dir) => tsFilesUnder(path.join(src, dir)));
    expect(files.length).toBeGreaterThan(40);
    const violations = importViolations(files, (_file, target) => {
      if (within(featuresDir)(target)) return 'imports a feature';
      if (within(appDir)(target)) return 'imports the app (platforms and http get the narrow InboundPort, not Services)';
      if (within(path.join(src, 'demo'))(target)) return 'imports the demo';
      return undefined;
    });
    expect(violations, `plumbing reaches into a feature or the app:\n${violations.join('\n')}`).toEqual([]);
  });

  it("a feature imports neither the app, the demo, nor another feature's folder", () => {
    const violations = importViolations(tsFilesUnder(featuresDir), (file, target) => {
      if (within(appDir)(target)) return 'imports the app';
      if (within(path.join(src, 'demo'))(target)) return 'imports the demo';
      const own = path.relative(featuresDir, file).split(path.sep)[0]!;
      const other = path.relative(featuresDir, target).split(path.sep)[0]!;
      if (within(featuresDir)(target) && !other.endsWith('.js') && other !== own) return `imports feature "${other}"`;
      return undefined;
    });
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('every folder under src/features is one Feature named after it, in the list in src/app/features.ts', () => {
    expect(featureFolders.length).toBeGreaterThan(0);
    expect(features.map((f) => f.name).sort()).toEqual(featureFolders);
    const listText = readFileSync(path.join(appDir, 'features.ts'), 'utf8');
    for (const name of featureFolders) expect(listText, `src/app/features.ts should import features/${name}/index.js`).toContain(`../features/${name}/index.js`);
  });

  it('every feature folder has the same shape: index, model, and commands / actions / timers / schema exactly when it has them', () => {
    const problems = features.flatMap((feature) => {
      const files = new Set(readdirSync(path.join(featuresDir, feature.name)));
      const parts = feature.install(stubDeps);
      const expected: [string, boolean][] = [
        ['index.ts', true],
        ['model.ts', true],
        ['commands.ts', feature.commands.length > 0],
        ['actions.ts', Object.keys(parts.actions ?? {}).length + Object.keys(parts.forms ?? {}).length > 0],
        ['timers.ts', Object.keys(parts.timers ?? {}).length > 0],
        ['schema.ts', feature.configSection !== undefined],
      ];
      return expected.flatMap(([file, wanted]) =>
        files.has(file) === wanted ? [] : [`features/${feature.name}/${file} ${wanted ? 'is missing' : 'exists but the feature has nothing for it'}`],
      );
    });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it("each Prisma model belongs to at most one feature, and only that feature's folder (and the demo's seed) touches it", () => {
    const schema = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
    const models = new Set([...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!));
    const owners = new Map<string, string>();
    for (const feature of features) {
      for (const model of feature.models) {
        expect(models.has(model), `feature "${feature.name}" claims model ${model}, which schema.prisma does not have`).toBe(true);
        expect(owners.get(model), `model ${model} is claimed twice`).toBeUndefined();
        owners.set(model, feature.name);
      }
    }
    expect(owners.size).toBeGreaterThan(0);
    const outsiders = tsFilesUnder(src).filter((file) => !within(path.join(src, 'generated'))(file) && !within(path.join(src, 'demo'))(file));
    const violations = [...owners].flatMap(([model, owner]) => {
      const delegate = new RegExp(`\\.${model[0]!.toLowerCase()}${model.slice(1)}\\.`);
      return outsiders
        .filter((file) => !within(path.join(featuresDir, owner))(file))
        .filter((file) => delegate.test(readFileSync(file, 'utf8')))
        .map((file) => `${path.relative(root, file)} touches ${model}, which belongs to ${owner}`);
    });
    expect(violations, violations.join('\n')).toEqual([]);
  });
});

describe('command catalog', () => {
  const clock = new ManualClock(DateTime.fromISO('2026-03-02T09:00:00Z'));
  const routers = () => ({
    commands: new CommandRouter({ db: {} as unknown as Db, clock, catalog: commandCatalogOf(features) }),
    interactions: new InteractionRouter({ db: {} as unknown as Db, clock }),
    timers: new TimerHandlerRegistry(),
  });

  it('every command in the catalog has a handler once the features are installed, and every handler is in the catalog', () => {
    const into = routers();
    installFeatures(features, stubDeps, into);
    const catalog = commandCatalogOf(features);
    // `demo` is registered only by `npm run demo` (test/e2e/demo-mode.test.ts checks it is absent otherwise).
    const catalogNames = catalog.filter((c) => !c.demoOnly).map((c) => c.name);
    expect(catalogNames.length).toBeGreaterThan(2);
    expect([...into.commands.names].sort()).toEqual([...catalogNames].sort());
  });

  it('the router refuses a command that the catalog does not list, and two features claiming one word', () => {
    const router = routers().commands;
    expect(() => router.register('not-a-command', async () => reply({ text: '', sections: [] }))).toThrow(/catalog/);
    expect(() => commandCatalogOf([...features, ...features])).not.toThrow();
    expect(() => new CommandRouter({ db: {} as unknown as Db, clock, catalog: commandCatalogOf([...features, ...features]) })).toThrow(/declared twice/);
  });

  it('a feature must answer exactly the commands it declares', () => {
    const [cycles] = features;
    const lying = { ...cycles!, install: (deps: FeatureDeps) => ({ ...cycles!.install(deps), commands: {} }) };
    expect(() => installFeatures([lying], stubDeps, routers())).toThrow(/declares commands \[calendar, cycle, requests, tasks\] but answers \[\]/);
  });
});
