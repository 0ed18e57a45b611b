// Throw-away databases on the local PostgreSQL server for integration tests (and migrate:create).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../src/store/migrations.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export const adminDatabaseUrl =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>`; `drop()` removes it even if connections are still open. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  const name = `${safePrefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/** A scratch database with every migration in prisma/migrations applied. */
export async function migratedDatabase(prefix: string): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(prefix);
  try {
    await applyMigrations(database.url);
    return database;
  } catch (error) {
    await database.drop();
    throw error;
  }
}
