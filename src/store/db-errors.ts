import { Prisma } from './db.js';

/** Prisma's own codes for "the server is not there": can't reach, timed out, connection closed, pool exhausted. */
const unreachablePrismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** What the pg driver adapter reports when the connection itself failed, rather than the query. */
const unreachableAdapterKinds = new Set(['DatabaseNotReachable', 'DatabaseDoesNotExist', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** PostgreSQL SQLSTATEs for a server that is away: connection exceptions, shutdowns, too many connections. */
function isUnavailableSqlState(code: string, message: string): boolean {
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  return code === '55000' && message.includes('not currently accepting connections');
}

/**
 * True when an error means the database could not be reached (down, restarting, refusing connections) rather than
 * that a query was wrong: the person can be told to try again shortly, and the work can be retried later.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError && unreachablePrismaCodes.has(error.code)) return true;
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const fields = current as { kind?: unknown; code?: unknown; originalCode?: unknown; originalMessage?: unknown; message?: unknown; cause?: unknown; meta?: unknown; driverAdapterError?: unknown };
    if (typeof fields.kind === 'string' && unreachableAdapterKinds.has(fields.kind)) return true;
    if (typeof fields.code === 'string' && socketCodes.has(fields.code)) return true;
    const sqlState = typeof fields.originalCode === 'string' ? fields.originalCode : fields.kind === 'postgres' && typeof fields.code === 'string' ? fields.code : undefined;
    const message = typeof fields.originalMessage === 'string' ? fields.originalMessage : typeof fields.message === 'string' ? fields.message : '';
    if (sqlState && isUnavailableSqlState(sqlState, message)) return true;
    pending.push(fields.cause, fields.meta, fields.driverAdapterError);
  }
  return false;
}
