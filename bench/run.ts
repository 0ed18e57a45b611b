// `npm run bench`: the speed and memory benchmarks. Starts the whole bot in-process (test/support/bot-harness.ts:
// fresh migrated PostgreSQL databases, the local Redis, fake Slack API and Bot Connector), drives it over HTTP on
// 127.0.0.1, prints PASS/FAIL per target, rewrites the "Latest run" section of bench/RESULTS.md and exits 1 on a
// miss. `npm run bench -- 4 5` runs only those scenarios and leaves RESULTS.md alone.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startBot, redisUrl, type BotHarness } from '../test/support/bot-harness.js';
import { adminDatabaseUrl } from '../test/support/database.js';
import { cycleStartScenario } from './cycle-start.js';
import { directoryImportScenario } from './directory-import.js';
import { memoryScenario, sampleMemory } from './memory.js';
import { outboxScenario } from './outbox-delivery.js';
import { slackAckScenario } from './slack-ack.js';
import { teamsReplyScenario } from './teams-reply.js';
import { check, failed, withTimeout, type ScenarioResult } from './support.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsFile = path.join(benchDir, 'RESULTS.md');
const startMarker = '<!-- latest-run:start (written by `npm run bench`; do not edit by hand) -->';
const endMarker = '<!-- latest-run:end -->';
const scenarioLimitMs = 120_000;

const allIds = ['1', '2', '3', '4', '5', '6'];
const selected = process.argv.slice(2).filter((a) => allIds.includes(a));
const wanted = new Set(selected.length > 0 ? selected : allIds);
const fullRun = wanted.size === allIds.length;

function printResult(result: ScenarioResult): void {
  console.log(`\n=== ${result.id}. ${result.title} (${(result.elapsedMs / 1000).toFixed(1)} s)`);
  for (const row of result.rows) {
    const verdict = row.target === undefined ? '    ' : row.pass ? 'PASS' : 'FAIL';
    const target = row.target === undefined ? '' : `   [target ${row.target}]`;
    console.log(`  ${verdict}  ${row.measure}: ${row.value}${target}`);
  }
}

async function machine(): Promise<Record<string, string>> {
  const cpus = os.cpus();
  let postgres = 'unknown';
  let redis = 'unknown';
  let commit = 'unknown';
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  try {
    await client.connect();
    const r = await client.query<{ server_version: string }>('SHOW server_version');
    postgres = r.rows[0]?.server_version ?? postgres;
  } catch {
    // reported as unknown
  } finally {
    await client.end().catch(() => undefined);
  }
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    redis = /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? redis;
  } catch {
    // reported as unknown
  } finally {
    r.disconnect();
  }
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: benchDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: benchDir, encoding: 'utf8' }).trim() !== '';
    if (dirty) commit += ' (with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit,
    'CPUs (nproc)': `${os.availableParallelism()} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    PostgreSQL: postgres,
    Redis: redis,
    'load average at start (1/5/15 min)': loadAverage(),
  };
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

function markdown(results: ScenarioResult[], info: Record<string, string>, totalMs: number): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const misses = results.flatMap(failed);
  const lines: string[] = [
    '## Latest run',
    '',
    `**${misses.length === 0 ? 'All targets met' : `${misses.length} target(s) missed`}**, in ${(totalMs / 1000).toFixed(0)} s.`,
    '',
    '| | |',
    '|---|---|',
    ...Object.entries(info).map(([k, v]) => `| ${k} | ${cell(v)} |`),
  ];
  for (const result of results) {
    lines.push('', `### ${result.id}. ${result.title}`, '', result.setup, '', '| Measure | Value | Target | Result |', '|---|---|---|---|');
    for (const row of result.rows) {
      const verdict = row.target === undefined ? '' : row.pass ? 'PASS' : '**FAIL**';
      lines.push(`| ${cell(row.measure)} | ${cell(row.value)} | ${cell(row.target ?? '')} | ${verdict} |`);
    }
  }
  return lines.join('\n');
}

async function writeResults(section: string): Promise<void> {
  let text = '';
  try {
    text = await readFile(resultsFile, 'utf8');
  } catch {
    text = '# Benchmark results\n';
  }
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  const block = `${startMarker}\n${section}\n${endMarker}`;
  text = start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + endMarker.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(resultsFile, text);
}

async function main(): Promise<number> {
  const runStarted = Date.now();
  const results: ScenarioResult[] = [];
  // Other processes sharing the local Redis (test/integration/scheduler.test.ts runs FLUSHALL) can wipe the bots'
  // queues mid-scenario. A sentinel key tells such a run apart from a slow bot.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const sentinel = `bench:undisturbed:${process.pid}:${runStarted}`;
  await redis.set(sentinel, '1', 'EX', 1800);
  const record = async (result: ScenarioResult, usesRedis = true) => {
    if (usesRedis && !(await redis.exists(sentinel))) {
      result.rows.push(check('Redis left alone by other processes during the scenario', 'FLUSHED by another process: queued jobs lost, figures invalid', 'not flushed', false));
      await redis.set(sentinel, '1', 'EX', 1800);
    }
    results.push(result);
    printResult(result);
  };
  const info = await machine();
  console.log(`bench: scenarios ${[...wanted].join(', ')} on ${info['CPUs (nproc)']}, node ${info.node}, PostgreSQL ${info.PostgreSQL}, Redis ${info.Redis}; load ${loadAverage()}`);
  if ((os.loadavg()[0] ?? 0) > os.availableParallelism()) {
    console.log('bench: WARNING the machine is already busy (1-minute load above the CPU count); latencies will be inflated');
  }

  // Scenarios 1–3 (and the memory figures of 6) share two running bots.
  if (wanted.has('1') || wanted.has('2') || wanted.has('3')) {
    const sampler = sampleMemory();
    const phaseStarted = Date.now();
    let fast: BotHarness | undefined;
    let defaultPolicy: BotHarness | undefined;
    try {
      fast = await startBot({ partnership: 'swindon', env: { DELIVERY_RATE_PER_SECOND: '1000' } });
      defaultPolicy = await startBot({ partnership: 'swindon', teams: false });
      const [f, d] = [fast, defaultPolicy];
      if (wanted.has('1')) await record(await withTimeout('scenario 1', scenarioLimitMs, () => slackAckScenario(f, d)));
      if (wanted.has('2')) await record(await withTimeout('scenario 2', scenarioLimitMs, () => teamsReplyScenario(f)));
      if (wanted.has('3')) await record(await withTimeout('scenario 3', scenarioLimitMs, () => outboxScenario(f, d)));
      if (wanted.has('6') && wanted.has('1') && wanted.has('2') && wanted.has('3')) await record(await memoryScenario(sampler, phaseStarted), false);
    } finally {
      sampler.stop();
      await fast?.stop().catch((e: unknown) => console.error('stopping bot:', e));
      await defaultPolicy?.stop().catch((e: unknown) => console.error('stopping bot:', e));
    }
  }

  if (wanted.has('4')) await record(await withTimeout('scenario 4', scenarioLimitMs, () => directoryImportScenario()), false);

  if (wanted.has('5')) {
    const bot = await startBot({ partnership: 'warwickshire', slack: false });
    try {
      await record(await withTimeout('scenario 5', scenarioLimitMs, () => cycleStartScenario(bot)));
    } finally {
      await bot.stop().catch((e: unknown) => console.error('stopping bot:', e));
    }
  }

  await redis.del(sentinel).catch(() => undefined);
  redis.disconnect();
  const totalMs = Date.now() - runStarted;
  info['load average at end (1/5/15 min)'] = loadAverage();
  const misses = results.flatMap((r) => failed(r).map((row) => `${r.id}. ${row.measure}: ${row.value} (target ${row.target})`));
  results.sort((a, b) => a.id.localeCompare(b.id));
  if (fullRun) {
    await writeResults(markdown(results, info, totalMs));
    console.log(`\nwrote ${path.relative(process.cwd(), resultsFile)}`);
  } else {
    console.log('\n(subset run: bench/RESULTS.md left unchanged)');
  }
  console.log(`\nbench finished in ${(totalMs / 1000).toFixed(1)} s: ${misses.length === 0 ? 'all targets met' : `${misses.length} target(s) missed`}`);
  for (const miss of misses) console.log(`  FAIL ${miss}`);
  return misses.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
