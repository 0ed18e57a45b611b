// Before anything starts: can we use the database in DATABASE_URL? When not, one line that says what is wrong and
// how to fix it, as for configuration problems, instead of a driver's stack trace.
import pg from 'pg';

export class DatabaseUnavailableError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`Cannot start: ${problem}. ${fix}.`);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Connects once and runs `SELECT 1`, then checks that the login user can take `role` (DATABASE_ROLE) or, before the
 * migration that makes the role has run, create it; throws DatabaseUnavailableError saying why not.
 */
export async function checkDatabase(databaseUrl: string, timeoutMs = 10_000, role?: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  // A server that drops the connection later must not crash the check with an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw explainDatabaseFailure(error, databaseUrl, timeoutMs);
    }
    if (role) await checkRole(client, role, partsOf(databaseUrl).user);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRole(client: pg.Client, role: string, loginUser: string): Promise<void> {
  const { rows } = await client.query<{ exists: boolean; may_create: boolean; user: string }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists,
            (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) AS may_create,
            current_user AS user`,
    [role],
  );
  const { exists, may_create: mayCreate, user = loginUser } = rows[0] ?? { exists: false, may_create: false };
  const orNone = 'or set DATABASE_ROLE=none to run as the login user (audit events are then protected by a trigger only)';
  if (!exists) {
    if (mayCreate) return; // the app_role migration creates it at this start
    throw new DatabaseUnavailableError(
      `the database role "${role}" (DATABASE_ROLE) does not exist and user "${user}" may not create it`,
      `Ask an administrator to run CREATE ROLE ${role} NOLOGIN and GRANT ${role} TO ${user} before the first start, ${orNone}`,
    );
  }
  try {
    await client.query(`SET ROLE ${client.escapeIdentifier(role)}`);
    await client.query('RESET ROLE');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === '42501' ? `user "${user}" is not a member of the database role "${role}" (DATABASE_ROLE)` : `user "${user}" cannot take the database role "${role}" (DATABASE_ROLE, ${code ?? 'unknown error'})`;
    throw new DatabaseUnavailableError(reason, `As an administrator run GRANT ${role} TO ${user}, ${orNone}`);
  }
  // A role added by hand after the migration that grants its rights ran (as a user who could not create it) has none.
  const { rows: rights } = await client.query<{ missing: boolean }>(
    `SELECT to_regclass('"AuditEvent"') IS NOT NULL AND NOT has_table_privilege($1, to_regclass('"AuditEvent"'), 'INSERT') AS missing`,
    [role],
  );
  if (rights[0]?.missing) {
    throw new DatabaseUnavailableError(
      `the database role "${role}" (DATABASE_ROLE) has no rights on the bot's tables`,
      `Run the GRANT statements of prisma/migrations/20261129205016_app_role/migration.sql as "${user}", ${orNone}`,
    );
  }
}

/** What went wrong, in words, from the driver's error code. Never repeats the password. */
export function explainDatabaseFailure(error: unknown, databaseUrl: string, timeoutMs: number): DatabaseUnavailableError {
  const { host, port, user, database } = partsOf(databaseUrl);
  const where = `PostgreSQL at ${host}:${port}`;
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : '';
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOENT': // a Unix socket that is not there
      return new DatabaseUnavailableError(`${where} is not answering (connection refused)`, 'Start PostgreSQL there, or set DATABASE_URL to a server that is running');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseUnavailableError(`the database host "${host}" in DATABASE_URL cannot be found`, 'Fix the host name in DATABASE_URL');
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return timedOut(where, timeoutMs);
    case '3D000':
      return new DatabaseUnavailableError(
        `the database "${database}" does not exist on ${where}`,
        `Create it (createdb -h ${host} -p ${port} -U ${user} ${database}), or fix its name in DATABASE_URL`,
      );
    case '28P01':
    case '28000':
      return new DatabaseUnavailableError(`${where} refused the login of user "${user}"`, 'Check the user and password in DATABASE_URL, and that pg_hba.conf lets this machine in');
    case '57P03':
      return new DatabaseUnavailableError(`${where} is starting up or shutting down`, 'Wait a moment and start again');
  }
  if (/timeout/i.test(text)) return timedOut(where, timeoutMs);
  const reason = code ?? (text.split('\n')[0]?.replace(databaseUrl, 'DATABASE_URL').slice(0, 120) || 'unknown error');
  return new DatabaseUnavailableError(`cannot use the database "${database}" on ${where} (${reason})`, 'Check DATABASE_URL and that PostgreSQL is running');
}

function timedOut(where: string, timeoutMs: number): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `${where} did not answer within ${Math.round(timeoutMs / 1000)} seconds`,
    'Check that it is running and that no firewall stands between, or fix the host and port in DATABASE_URL',
  );
}

function partsOf(databaseUrl: string): { host: string; port: string; user: string; database: string } {
  try {
    const url = new URL(databaseUrl);
    return {
      host: url.searchParams.get('host') ?? (url.hostname || 'localhost'),
      port: url.port || '5432',
      user: decodeURIComponent(url.username) || 'postgres',
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres',
    };
  } catch {
    return { host: 'localhost', port: '5432', user: 'postgres', database: 'postgres' };
  }
}
