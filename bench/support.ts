import { performance } from 'node:perf_hooks';
// Shared pieces of the benchmarks: percentiles, a bounded concurrency pool, polling, and the result shape
// every scenario returns (a table of measured figures, some of them checked against a target).

export interface Row {
  measure: string;
  value: string;
  /** The target, in words (e.g. `< 300 ms`); absent for figures that are only reported. */
  target?: string;
  /** Whether the target was met; required when `target` is set. */
  pass?: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** How the scenario was run (bot configuration, load shape), one paragraph. */
  setup: string;
  rows: Row[];
  /** Wall-clock time the scenario took, including its own setup. */
  elapsedMs: number;
}

export const failed = (result: ScenarioResult): Row[] => result.rows.filter((r) => r.target !== undefined && r.pass !== true);

/** Nearest-rank percentile of unsorted samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summary(samples: readonly number[]): { p50: number; p95: number; p99: number; max: number; mean: number } {
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), max: percentile(samples, 100), mean };
}

export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toString()} ms`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const perSecond = (value: number): string => `${value.toFixed(1)} /s`;

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (;;) {
      const i = next;
      next += 1;
      if (i >= count) return;
      await task(i);
    }
  });
  await Promise.all(lanes);
}

/** Polls `check` every `everyMs` until it returns true; false if `timeoutMs` passed first. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/**
 * Polls `count` until it reaches `target`; gives up when it has not moved for `stallMs` or after `limitMs`.
 * Returns the last count.
 */
export async function waitForCount(count: () => number | Promise<number>, target: number, stallMs: number, limitMs: number, everyMs = 20): Promise<number> {
  const deadline = Date.now() + limitMs;
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const now = await count();
    if (now >= target) return now;
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    }
    if (Date.now() - movedAt > stallMs || Date.now() > deadline) return now;
    await sleep(everyMs);
  }
}

export const sleep = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait));

/** Rejects if `work` takes longer than `limitMs`, so one stuck scenario cannot hang the bench. */
export async function withTimeout<T>(what: string, limitMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: gave up after ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A row with a target: `pass` is computed by the caller's comparison. */
export function check(measure: string, value: string, target: string, pass: boolean): Row {
  return { measure, value, target, pass };
}

export function info(measure: string, value: string): Row {
  return { measure, value };
}

/** CPU time of this process and event-loop utilisation over a stretch of work (the bot runs in this process). */
export function cpuMeter(): { stop(): { cpuMs: number; wallMs: number; elu: number } } {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  return {
    stop() {
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started, elu: performance.eventLoopUtilization(elu).utilization };
    },
  };
}

export const cpuRow = (what: string, count: number, m: { cpuMs: number; wallMs: number; elu: number }): Row =>
  info(
    `process CPU per ${what}; event-loop utilisation`,
    `${ms(m.cpuMs / count)} (${(m.cpuMs / 1000).toFixed(1)} s CPU in ${(m.wallMs / 1000).toFixed(1)} s); ${(m.elu * 100).toFixed(0)} %`,
  );
