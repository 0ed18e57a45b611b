// Scenario 5: starting Warwickshire's strategic focus review (startCycle) and arming its timers as BullMQ
// delayed jobs, which startCycle does after its transaction commits.
import { performance } from 'node:perf_hooks';
import { featureDepsOf } from '../src/app/install-features.js';
import { loadMemberProfile } from '../src/directory/member-lookup.js';
import { startCycle } from '../src/features/cycles/service-cycle.js';
import type { BotHarness } from '../test/support/bot-harness.js';
import { check, info, ms, summary, type ScenarioResult } from './support.js';

export const cycleTargets = { starts: 20, p95Ms: 500 } as const;

/** `bot` must have imported warwickshire. */
export async function cycleStartScenario(bot: BotHarness): Promise<ScenarioResult> {
  const started = Date.now();
  const { starts, p95Ms } = cycleTargets;
  const manager = await bot.db.member.findFirstOrThrow({ where: { key: 'hannah-whitcombe' } });
  const profile = await loadMemberProfile(bot.db, manager.id);
  if (!profile) throw new Error('hannah-whitcombe has no profile');

  // The real deps, with the after-commit timer sync timed on its own.
  const base = featureDepsOf(bot.runtime.services);
  let syncMs = 0;
  let timersSynced = 0;
  const deps = {
    ...base,
    async syncTimers(ids: readonly string[]) {
      const t = performance.now();
      await base.syncTimers(ids);
      syncMs += performance.now() - t;
      timersSynced += ids.length;
    },
  };

  const durations: number[] = [];
  let stagesCreated = 0;
  for (let i = 0; i < starts; i += 1) {
    const t = performance.now();
    const { stages } = await startCycle(deps, profile, { planKey: 'focus-review', title: `Bench focus review ${i + 1}` });
    durations.push(performance.now() - t);
    stagesCreated += stages.length;
  }

  // Every pending timer row must now be a BullMQ job (delayed, or waiting if already due).
  const pending = await bot.db.timer.findMany({ where: { status: 'pending' }, select: { id: true } });
  let armed = 0;
  for (const timer of pending) {
    const job = await bot.runtime.services.queues.timers.getJob(timer.id);
    if (job) armed += 1;
  }
  const cycles = await bot.db.cycle.count();
  const d = summary(durations);

  return {
    id: '5',
    title: 'Starting a QA cycle',
    setup:
      `${starts} sequential \`startCycle\` calls (Hannah Whitcombe, business manager, plan \`focus-review\`, starting today) on a bot that imported ` +
      'warwickshire.yaml (Teams only). Each call is one transaction (cycle, six stages, first stage opened with its cards queued, the other stages\' ' +
      'timers armed) plus the after-commit sync of those timers to BullMQ delayed jobs and the push of the cards to the delivery queue.',
    rows: [
      info('cycles / stages created', `${cycles} / ${stagesCreated}`),
      info('startCycle p50', ms(d.p50)),
      check('startCycle p95', ms(d.p95), `< ${p95Ms} ms`, d.p95 < p95Ms),
      info('startCycle max (first call included)', ms(d.max)),
      info('of which timer sync to BullMQ (mean per start)', `${ms(syncMs / starts)} for ${(timersSynced / starts).toFixed(1)} timers`),
      check('pending timers with a BullMQ job', `${armed} / ${pending.length}`, 'all', armed === pending.length && pending.length > 0),
    ],
    elapsedMs: Date.now() - started,
  };
}
