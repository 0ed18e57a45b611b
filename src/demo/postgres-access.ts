// As root the demo runs PostgreSQL as the `postgres` account. That account must be able to walk down every folder
// to PostgreSQL's programs and to the data folder; a folder only root may enter (`mktemp -d`, /root) stops it, and
// without this check the failure surfaces as a bare EACCES from spawn.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DemoStartError } from './demo-errors.js';
import type { PostgresBinaries, RunAs } from './postgres-binaries.js';

export interface PostgresPaths {
  binaries: PostgresBinaries;
  /** The cluster's folder; it may not exist yet (the demo creates it). */
  dataDir: string;
}

/** Throws a DemoStartError naming each folder `account` cannot enter on the way to the programs or the data. */
export async function assertPostgresCanRun(paths: PostgresPaths, account: RunAs): Promise<void> {
  const programs = path.dirname(paths.binaries.postgres);
  const targets = [
    { what: `PostgreSQL's programs (${programs})`, folder: programs },
    { what: `the demo's database folder (${paths.dataDir})`, folder: path.dirname(paths.dataDir) },
  ];
  const hiding = new Map<string, string[]>();
  for (const target of targets) {
    for (const folder of await closedFolders(target.folder, account)) hiding.set(folder, [...(hiding.get(folder) ?? []), target.what]);
  }
  const [first] = hiding;
  if (first) {
    const [folder, what] = first;
    const folders = [...hiding.keys()];
    throw new DemoStartError(
      `The "postgres" account cannot enter ${folder}, which holds ${what.join(' and ')}. Run as root, the demo runs PostgreSQL as "postgres" (PostgreSQL refuses to run as root).`,
      `run: chmod o+x ${folders.join(' ')}  (lets other accounts pass through, not list or read it), or run the demo as an ordinary user, or from a folder every account can enter`,
    );
  }
  for (const program of [paths.binaries.initdb, paths.binaries.postgres]) {
    if (!allows(await stat(program), account)) {
      throw new DemoStartError(`The "postgres" account may not run ${program}.`, `run: chmod o+rx ${program}  (or reinstall: npm install)`);
    }
  }
}

/** The existing folders from `folder` up to /, by the path as written and by the real path behind its symlinks, that `account` cannot enter (top first). */
async function closedFolders(folder: string, account: RunAs): Promise<string[]> {
  const existing = await nearestExisting(path.resolve(folder));
  const chains = new Set([...ancestors(existing), ...ancestors(await realpath(existing))]);
  const closed: string[] = [];
  for (const current of chains) if (!allows(await stat(current), account)) closed.push(current);
  return closed.sort((a, b) => a.length - b.length);
}

function ancestors(folder: string): string[] {
  const chain = [folder];
  while (path.dirname(chain.at(-1)!) !== chain.at(-1)) chain.push(path.dirname(chain.at(-1)!));
  return chain;
}

async function nearestExisting(folder: string): Promise<string> {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      await stat(current);
      return current;
    } catch {
      if (path.dirname(current) === current) return current;
    }
  }
}

/** The execute (search) bit that applies to `account`: owner's, group's or everyone's. */
function allows(info: { uid: number; gid: number; mode: number }, account: RunAs): boolean {
  if (info.uid === account.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === account.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}
