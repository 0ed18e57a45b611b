import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/store/db.js';
import { isDatabaseUnavailable } from '../../src/store/db-errors.js';

const adapterError = (cause: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('Raw query failed', { code: 'P2010', clientVersion: 'test', meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['server not reachable', adapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5999 })],
    ['connection terminated by an administrator', adapterError({ kind: 'postgres', code: '57P01', originalCode: '57P01', originalMessage: 'terminating connection due to administrator command' })],
    ['database refusing connections', adapterError({ kind: 'postgres', code: '55000', originalCode: '55000', originalMessage: 'database "x" is not currently accepting connections' })],
    ['too many connections', adapterError({ kind: 'postgres', code: '53300', originalCode: '53300', originalMessage: 'sorry, too many clients already' })],
    ["Prisma's can't reach", new Prisma.PrismaClientKnownRequestError("Can't reach database server", { code: 'P1001', clientVersion: 'test' })],
    ['pool timeout', new Prisma.PrismaClientKnownRequestError('Timed out fetching a new connection', { code: 'P2024', clientVersion: 'test' })],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('%s: unavailable', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new Prisma.PrismaClientKnownRequestError('Unique constraint failed', { code: 'P2002', clientVersion: 'test' })],
    ['a syntax error in SQL', adapterError({ kind: 'postgres', code: '42601', originalCode: '42601', originalMessage: 'syntax error' })],
    ['another 55000 (object in use)', adapterError({ kind: 'postgres', code: '55000', originalCode: '55000', originalMessage: 'cannot drop the currently open database' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'boom'],
  ])('%s: not unavailable', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
