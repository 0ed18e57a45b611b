// Applies prisma/migrations/*/migration.sql at start-up with plain `pg`, recording rows in
// `_prisma_migrations` exactly as Prisma Migrate does, so `prisma migrate status` agrees with us.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// Prisma Migrate's own advisory-lock key, so this runner and `prisma migrate deploy` also exclude each other.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Same DDL as Prisma's schema engine (postgres connector) uses for its bookkeeping table.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (msg: string) => void;
}

export interface MigrationScript {
  name: string;
  sql: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Prisma's checksum: lowercase hex SHA-256 of the migration.sql contents. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Like Prisma, accept a checkout whose line endings git converted (LF <-> CRLF). */
function checksumMatches(sql: string, checksum: string): boolean {
  const variants = [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')];
  return variants.some((variant) => migrationChecksum(variant) === checksum);
}

/** Migration directories in name order (their timestamp prefix), as Prisma orders them. */
export async function readMigrations(migrationsDir: string = defaultMigrationsDir): Promise<MigrationScript[]> {
  if (!existsSync(migrationsDir)) throw new Error(`Migrations directory not found: ${migrationsDir}`);
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql (${file})`);
      return { name, sql: await readFile(file, 'utf8') };
    }),
  );
}

export async function applyMigrations(
  connectionString: string,
  options: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await takeMigrationLock(client, log);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const pending = pendingMigrations(migrations, rows, log);
    for (const migration of pending) await applyOne(client, migration, log);
    if (pending.length === 0) log('Database schema is up to date.');
    return { applied: pending.map((migration) => migration.name) };
  } finally {
    // Closing the session also releases the advisory lock.
    await client.end();
  }
}

async function takeMigrationLock(client: pg.Client, log: (msg: string) => void): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    PRISMA_MIGRATE_LOCK_KEY,
  ]);
  if (rows[0]?.locked) return;
  log('Waiting for another process to finish migrating...');
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
}

function pendingMigrations(
  migrations: MigrationScript[],
  rows: MigrationRow[],
  log: (msg: string) => void,
): MigrationScript[] {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and is unresolved in _prisma_migrations; ` +
        'repair the database, then mark it rolled back (set rolled_back_at) or applied before starting.',
    );
  }
  const appliedByName = new Map(live.map((row) => [row.migration_name, row]));
  for (const migration of migrations) {
    const applied = appliedByName.get(migration.name);
    if (applied && !checksumMatches(migration.sql, applied.checksum)) {
      throw new Error(
        `Migration ${migration.name} was modified after it was applied (checksum mismatch); ` +
          'restore its migration.sql and put the change in a new migration.',
      );
    }
  }
  const known = new Set(migrations.map((migration) => migration.name));
  for (const name of appliedByName.keys()) {
    if (!known.has(name)) log(`Warning: migration ${name} is applied in the database but missing locally.`);
  }
  return migrations.filter((migration) => !appliedByName.has(migration.name));
}

async function applyOne(client: pg.Client, migration: MigrationScript, log: (msg: string) => void): Promise<void> {
  const checksum = migrationChecksum(migration.sql);
  try {
    await client.query('BEGIN');
    // No parameters: the simple query protocol runs the whole multi-statement file as written.
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, 1)`,
      [randomUUID(), checksum, migration.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    const message = error instanceof Error ? error.message : String(error);
    // The transaction left nothing behind, so record the attempt as already rolled back (an audit trail
    // Prisma also ignores) rather than as a failed migration that would block every later start.
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, rolled_back_at)
       VALUES ($1, $2, $3, $4, now())`,
      [randomUUID(), checksum, migration.name, message],
    );
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${message}`);
  }
  log(`Applied migration ${migration.name}`);
}
