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

/** Connects once and runs `SELECT 1`; throws DatabaseUnavailableError saying why not. */
export async function checkDatabase(databaseUrl: string, timeoutMs = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  // A server that drops the connection later must not crash the check with an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw explainDatabaseFailure(error, databaseUrl, timeoutMs);
  } finally {
    await client.end().catch(() => undefined);
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
