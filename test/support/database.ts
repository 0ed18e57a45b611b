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

/**
 * The migrated database that `migratedDatabase` clones (CREATE DATABASE ... TEMPLATE), made once per run by the global
 * setup (test/support/global-setup.ts). Unset outside vitest (benches, scripts): each database is migrated instead.
 */
export const templateDatabaseVariable = 'TEST_TEMPLATE_DATABASE';

export async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>, adminUrl: string = adminDatabaseUrl): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `<prefix>_<random>` (a copy of `template` when given); `drop()` removes it even if connections are still
 * open.
 */
export async function createScratchDatabase(prefix: string, options: { template?: string; adminUrl?: string } = {}): Promise<ScratchDatabase & { name: string }> {
  const adminUrl = options.adminUrl ?? adminDatabaseUrl;
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  const name = `${safePrefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ''}`), adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdminClient(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)), adminUrl),
  };
}

/**
 * A scratch database with every migration in prisma/migrations applied: under vitest a copy of the run's template
 * (a file copy, about a third of the time of running the migrations), otherwise migrated here.
 */
export async function migratedDatabase(prefix: string): Promise<ScratchDatabase> {
  const template = process.env[templateDatabaseVariable];
  if (template) {
    try {
      return await createScratchDatabase(prefix, { template });
    } catch (error) {
      // 3D000: the template is gone (a run that outlived a day, see dropStaleTemplates): migrate this one instead.
      if ((error as { code?: string }).code !== '3D000') throw error;
    }
  }
  const database = await createScratchDatabase(prefix);
  try {
    await applyMigrations(database.url);
    return database;
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * The run's template (global setup): migrated with applyMigrations as the bot does at start, then closed to
 * connections, since PostgreSQL copies a database only while nobody is connected to it. Its own name per run, so
 * runs side by side (other worktrees, other migrations) never share or drop each other's.
 */
export async function createTemplateDatabase(adminUrl: string): Promise<ScratchDatabase & { name: string }> {
  await dropStaleTemplates(adminUrl);
  const database = await createScratchDatabase(templatePrefix, { adminUrl });
  try {
    await applyMigrations(database.url);
    await withAdminClient((client) => client.query(`ALTER DATABASE "${database.name}" WITH ALLOW_CONNECTIONS false`), adminUrl);
    return database;
  } catch (error) {
    await database.drop();
    throw error;
  }
}

const templatePrefix = 'pbot_test_template';

/** Templates left by runs that were killed before their teardown, a day or more ago (the name holds when it was made). */
async function dropStaleTemplates(adminUrl: string): Promise<void> {
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${templatePrefix}\\_%`]);
    for (const { datname } of rows) {
      const madeAt = parseInt(datname.slice(templatePrefix.length + 1).split('_')[0] ?? '', 36);
      if (Number.isFinite(madeAt) && Date.now() - madeAt > 24 * 3600 * 1000) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }, adminUrl);
}
