// Faults a test can put on one scratch database while the bot uses it: refused connections, a table held locked,
// the bot's waiting sessions cut off (as a crash or an outage mid-write would).
import pg from 'pg';
import { withAdminClient } from './database.js';
import { eventually } from './bot-harness.js';

const nameOf = (databaseUrl: string) => new URL(databaseUrl).pathname.slice(1);

/** Runs `run` on a connection to the server as its administrator. */
export const withAdmin = withAdminClient;

/** Makes the database refuse connections (and drops the open ones) while `run` runs. */
export async function withDatabaseDown<T>(databaseUrl: string, run: () => Promise<T>): Promise<T> {
  const name = nameOf(databaseUrl);
  await withAdmin(async (c) => {
    await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  });
  try {
    return await run();
  } finally {
    await allowConnections(databaseUrl);
  }
}

/** Lets connections in again (for an afterAll, in case a test stopped half-way). */
export function allowConnections(databaseUrl: string): Promise<unknown> {
  return withAdmin((c) => c.query(`ALTER DATABASE "${nameOf(databaseUrl)}" ALLOW_CONNECTIONS true`));
}

/** Holds `table` locked from another session until release(): the bot's writes to it wait. */
export async function lockTable(databaseUrl: string, table: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/**
 * The bot's sessions waiting on a lock whose statement matches `statement` (an ILIKE pattern, e.g.
 * `INSERT INTO%"OutboxMessage"%`), once there is at least one: other work may wait on the same lock meanwhile.
 */
async function sessionsWaitingOnLock(client: pg.Client, databaseUrl: string, statement: string): Promise<number[]> {
  return eventually(async () => {
    const rows = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE $2",
      [nameOf(databaseUrl), statement],
    );
    return rows.rows.length > 0 ? rows.rows.map((r) => r.pid) : undefined;
  }, 10_000, `a session of the bot running ${statement} to wait on the lock`);
}

/** Resolves once one of the bot's sessions waits on a lock (it is in the middle of the work). */
export function botWaitingOnLock(databaseUrl: string, statement = '%'): Promise<void> {
  return withAdmin(async (c) => void (await sessionsWaitingOnLock(c, databaseUrl, statement)));
}

/** Cuts off the bot's sessions that wait on a lock running `statement`: their writes fail as in an outage. */
export function cutOffWaitingWrites(databaseUrl: string, statement = '%'): Promise<void> {
  return withAdmin(async (c) => {
    for (const pid of await sessionsWaitingOnLock(c, databaseUrl, statement)) await c.query('SELECT pg_terminate_backend($1)', [pid]);
  });
}
