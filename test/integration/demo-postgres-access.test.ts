import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoStartError } from '../../src/demo/demo-errors.js';
import { startEmbeddedPostgres } from '../../src/demo/embedded-postgres.js';
import { assertPostgresCanRun } from '../../src/demo/postgres-access.js';
import { findPostgresBinaries } from '../../src/demo/postgres-binaries.js';

// As root, the demo runs PostgreSQL as the `postgres` account. A folder only root may enter (`mktemp -d` gives 0700,
// so does /root) then hides PostgreSQL's programs or data from it; the demo must say exactly that, and how to fix it.
const tempDirs: string[] = [];
/** The folder holding bin/, lib/ and share/ of the embedded-postgres package for this platform. */
const nativeDir = path.dirname(path.dirname((await findPostgresBinaries()).initdb));

/** A folder like `mktemp -d` makes: only its owner may enter. */
async function privateFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pbot-private-'));
  await chmod(dir, 0o700);
  tempDirs.push(dir);
  return dir;
}

/** A folder everyone may enter, like a project checked out under /srv. */
async function openFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pbot-open-'));
  await chmod(dir, 0o755);
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('PostgreSQL programs or data in a folder the postgres account cannot enter', () => {
  // Any account but the folder's owner: works whoever runs the tests.
  const someoneElse = { uid: (process.getuid?.() ?? 0) + 4242, gid: (process.getgid?.() ?? 0) + 4242 };

  it('names the folder that hides the programs, and the command that fixes it', async () => {
    const hidden = await privateFolder();
    const bin = path.join(hidden, 'node_modules', 'pg', 'bin');
    await mkdir(bin, { recursive: true, mode: 0o755 });
    for (const program of ['initdb', 'postgres']) await writeFile(path.join(bin, program), '#!/bin/sh\n', { mode: 0o755 });
    const check = assertPostgresCanRun({ binaries: { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') }, dataDir: path.join(await openFolder(), 'data') }, someoneElse);
    await expect(check).rejects.toThrow(DemoStartError);
    await expect(check).rejects.toThrow(`cannot enter ${hidden}`);
    await expect(check).rejects.toThrow(`PostgreSQL's programs (${bin})`);
    await expect(check).rejects.toThrow(`chmod o+x ${hidden}`);
  });

  it('names the folder that hides the data', async () => {
    const hidden = await privateFolder();
    const check = assertPostgresCanRun({ binaries: { initdb: path.join(nativeDir, 'bin', 'initdb'), postgres: path.join(nativeDir, 'bin', 'postgres') }, dataDir: path.join(hidden, 'data') }, someoneElse);
    await expect(check).rejects.toThrow(`cannot enter ${hidden}`);
    await expect(check).rejects.toThrow("the demo's database folder");
  });

  it('lets an account through folders it may enter', async () => {
    const open = await openFolder();
    await expect(assertPostgresCanRun({ binaries: { initdb: path.join(nativeDir, 'bin', 'initdb'), postgres: path.join(nativeDir, 'bin', 'postgres') }, dataDir: path.join(open, 'data') }, someoneElse)).resolves.toBeUndefined();
  });

  it('the demo says what is wrong instead of "check that the folder is writable" (as root), or just starts (as anyone else)', async () => {
    // The real programs, reached through a private folder (a symlink keeps the test from copying 60 MB).
    const hidden = await privateFolder();
    await symlink(nativeDir, path.join(hidden, 'native'));
    const binaries = { initdb: path.join(hidden, 'native', 'bin', 'initdb'), postgres: path.join(hidden, 'native', 'bin', 'postgres') };
    const home = await openFolder();
    const start = startEmbeddedPostgres({ dir: path.join(home, 'data'), logFile: path.join(home, 'postgres.log'), freshCommand: 'npm run demo -- --fresh', binaries });
    if (process.getuid?.() !== 0) {
      // An ordinary user runs PostgreSQL as themselves, and may enter their own private folder.
      await (await start).stop();
      return;
    }
    const failure = await start.then(
      async (server) => {
        await server.stop();
        throw new Error('PostgreSQL started, but the postgres account cannot enter the folder holding its programs');
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DemoStartError);
    const { problem, fix } = failure as DemoStartError;
    expect(problem).toContain(`The "postgres" account cannot enter ${hidden}`);
    expect(fix).toContain(`chmod o+x ${hidden}`);
    expect(fix).not.toContain('writable');
    // Nothing was started or half-created in the data folder.
    expect(existsSync(path.join(home, 'data', 'PG_VERSION'))).toBe(false);
    expect((await stat(hidden)).mode & 0o777).toBe(0o700);
  });
});
