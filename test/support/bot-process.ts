// The bot as a separate OS process (`src/main.ts --role web|worker|all` run with tsx), so a test or a script can
// SIGKILL it as a crash would and start it again on the same database and Redis prefix. Its JSON log lines are
// parsed as they arrive.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot, testTimingsEnv } from './bot-harness.js';

export type ProcessRole = 'web' | 'worker' | 'all';

/** One pino line: `level` 30 info, 40 warn, 50 error, 60 fatal. */
export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface BotProcessOptions {
  role: ProcessRole;
  /** The whole environment of the child besides PATH (see `botProcessEnv`). */
  env: Record<string, string>;
  /** Called with every log line as it arrives (e.g. to count them in a long run). */
  onLog?: (line: LogLine) => void;
  /** Keep every line in `logs` (default true; a long soak counts through onLog instead). */
  keepLogs?: boolean;
  /** How long start() waits for the 'started' line (default 60 s). */
  startTimeoutMs?: number;
}

export interface BotProcessEnvOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  slackApiUrl?: string;
  slackSigningSecret?: string;
  slackBotToken?: string;
  teams?: boolean;
  partnershipConfig?: string;
  extra?: Record<string, string>;
}

/** The environment a web or worker child needs, like the in-process harness's (web and worker share the file-link secret). */
export function botProcessEnv(options: BotProcessEnvOptions): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: 'off',
    LOG_LEVEL: 'info',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    FILE_LINK_SECRET: 'bot-process-file-link-secret-0123456789abcdef',
    ...testTimingsEnv,
    ...(options.slackApiUrl
      ? { SLACK_API_URL: options.slackApiUrl, SLACK_SIGNING_SECRET: options.slackSigningSecret ?? '', SLACK_BOT_TOKEN: options.slackBotToken ?? '' }
      : {}),
    ...(options.teams ? { TEAMS_ALLOW_UNAUTHENTICATED: 'true' } : {}),
    ...(options.partnershipConfig ? { PARTNERSHIP_CONFIG: options.partnershipConfig } : {}),
    ...options.extra,
  };
}

export class BotProcess {
  /** Every log line of every run, in order (unless keepLogs is false). */
  readonly logs: LogLine[] = [];
  /** The last lines of the current run, kept even without keepLogs, to say why a start failed. */
  readonly recent: string[] = [];
  /** Output that was not a JSON log line (stderr, stack traces). */
  readonly otherOutput: string[] = [];
  /** The web server's base URL once started (web and all roles). */
  url: string | undefined;
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> | undefined;

  constructor(private readonly options: BotProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once it logs 'started' (migrations, import and start-up reconcile done). */
  async start(): Promise<void> {
    if (this.running) throw new Error('BotProcess is already running');
    // `node --import tsx`, not the tsx CLI: the CLI runs the bot in a grandchild that a SIGKILL would leave running.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', this.options.role], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let started: (() => void) | undefined;
    const startedLine = new Promise<void>((resolve) => (started = resolve));
    this.recent.length = 0;
    createInterface({ input: child.stdout! }).on('line', (text) => {
      this.recent.push(text);
      if (this.recent.length > 30) this.recent.shift();
      const line = parseLogLine(text);
      if (!line) {
        this.otherOutput.push(text);
        return;
      }
      if (this.options.keepLogs !== false) this.logs.push(line);
      this.options.onLog?.(line);
      if (line.msg === 'listening' && typeof line.url === 'string') this.url = line.url;
      if (line.msg === 'started') started?.();
    });
    createInterface({ input: child.stderr! }).on('line', (text) => this.otherOutput.push(text));
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      startedLine.then(() => 'started' as const),
      this.exit.then((code) => `exited with code ${code}` as const),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`did not start within ${timeoutMs} ms`), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (outcome !== 'started') {
      await this.kill();
      throw new Error(`bot ${this.options.role} process ${outcome}:\n${[...this.recent, ...this.otherOutput.slice(-20)].join('\n')}`);
    }
  }

  /** SIGKILL, as a crash or an OOM kill would; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([this.exit!.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
    clearTimeout(timer);
    if (!gone) await this.kill();
  }

  /** Lines of a given message (all runs). */
  linesSaying(msg: string): LogLine[] {
    return this.logs.filter((line) => line.msg === msg);
  }
}

function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && typeof (value as LogLine).level === 'number' ? (value as LogLine) : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in bytes (Linux /proc), or undefined if it is gone. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status?.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}
