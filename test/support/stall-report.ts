// What a stuck bot was doing, for a long run that stops advancing (see year-run.ts): the pending timers and outbox
// rows with their BullMQ jobs, the jobs the workers hold, and what PostgreSQL's sessions on the bot's database are
// doing or waiting for. Diagnostics only. Every part reads through its own connection with its own time limit, so a
// hung Redis, a closed or exhausted pool, or a blocked query cannot hang the report too.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { redisUrl, type BotHarness } from './bot-harness.js';
import { withAdminClient } from './database.js';

const partTimeoutMs = 5_000;

async function part(title: string, read: () => Promise<string[]>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([`(no answer within ${partTimeoutMs / 1000} s)`]), partTimeoutMs);
  });
  const lines = await Promise.race([read().catch((error: unknown) => [`(could not read: ${error instanceof Error ? error.message : String(error)})`]), timedOut]);
  clearTimeout(timer);
  return [`-- ${title}`, ...(lines.length > 0 ? lines : ['(none)'])].join('\n');
}

async function onBotDatabase<T>(bot: BotHarness, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: bot.database.url, application_name: 'stall-report', connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '-');

/** A multi-line report of what the bot's database, queues and this process are doing now. */
export async function stallReport(bot: BotHarness): Promise<string> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true });
  connection.on('error', () => undefined);
  const queues = Object.fromEntries(['timers', 'delivery', 'maintenance'].map((name) => [name, new Queue(name, { connection, prefix: bot.queuePrefix })]));
  for (const queue of Object.values(queues)) queue.on('error', () => undefined);
  const jobState = async (queue: string, id: string) => {
    const job = await queues[queue]!.getJob(id);
    return job ? `${await job.getState()} (attempts made ${job.attemptsMade}, delay ${job.delay} ms)` : 'no job';
  };
  try {
    const parts = await Promise.all([
      part('pending timers (soonest 25) and their BullMQ jobs', async () => {
        const rows = await onBotDatabase(bot, async (c) => (await c.query<{ id: string; key: string; kind: string; dueAt: Date }>(
          `SELECT id, key, kind, "dueAt" FROM "Timer" WHERE status = 'pending' ORDER BY "dueAt" LIMIT 25`)).rows);
        return Promise.all(rows.map(async (r) => `${iso(r.dueAt)} ${r.kind} ${r.key}: job ${await jobState('timers', r.id)}`));
      }),
      part('pending outbox rows (oldest 25) and their BullMQ jobs', async () => {
        const rows = await onBotDatabase(bot, async (c) => (await c.query<{ id: string; platform: string; operation: string; attempts: number; sendingSince: Date | null; createdAt: Date; lastError: string | null }>(
          `SELECT id, platform, operation, attempts, "sendingSince", "createdAt", "lastError" FROM "OutboxMessage" WHERE status = 'pending' ORDER BY "createdAt" LIMIT 25`)).rows);
        return Promise.all(rows.map(async (r) => `${r.id} ${r.platform} ${r.operation} attempts=${r.attempts} created=${iso(r.createdAt)} sendingSince=${iso(r.sendingSince)} lastError=${r.lastError ?? '-'}: job ${await jobState('delivery', r.id)}`));
      }),
      part('BullMQ job counts, and the jobs workers hold (active)', async () => {
        await connection.connect().catch(() => undefined);
        return (await Promise.all(Object.entries(queues).map(async ([name, queue]) => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
          const active = await queue.getJobs(['active'], 0, 20);
          return [`${name}: ${JSON.stringify(counts)}`, ...active.map((j) => `  active ${j.id} ${j.name} since ${j.processedOn ? new Date(j.processedOn).toISOString() : '-'} attempts made ${j.attemptsMade} data ${JSON.stringify(j.data)}`)];
        }))).flat();
      }),
      part("pg_stat_activity on the bot's database, and locks waited for", () => withAdminClient(async (c) => {
        const name = new URL(bot.database.url).pathname.slice(1);
        const sessions = (await c.query<{ pid: number; application_name: string; state: string | null; wait: string | null; xact_age: string | null; query_age: string | null; query: string }>(
          `SELECT pid, application_name, state, wait_event_type || ':' || wait_event AS wait,
                  (now() - xact_start)::text AS xact_age, (now() - query_start)::text AS query_age, left(query, 200) AS query
             FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY xact_start NULLS LAST`, [name])).rows;
        const waiting = (await c.query<{ pid: number; locktype: string; mode: string; what: string; blocked_by: number[] }>(
          `SELECT l.pid, l.locktype, l.mode, coalesce(l.relation::regclass::text, l.classid || '/' || l.objid, '') AS what, pg_blocking_pids(l.pid) AS blocked_by
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = $1`, [name])).rows;
        return [
          ...sessions.map((s) => `pid ${s.pid} ${s.application_name || '-'} ${s.state ?? '-'} wait=${s.wait ?? '-'} xact=${s.xact_age ?? '-'} query=${s.query_age ?? '-'}: ${s.query.replace(/\s+/g, ' ')}`),
          ...waiting.map((w) => `pid ${w.pid} waits for ${w.locktype} ${w.mode} ${w.what}, blocked by ${w.blocked_by.join(', ') || '?'}`),
        ];
      })),
      part('this process: what keeps the event loop busy', async () => {
        const counts = process.getActiveResourcesInfo().reduce((m, type) => m.set(type, (m.get(type) ?? 0) + 1), new Map<string, number>());
        return [[...counts].map(([type, n]) => `${type} x${n}`).join(', ')];
      }),
    ]);
    return parts.join('\n');
  } finally {
    await Promise.allSettled(Object.values(queues).map((q) => q.close()));
    connection.disconnect();
  }
}

/**
 * Fails a long run when it stops advancing: `step()` at each step says what it is about to do; when one step has
 * taken `stallMs`, `failed` rejects with the step, the time it began and a stallReport. Race the run against it.
 */
export class StallWatchdog {
  readonly failed: Promise<never>;
  private step = 'starting';
  private since = Date.now();
  private readonly timer: NodeJS.Timeout;
  private reject!: (error: Error) => void;
  private done = false;

  constructor(
    private readonly bot: BotHarness,
    private readonly stallMs: number,
    private readonly where: () => string = () => '',
  ) {
    this.failed = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.failed.catch(() => undefined);
    this.timer = setInterval(() => void this.check(), Math.min(1_000, stallMs));
    this.timer.unref();
  }

  /** The run is about to do `what`. */
  at(what: string): void {
    this.step = what;
    this.since = Date.now();
  }

  /** True once the watchdog has given up on the run (the run should stop acting). */
  get stalled(): boolean {
    return this.done;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.done || Date.now() - this.since < this.stallMs) return;
    this.done = true;
    this.stop();
    const seconds = Math.round((Date.now() - this.since) / 1000);
    const head = `stalled: no progress for ${seconds} s while ${this.step} (began ${new Date(this.since).toISOString()})${this.where() ? `; ${this.where()}` : ''}`;
    const report = await stallReport(this.bot).catch((error: unknown) => `(no report: ${String(error)})`);
    this.reject(new Error(`${head}\n${report}`));
  }
}

/** Runs `run` (e.g. the bot's stop); if it is still running after `ms`, prints a stallReport, and goes on waiting. */
export async function reportIfSlow<T>(bot: BotHarness, what: string, ms: number, run: () => Promise<T>): Promise<T> {
  const timer = setTimeout(() => {
    void stallReport(bot).then((report) => console.error(`still ${what} after ${ms / 1000} s:\n${report}`));
  }, ms);
  timer.unref();
  try {
    return await run();
  } finally {
    clearTimeout(timer);
  }
}
