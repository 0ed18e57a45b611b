// `npm start` against a database it cannot use: one clear line saying what is wrong and how to fix it, a non-zero
// exit, no stack trace, and never the password from DATABASE_URL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { checkDatabase } from '../../src/store/database-check.js';
import { adminDatabaseUrl, migratedDatabase } from '../support/database.js';
import { repoRoot } from '../support/bot-harness.js';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the start entry (what `npm start` runs) with only the environment given, killed after 25 s. */
function start(env: Record<string, string>): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', METRICS_PORT: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectOneClearLine(exit: Exit, ...mustSay: (string | RegExp)[]): string {
  expect(exit.code, `exit code; stderr: ${exit.stderr}`).not.toBe(0);
  expect(exit.code).not.toBeNull();
  expect(exit.ms).toBeLessThan(20_000);
  const output = exit.stdout + exit.stderr;
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('node:internal');
  const lines = exit.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, exit.stderr).toHaveLength(1);
  for (const words of mustSay) expect(lines[0]).toMatch(words);
  return lines[0]!;
}

describe('npm start with a database it cannot use', () => {
  it('a closed port: says PostgreSQL is not answering there and what to do', async () => {
    const port = await closedPort();
    const exit = await start({ DATABASE_URL: `postgresql://bot:hunter2-secret@127.0.0.1:${port}/partnership_bot` });
    const line = expectOneClearLine(exit, `127.0.0.1:${port}`, /DATABASE_URL/, /start PostgreSQL/i);
    expect(exit.stdout + exit.stderr).not.toContain('hunter2-secret');
    expect(line).not.toContain('ECONNREFUSED');
  }, 30_000);

  it('a missing database: names it and says how to create it', async () => {
    const url = new URL(adminDatabaseUrl);
    const name = `pbot_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const exit = await start({ DATABASE_URL: url.toString() });
    expectOneClearLine(exit, `"${name}"`, /does not exist/, new RegExp(`createdb .*${name}`), /DATABASE_URL/);
  }, 30_000);
});

describe('npm start with a login user that cannot take DATABASE_ROLE', () => {
  async function asAdmin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: adminDatabaseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  }

  it('names the role and the user, and says how to grant it or turn it off', async () => {
    const database = await migratedDatabase('start_role');
    const user = `pbot_outsider_${randomBytes(4).toString('hex')}`;
    await asAdmin(`CREATE ROLE ${user} LOGIN`);
    try {
      const url = new URL(database.url);
      url.username = user;
      const notMember = await start({ DATABASE_URL: url.toString() });
      expectOneClearLine(notMember, /"partnership_bot_app"/, `"${user}"`, new RegExp(`GRANT partnership_bot_app TO ${user}`), /DATABASE_ROLE=none/);

      const missing = await start({ DATABASE_URL: url.toString(), DATABASE_ROLE: `${user}_nowhere` });
      expectOneClearLine(missing, /does not exist/, new RegExp(`CREATE ROLE ${user}_nowhere NOLOGIN`), /DATABASE_ROLE=none/);
    } finally {
      await database.drop();
      await asAdmin(`DROP ROLE IF EXISTS ${user}`);
    }
  }, 60_000);

  it('a role added by hand after the migrations ran, without its rights: says which grants to run', async () => {
    const database = await migratedDatabase('start_role_bare');
    const role = `pbot_bare_${randomBytes(4).toString('hex')}`;
    await asAdmin(`CREATE ROLE ${role} NOLOGIN`);
    try {
      await expect(checkDatabase(database.url, 10_000, role)).rejects.toThrow(new RegExp(`"${role}" .*has no rights.*app_role/migration\\.sql.*DATABASE_ROLE=none`));
      await expect(checkDatabase(database.url, 10_000, 'partnership_bot_app')).resolves.toBeUndefined();
    } finally {
      await database.drop();
      await asAdmin(`DROP ROLE IF EXISTS ${role}`);
    }
  }, 30_000);
});
