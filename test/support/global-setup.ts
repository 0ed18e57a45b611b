// Makes `npm test` work wherever it is run: it uses the PostgreSQL and Redis already running on localhost (CI
// and the development machines), and otherwise starts its own: an embedded PostgreSQL from npm and, when the
// machine has the redis-server binary, a throwaway Redis. Tests read TEST_DATABASE_ADMIN_URL and REDIS_URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/demo/embedded-postgres.js';
import { freePort } from '../../src/demo/ports.js';
import { createTemplateDatabase, templateDatabaseVariable } from './database.js';

const defaultPostgres = 'postgresql://postgres@127.0.0.1:5432/postgres';
const defaultRedis = 'redis://127.0.0.1:6379';

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void>)[] = [];

  const postgresUrl = process.env.TEST_DATABASE_ADMIN_URL ?? defaultPostgres;
  if (!(await postgresAnswers(postgresUrl))) {
    const dir = await mkdtemp(path.join(tmpdir(), 'pbot-test-pg-'));
    await chmod(dir, 0o755);
    const server: EmbeddedPostgres = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), logFile: path.join(dir, 'postgres.log'), freshCommand: 'npm test' });
    process.env.TEST_DATABASE_ADMIN_URL = server.url('postgres');
    console.log(`No PostgreSQL at ${postgresUrl}: the tests use an embedded one (${process.env.TEST_DATABASE_ADMIN_URL}).`);
    cleanups.push(async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    });
  }

  // One migrated database per run; every test database is a copy of it (test/support/database.ts).
  const template = await createTemplateDatabase(process.env.TEST_DATABASE_ADMIN_URL ?? postgresUrl);
  process.env[templateDatabaseVariable] = template.name;
  cleanups.push(async () => {
    delete process.env[templateDatabaseVariable];
    await template.drop();
  });

  const redisUrl = process.env.REDIS_URL ?? defaultRedis;
  if (!(await redisAnswers(redisUrl))) {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      throw new Error(`No Redis at ${redisUrl} and no redis-server to start one: install it (apt-get install redis-server) or set REDIS_URL.`);
    }
    const port = await freePort();
    const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await redisAnswers(process.env.REDIS_URL)); i++) await new Promise((r) => setTimeout(r, 100));
    console.log(`No Redis at ${redisUrl}: the tests started one on port ${port}.`);
    cleanups.push(async () => void child.kill());
  }

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
