import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import { eventually, examplePartnership, type BotHarness } from './bot-harness.js';
import { deleteKeysWithPrefix } from './redis-prefix.js';
import { visibleCardText } from './card-text.js';
import { TeamsUser } from './teams-chat.js';
import { StallWatchdog } from './stall-report.js';

// Drives a bot through a year on a fake clock, as cycle-simulation.test.ts does for one cycle: the clock jumps to the
// next pending timer (any kind) and waits until every timer due by then has fired; each open stage is marked done at
// noon on its due day by an admin. A stage asking for per-agency returns is not marked done: every agency sends its
// return at noon on the due day except one, which never does; once that agency's return has been escalated to the
// stage owner, the admin closes the stage with it missing.

const zone = 'Europe/London';

/** A copy of the example partnership file as it is now, so that edits to the example during a run change nothing. */
export async function snapshotOfExample(name: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `pbot-year-${name}-`));
  const file = path.join(dir, `${name}.yaml`);
  await copyFile(examplePartnership(name), file);
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Deletes our queue prefix's keys from the shared Redis (never FLUSHALL: other test files share it). */
export async function flushOurRedisKeys(bot: BotHarness): Promise<void> {
  await deleteKeysWithPrefix(bot.queuePrefix);
}

export interface YearRunOptions {
  bot: BotHarness;
  clock: ManualClock;
  tenant: string;
  /** Teams AAD object id of an admin, who marks stages done and closes them with returns missing. */
  adminAad: string;
  /** The agency that never sends its return. */
  silentAgencyKey: string;
  end: DateTime;
  /** The Redis prefix is deleted and the bot restarted when the clock first reaches this instant. */
  restartAt: DateTime;
  /**
   * Fail, with a report of what the bot was doing (test/support/stall-report.ts), when one step of the year takes
   * this long (default YEAR_RUN_STALL_SECONDS, else 60 s; a step is normally well under 15 s).
   */
  stallSeconds?: number;
}

export interface YearRunFigures {
  timerInstants: number;
  stagesMarkedDone: number;
  returnsSent: number;
  stagesClosedWithMissing: number;
  restarted: boolean;
  /** Wall-clock milliseconds spent waiting for timers, acting as people, and choosing what comes next. */
  ms: { timers: number; reconcile: number; people: number; choosing: number };
}

const noonOn = (day: string) => DateTime.fromISO(`${day}T12:00`, { zone });

export async function runYear(o: YearRunOptions): Promise<YearRunFigures> {
  const figures: YearRunFigures = { timerInstants: 0, stagesMarkedDone: 0, returnsSent: 0, stagesClosedWithMissing: 0, restarted: false, ms: { timers: 0, reconcile: 0, people: 0, choosing: 0 } };
  const stallMs = (o.stallSeconds ?? (Number(process.env.YEAR_RUN_STALL_SECONDS) || 60)) * 1000;
  const progress = () => `simulated time ${o.clock.now().toISO()}; ${figures.timerInstants} timer instants, ${figures.stagesMarkedDone} stages done, ${figures.restarted ? 'after' : 'before'} the restart`;
  const watchdog = new StallWatchdog(o.bot, stallMs, progress);
  try {
    return await Promise.race([simulate(o, figures, watchdog), watchdog.failed]);
  } finally {
    watchdog.stop();
  }
}

async function simulate(o: YearRunOptions, figures: YearRunFigures, watchdog: StallWatchdog): Promise<YearRunFigures> {
  const { bot, clock } = o;
  const admin = new TeamsUser(bot, o.adminAad, o.tenant, 'Admin');
  // The London month of the last whole reconcile (see fireTimersDueNow).
  let reconciledMonth = '';

  for (let guard = 0; guard < 20_000 && !watchdog.stalled; guard++) {
    watchdog.at('choosing the next timer or task');
    const choosing = Date.now();
    const timer = await bot.db.timer.findFirst({ where: { status: 'pending' }, orderBy: { dueAt: 'asc' } });
    const timerAt = timer ? DateTime.fromJSDate(timer.dueAt) : undefined;
    const task = await nextTask(o);
    const taskFirst = task && (!timerAt || task.at <= timerAt);
    const at = taskFirst ? task.at : timerAt;
    if (!at || at > o.end) break;
    if (!figures.restarted && at >= o.restartAt) {
      clock.set(o.restartAt);
      watchdog.at(`deleting our Redis keys (prefix ${bot.queuePrefix}) before the restart`);
      await flushOurRedisKeys(bot);
      watchdog.at('restarting: stopping the bot (runtime.stop)');
      await bot.restart(() => watchdog.at('restarting: the bot stopped; starting it again (startRuntime)'));
      figures.restarted = true;
      reconciledMonth = clock.now().setZone(zone).toFormat('yyyy-MM'); // the start reconciled
      continue;
    }
    if (at > clock.now()) clock.set(at);
    const acting = Date.now();
    figures.ms.choosing += acting - choosing;
    if (taskFirst) {
      watchdog.at(`a person's task due ${task.at.toISO()}`);
      await task.run(admin, figures);
      figures.ms.people += Date.now() - acting;
    } else {
      const month = clock.now().setZone(zone).toFormat('yyyy-MM');
      watchdog.at(`firing the timers due by ${clock.now().toISO()}`);
      figures.ms.reconcile += await fireTimersDueNow(bot, clock, month !== reconciledMonth);
      reconciledMonth = month;
      figures.timerInstants += 1;
      figures.ms.timers += Date.now() - acting;
    }
  }
  watchdog.at('the last reconcile');
  clock.set(o.end);
  await bot.runtime.reconcileNow();
  return figures;
}

/**
 * Lets the real BullMQ path fire every timer due by the clock's time (ones they arm for the same instant too). The
 * clock jumps, so a job armed for a due time weeks away still waits weeks of real time: the timers now due get their
 * jobs moved to now, as a reconcile would. A whole reconcile (every pending timer's job moved to its new delay, stale
 * jobs removed, pending outbox rows queued) runs at the first timer instant of each month, as the bot's own schedule
 * runs one every few minutes; at every instant it took most of the run's time.
 */
async function fireTimersDueNow(bot: BotHarness, clock: ManualClock, wholeReconcile: boolean): Promise<number> {
  const now = clock.now().toJSDate();
  const began = Date.now();
  if (wholeReconcile) {
    await bot.runtime.reconcileNow();
  } else {
    const due = await bot.db.timer.findMany({ where: { status: 'pending', dueAt: { lte: now } }, select: { id: true } });
    await bot.runtime.services.timerJobs.sync(due.map((t) => t.id));
  }
  const reconciling = Date.now() - began;
  await eventually(async () => (await bot.db.timer.count({ where: { status: 'pending', dueAt: { lte: now } } })) === 0, 15_000, `timers due by ${now.toISOString()}`);
  return reconciling;
}

interface Task {
  at: DateTime;
  run: (admin: TeamsUser, figures: YearRunFigures) => Promise<void>;
}

/** The soonest thing people do: mark a stage done, send the returns, or close a stage with the silent agency missing. */
async function nextTask(o: YearRunOptions): Promise<Task | undefined> {
  const { bot, clock } = o;
  const open = await bot.db.cycleStage.findMany({ where: { status: 'open' }, orderBy: [{ dueOn: 'asc' }, { seq: 'asc' }], include: { returns: { include: { agency: true } } } });
  const tasks: Task[] = [];
  for (const stage of open) {
    const noon = noonOn(stage.dueOn);
    const at = noon > clock.now() ? noon : clock.now();
    if (stage.returns.length === 0) {
      tasks.push({ at, run: (admin, figures) => markDone(admin, stage.id, figures) });
      continue;
    }
    const others: { returnId: string; sender: { teamsAadObjectId: string | null; displayName: string } }[] = [];
    for (const r of stage.returns) {
      if (r.status !== 'awaited' || r.agency.key === o.silentAgencyKey) continue;
      const sender = await senderFor(bot, r.agency.id);
      if (sender) others.push({ returnId: r.id, sender });
    }
    if (others.length > 0) {
      tasks.push({ at, run: async (_admin, figures) => { for (const r of others) await sendReturn(o, r.returnId, r.sender, figures); } });
      continue;
    }
    // Agencies nobody can answer for in Teams stay awaited like the silent one; the stage closes once the silent
    // agency's return has been escalated to the stage owner.
    const silent = stage.returns.find((r) => r.agency.key === o.silentAgencyKey && r.status === 'awaited');
    const escalated = silent && (await bot.db.auditEvent.findFirst({ where: { action: 'cycle.return.reminder.sent', subjectId: silent.id, data: { path: ['kind'], equals: 'escalate-owner' } } }));
    if (!silent || escalated) {
      const after = escalated ? noonOn(DateTime.fromISO((escalated.data as { at: string }).at).setZone(zone).toISODate()!) : at;
      tasks.push({ at: after > clock.now() ? after : clock.now(), run: (admin, figures) => closeWithMissing(admin, stage.id, figures) });
    }
  }
  tasks.sort((a, b) => a.at.toMillis() - b.at.toMillis());
  return tasks[0];
}

const answerText = (answer: { value: unknown }) => JSON.stringify(answer.value);

async function markDone(admin: TeamsUser, stageId: string, figures: YearRunFigures): Promise<void> {
  const answer = await admin.press('stage.done', { value: stageId });
  expect(answerText(answer), `Mark done on stage ${stageId}`).toContain('Done by');
  figures.stagesMarkedDone += 1;
}

async function closeWithMissing(admin: TeamsUser, stageId: string, figures: YearRunFigures): Promise<void> {
  const asked = await admin.press('stage.done', { value: stageId });
  expect(answerText(asked)).toContain('with returns missing?');
  const closed = await admin.press('return.close-stage', { value: stageId });
  expect(answerText(closed)).toContain('Recorded as missing in the audit log');
  figures.stagesClosedWithMissing += 1;
}

/** One of the agency's leads or its representative who is reachable in Teams; undefined when there is none. */
function senderFor(bot: BotHarness, agencyId: string) {
  return bot.db.member.findFirst({
    where: {
      active: true, teamsAadObjectId: { not: null },
      OR: [
        { roles: { some: { agencyId, active: true, role: { in: ['agency_lead', 'signatory'] } } } },
        { agencyId, roles: { some: { active: true, role: 'partner_lead' } } },
      ],
    },
    orderBy: { key: 'asc' },
  });
}

/** The agency's lead or representative sends the return the way the stage asks (form or secure email). */
async function sendReturn(o: YearRunOptions, returnId: string, sender: { teamsAadObjectId: string | null; displayName: string }, figures: YearRunFigures): Promise<void> {
  const { bot } = o;
  const user = new TeamsUser(bot, sender.teamsAadObjectId!, o.tenant, sender.displayName);
  const opened = await user.press('return.submit', { value: returnId });
  let answer: { value: unknown };
  if (opened.type === 'application/vnd.microsoft.card.adaptive') {
    const card = JSON.stringify(opened.value);
    const state = JSON.parse(`"${(card.match(/"state":"((?:[^"\\]|\\.)*)"/) ?? [])[1]}"`) as string;
    const values: Record<string, string> = { state };
    for (const id of card.match(/"id":"figure-[^"]+"/g) ?? []) values[id.slice(6, -1)] = '7';
    if (card.includes('"id":"narrative"')) values.narrative = 'Referrals steady; no exceptions this quarter.';
    answer = await user.press('form:return.submit', values);
  } else {
    answer = await user.press('return.secure-email', { value: returnId });
  }
  expect(answerText(answer), `return ${returnId} sent by ${sender.displayName}`).toContain('return for');
  expect((await bot.db.stageReturn.findUniqueOrThrow({ where: { id: returnId } })).status).toBe('returned');
  figures.returnsSent += 1;
}

/** What each member read, card by card, in their chat with the bot (every Adaptive Card's visible text). */
export function cardsReadBy(bot: BotHarness, aad: string): string[] {
  return bot.connector.sentActivities(`a:personal-${aad}`).flatMap((a) => (a.attachments ?? [])
    .filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((x) => visibleCardText(x.content)));
}
