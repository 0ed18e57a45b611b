// Scenario 6: memory of the process running the bot, sampled while scenarios 1–3 run and measured again after a
// full garbage collection once they are done (bots still running).
import v8 from 'node:v8';
import vm from 'node:vm';
import { check, info, mb, sleep, type ScenarioResult } from './support.js';

export const memoryTargets = { heapUsedMb: 300 } as const;

export interface MemorySampler {
  stop(): { peakRss: number; peakHeapUsed: number; samples: number };
}

/** Samples process.memoryUsage() every `everyMs` until stopped. */
export function sampleMemory(everyMs = 100): MemorySampler {
  let peakRss = 0;
  let peakHeapUsed = 0;
  let samples = 0;
  const take = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    samples += 1;
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRss, peakHeapUsed, samples };
    },
  };
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

export async function memoryScenario(sampler: MemorySampler, startedAt: number): Promise<ScenarioResult> {
  const { heapUsedMb } = memoryTargets;
  const peak = sampler.stop();
  const before = process.memoryUsage();
  collectGarbage();
  await sleep(50);
  collectGarbage();
  const after = process.memoryUsage();
  const limit = heapUsedMb * 1024 * 1024;
  return {
    id: '6',
    title: 'Memory',
    setup:
      'Everything runs in one Node process: both bots of scenarios 1–3 (HTTP server, Bolt, botbuilder, BullMQ workers, Prisma), the fake Slack API ' +
      'and Bot Connector (which keep every request they received) and the load generator. Peaks are sampled every 100 ms during ' +
      'scenarios 1–3. "After" is read once they finish, bots still running: first as the process reports it, then after two forced full ' +
      'collections (the live set). The target applies to the live set: heap used as ' +
      'reported at an arbitrary moment also counts garbage that V8, well under its heap limit, has had no reason to collect. The ' +
      'fakes\' recordings count against the bot.',
    rows: [
      check('heap used after scenarios 1–3, after a full GC (what the process keeps)', mb(after.heapUsed), `< ${heapUsedMb} MB`, after.heapUsed < limit),
      info('heap used after scenarios 1–3, as reported before that GC (includes garbage V8 has not needed to collect yet)', mb(before.heapUsed)),
      info('heap used, peak sampled during scenarios 1–3 (includes garbage not yet collected)', mb(peak.peakHeapUsed)),
      info('RSS after scenarios 1–3: as reported / after full GC', `${mb(before.rss)} / ${mb(after.rss)}`),
      info('RSS, peak sampled during scenarios 1–3', mb(peak.peakRss)),
      info('heap total / external / array buffers after', `${mb(after.heapTotal)} / ${mb(after.external)} / ${mb(after.arrayBuffers)}`),
      info('V8 heap size limit', mb(v8.getHeapStatistics().heap_size_limit)),
      info('samples', String(peak.samples)),
    ],
    elapsedMs: Date.now() - startedAt,
  };
}
