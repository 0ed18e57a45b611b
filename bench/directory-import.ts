// Scenario 4: importing each example partnership file into a fresh database, then importing it again unchanged
// (what every bot start does with PARTNERSHIP_CONFIG).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importPartnership } from '../src/directory/import-partnership.js';
import { loadPartnershipFile as loadPartnershipConfig } from '../src/app/partnership-file.js';
import { createDb } from '../src/store/db.js';
import { repoRoot } from '../test/support/bot-harness.js';
import { migratedDatabase } from '../test/support/database.js';
import { check, info, ms, summary, type Row, type ScenarioResult } from './support.js';

export const importTargets = { firstImportMs: 2000, reImportMs: 100, reImports: 5 } as const;

export async function directoryImportScenario(): Promise<ScenarioResult> {
  const started = Date.now();
  const { firstImportMs, reImportMs, reImports } = importTargets;
  const dir = path.join(repoRoot, 'examples/partnerships');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const rows: Row[] = [];

  for (const file of files) {
    const database = await migratedDatabase('bench_import');
    const db = createDb(database.url);
    try {
      const filePath = path.join(dir, file);
      let t = performance.now();
      const config = await loadPartnershipConfig(filePath);
      const parseMs = performance.now() - t;
      t = performance.now();
      const first = await importPartnership(db, config);
      const importMs = performance.now() - t;

      // Unchanged re-import as a restart does it: read and validate the file, then import (hash matches → no writes).
      const again: number[] = [];
      let allUnchanged = true;
      for (let i = 0; i < reImports; i += 1) {
        t = performance.now();
        const reread = await loadPartnershipConfig(filePath);
        const summaryOfImport = await importPartnership(db, reread);
        again.push(performance.now() - t);
        allUnchanged &&= summaryOfImport.unchanged;
      }
      const [members, agencies, groups, roles] = await Promise.all([
        db.member.count(),
        db.agency.count(),
        db.group.count(),
        db.roleAssignment.count(),
      ]);
      const firstTotal = parseMs + importMs;
      const firstAgain = again[0] ?? Number.NaN;
      const name = file.replace(/\.yaml$/, '');
      rows.push(
        info(`${name}: directory size`, `${members} members, ${agencies} agencies, ${groups} groups, ${roles} roles (${first.created} rows created)`),
        check(`${name}: first import (parse ${ms(parseMs)} + import ${ms(importMs)})`, ms(firstTotal), `< ${firstImportMs} ms`, firstTotal < firstImportMs),
        check(
          `${name}: unchanged re-import, parse + import: median of ${reImports} (first, max)`,
          `${ms(summary(again).p50)} (${ms(firstAgain)}, ${ms(Math.max(...again))})${allUnchanged ? '' : ' NOT reported unchanged'}`,
          `median < ${reImportMs} ms, and reported unchanged`,
          summary(again).p50 < reImportMs && allUnchanged,
        ),
      );
    } finally {
      await db.$disconnect();
      await database.drop();
    }
  }

  return {
    id: '4',
    title: 'Directory import',
    setup:
      `Each file in examples/partnerships/ imported with \`loadPartnershipConfig\` + \`importPartnership\` into its own freshly migrated PostgreSQL database ` +
      `(migration time not counted), then re-imported unchanged ${reImports} times (file read and validated again each time). ` +
      'The first file parsed also pays for warming up the YAML parser and zod schemas.',
    rows,
    elapsedMs: Date.now() - started,
  };
}
