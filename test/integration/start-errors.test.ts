// `npm start` against a database it cannot use: one clear line saying what is wrong and how to fix it, a non-zero
// exit, no stack trace, and never the password from DATABASE_URL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminDatabaseUrl } from '../support/database.js';
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
