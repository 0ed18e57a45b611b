// Microsoft 365 Agents Playground (Microsoft's local Teams-like web client) as a child process, pointed at the bot
// and signed in as the demo member: its config file sets the tenant and the current user's AAD object id.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { stringify } from 'yaml';
import { DemoStartError } from './demo-errors.js';

export interface PlaygroundUser {
  aadObjectId: string;
  name: string;
  email?: string;
}

export interface PlaygroundOptions {
  botEndpoint: string;
  port: number;
  /** Folder for the Playground's config file and log. */
  dir: string;
  tenantId: string;
  currentUser: PlaygroundUser;
  /** Exactly five other people for the Playground's group chat and team (its config schema insists on five). */
  otherUsers: PlaygroundUser[];
}

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  await mkdir(options.dir, { recursive: true });
  const configPath = path.join(options.dir, '.m365agentsplayground.yml');
  await writeFile(configPath, playgroundConfig(options));
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, [cli, '-e', options.botEndpoint, '-c', 'msteams', '-p', String(options.port), '--dt'], {
    cwd: options.dir,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(options.dir, 'playground.log'),
      TEAMSAPPTESTER_BROWSER: 'none',
    },
  });
  const stopOnExit = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => void (errors = (errors + chunk.toString('utf8')).slice(-2000)));
  const url = `http://localhost:${options.port}`;
  try {
    await waitUntilServing(url, child, () => errors);
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    await stopChild(child);
    throw error;
  }
  return {
    url,
    async stop() {
      process.removeListener('exit', stopOnExit);
      await stopChild(child);
    },
  };
}

export function playgroundConfig(options: Pick<PlaygroundOptions, 'tenantId' | 'currentUser' | 'otherUsers'>): string {
  const user = (u: PlaygroundUser, i: number) => {
    const [givenName, ...rest] = u.name.split(' ');
    const email = u.email ?? `user${i}@example.org`;
    return { id: `user-id-${i}`, name: u.name, userPrincipleName: email, aadObjectId: u.aadObjectId, givenName: givenName ?? u.name, surname: rest.join(' ') || u.name, email };
  };
  const config = {
    version: '0.1.1',
    tenantId: options.tenantId,
    bot: { id: '00000000-0000-0000-0000-00000000b075', name: 'Partnership Bot' },
    currentUser: user(options.currentUser, 0),
    users: options.otherUsers.slice(0, 5).map((u, i) => user(u, i + 1)),
    personalChat: { id: 'partnership-bot-demo-personal-chat' },
    groupChat: { id: 'partnership-bot-demo-group-chat', name: 'Demo group chat' },
    team: { id: 'partnership-bot-demo-team', name: 'Demo partnership team', aadGroupId: '00000000-0000-0000-0000-0000000000a1', channels: [{ id: 'demo-announcements', name: 'Announcements' }] },
  };
  return `# Written by npm run demo on every start: the Playground signs in as the demo member of the partnership.\n${stringify(config)}`;
}

async function waitUntilServing(url: string, child: ChildProcess, errors: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DemoStartError(`The Agents Playground stopped during start: ${errors().trim().split('\n').at(-1) ?? 'no output'}.`, 'see the lines above; try another port with npm run demo -- --playground-port 0');
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DemoStartError(`The Agents Playground did not answer at ${url} within ${timeoutMs / 1000} s.`, 'run npm run demo again; if it keeps happening, try npm run demo -- --playground-port 0');
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
