import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from '../generated/prisma/client.js';

export { Prisma };
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/**
 * The app's connections. With `role`, each session takes that role as it opens (the login user must be a member), so
 * every query runs with the role's rights only; migrations connect without it, as the schema's owner.
 */
export function createDb(connectionString: string, role?: string): Db {
  const options = role ? { options: `-c role=${role}` } : {};
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, ...options }) });
}

/** True when PostgreSQL answers. Used by /readyz. */
export async function databaseReachable(db: Db): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
