import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import {
  connectedDatabaseTarget,
  createMigration,
  datamodelTarget,
  defaultSchemaPath,
  openSchemaEngine,
} from '../../scripts/migrate-create.js';
import { applyMigrations, defaultMigrationsDir, readMigrations } from '../../src/store/migrations.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';

const schema = await readFile(defaultSchemaPath, 'utf8');
const scratchDatabases: ScratchDatabase[] = [];
const tempDirs: string[] = [];

async function scratch(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase('mig_test');
  scratchDatabases.push(database);
  return database;
}

/** Migrated here by applyMigrations (not a copy of the run's template database): that is what these tests check. */
async function migrated(): Promise<ScratchDatabase> {
  const database = await scratch();
  await applyMigrations(database.url);
  return database;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mig_test_'));
  tempDirs.push(dir);
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function engineMigrationList(migrationsDir: string): Promise<MigrationList> {
  const migrations = await readMigrations(migrationsDir);
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map(({ name, sql }) => ({
      path: name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: sql } },
    })),
  };
}

afterAll(async () => {
  await Promise.all(scratchDatabases.map((database) => database.drop()));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('applyMigrations', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await migrated();
  });

  it('leaves a database with no drift against schema.prisma', async () => {
    const empty = await scratch();
    for (const [url, expectDrift] of [[database.url, false], [empty.url, true]] as const) {
      const session = await openSchemaEngine(url, schema);
      try {
        const drift = await session.diff(connectedDatabaseTarget(schema), datamodelTarget(schema));
        // The empty database proves the diff really reads the live database.
        if (expectDrift) expect(drift).toContain('CREATE TABLE "AuditEvent"');
        else expect(drift).toBe('');
      } finally {
        await session.close();
      }
    }
  });

  it('applies every migration once, and nothing on the second run', async () => {
    const fresh = await scratch();
    const names = (await readMigrations()).map((migration) => migration.name);
    expect(await applyMigrations(fresh.url)).toEqual({ applied: names });
    expect(await applyMigrations(fresh.url)).toEqual({ applied: [] });
  });

  it('applies each migration once when two processes start together', async () => {
    const fresh = await scratch();
    const runs = await Promise.all([applyMigrations(fresh.url), applyMigrations(fresh.url)]);
    const names = (await readMigrations()).map((migration) => migration.name);
    expect(runs.map((run) => run.applied).sort((a, b) => b.length - a.length)).toEqual([names, []]);
    const rows = await query<{ count: string }>(fresh.url, 'SELECT count(*) FROM "_prisma_migrations"');
    expect(rows[0]?.count).toBe(String(names.length));
  });

  it('writes _prisma_migrations rows that Prisma Migrate accepts as applied and unedited', async () => {
    const session = await openSchemaEngine(database.url, schema);
    try {
      const diagnosis = await session.engine.diagnoseMigrationHistory({
        migrationsList: await engineMigrationList(defaultMigrationsDir),
        optInToShadowDatabase: false,
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], history: null, hasMigrationsTable: true });
    } finally {
      await session.close();
    }
  });

  it('creates _prisma_migrations with the same columns as Prisma Migrate', async () => {
    const byPrisma = await scratch();
    const session = await openSchemaEngine(byPrisma.url, schema);
    try {
      const noMigrations = { ...(await engineMigrationList(defaultMigrationsDir)), migrationDirectories: [] };
      await session.engine.applyMigrations({ migrationsList: noMigrations, filters: { externalTables: [], externalEnums: [] } });
    } finally {
      await session.close();
    }
    const describeTable = `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
      FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`;
    const ours = await query(database.url, describeTable);
    expect(ours).toHaveLength(8);
    expect(ours).toEqual(await query(byPrisma.url, describeTable));
  });

  it('refuses to start when an applied migration file was changed', async () => {
    const fresh = await scratch();
    const migrationsDir = await copyOfMigrations();
    await applyMigrations(fresh.url, { migrationsDir });
    const [first] = await readMigrations(migrationsDir);
    await appendFile(path.join(migrationsDir, first!.name, 'migration.sql'), '\n-- edited\n');
    const attempt = applyMigrations(fresh.url, { migrationsDir });
    await expect(attempt).rejects.toThrow(`Migration ${first!.name} was modified after it was applied (checksum mismatch)`);
    await expect(attempt).rejects.toThrow(/^[^\n]+$/);
  });

  it('refuses to start while a failed migration is unresolved', async () => {
    const fresh = await scratch();
    await applyMigrations(fresh.url);
    await query(
      fresh.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ('failed-1', 'x', '29990101000000_broken', 'boom')`,
    );
    await expect(applyMigrations(fresh.url)).rejects.toThrow('Migration 29990101000000_broken failed earlier and is unresolved');
  });

  it('rolls a failing migration back completely and lets a fixed one apply later', async () => {
    const fresh = await scratch();
    const migrationsDir = await copyOfMigrations();
    const brokenDir = path.join(migrationsDir, '29990101000000_broken');
    await mkdir(brokenDir);
    await writeFile(path.join(brokenDir, 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT * FROM "NoSuchTable";\n');
    await expect(applyMigrations(fresh.url, { migrationsDir })).rejects.toThrow(/29990101000000_broken failed and was rolled back: .*NoSuchTable/);
    expect(await query(fresh.url, `SELECT 1 FROM pg_tables WHERE tablename = 'Half'`)).toEqual([]);

    await writeFile(path.join(brokenDir, 'migration.sql'), 'CREATE TABLE "Half" (id int);\n');
    expect(await applyMigrations(fresh.url, { migrationsDir })).toEqual({ applied: ['29990101000000_broken'] });
  });

  describe('AuditEvent', () => {
    beforeAll(async () => {
      await query(database.url, `INSERT INTO "AuditEvent" (actor, action, "subjectType", "subjectId") VALUES ('test', 'created', 'Thing', '1')`);
    });

    it.each([
      ['UPDATE', `UPDATE "AuditEvent" SET action = 'tampered'`],
      ['DELETE', `DELETE FROM "AuditEvent"`],
      ['TRUNCATE', `TRUNCATE "AuditEvent"`],
    ])('rejects %s as append-only', async (_operation, sql) => {
      await expect(query(database.url, sql)).rejects.toThrow('audit events are append-only');
      expect(await query(database.url, `SELECT action FROM "AuditEvent"`)).toEqual([{ action: 'created' }]);
    });
  });
});

describe('createMigration', () => {
  let engineDatabase: ScratchDatabase;
  beforeAll(async () => {
    engineDatabase = await scratch();
  });

  it('finds no changes between the committed migrations and schema.prisma', async () => {
    const migrationsDir = await copyOfMigrations();
    expect(await createMigration({ name: 'nothing', connectionString: engineDatabase.url, migrationsDir })).toBeNull();
  });

  it('diffs from the latest snapshot, skipping hand-written migrations, and sorts the new one last', async () => {
    const migrationsDir = await copyOfMigrations();
    const schemaPath = path.join(migrationsDir, 'changed.prisma');
    await writeFile(schemaPath, schema.replace('model Timer {', 'model Timer {\n  note String?'));
    const dir = await createMigration({ name: 'add_note', connectionString: engineDatabase.url, migrationsDir, schemaPath });
    expect(path.basename(dir!)).toMatch(/^\d{14}_add_note$/);
    expect((await readMigrations(migrationsDir)).at(-1)?.name).toBe(path.basename(dir!));
    const sql = await readFile(path.join(dir!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "Timer" ADD COLUMN     "note" TEXT;');
    expect(sql).not.toContain('CREATE TABLE');
  });

  it('regenerates init before the hand-written migrations once the old init is deleted', async () => {
    const migrationsDir = await copyOfMigrations();
    // Rewind the copy to the first release: init and the hand-written trigger migration after it.
    const [init, handWritten, ...later] = (await readMigrations(migrationsDir)).map((migration) => migration.name);
    for (const name of later) await rm(path.join(migrationsDir, name), { recursive: true });
    const oldSql = await readFile(path.join(migrationsDir, init!, 'migration.sql'), 'utf8');
    const schemaPath = path.join(migrationsDir, 'init-schema.prisma');
    await writeFile(schemaPath, await readFile(path.join(migrationsDir, init!, 'schema.snapshot.prisma'), 'utf8'));
    await rm(path.join(migrationsDir, init!), { recursive: true });
    const dir = await createMigration({ name: 'init', connectionString: engineDatabase.url, migrationsDir, schemaPath });
    expect((await readMigrations(migrationsDir)).map((migration) => migration.name)).toEqual([path.basename(dir!), handWritten]);
    expect(await readFile(path.join(dir!, 'migration.sql'), 'utf8')).toBe(oldSql);
  });
});
