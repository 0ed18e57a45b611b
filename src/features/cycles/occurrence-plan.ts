import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { armTimer, cancelTimers } from '../../scheduler/timers.js';
import type { CycleDeps } from './context.js';
import type { StageScope } from './lifecycle.js';
import { inScope } from './scope.js';
import { EACH_GROUP, type CyclePlan } from './model.js';
import { occurrenceDates } from '../../workflow/recurrence.js';
import { resolveReminderRules } from './reminder-rules.js';
import { plansOf } from './repository.js';
import { planStages } from './schedule.js';

/** Timer kind that starts one occurrence of a recurring plan. */
export const OCCURRENCE_TIMER = 'cycles.occurrence';
/** How far ahead occurrences are written down (and shown by `cycle schedule`). */
const HORIZON_DAYS = 400;

export interface GroupInfo {
  key: string;
  name: string;
  meetingsPerYear: number | null;
}

/** The groups a plan runs for: each of forEachGroup, or the plan itself (group key ""). */
export function targetGroups(plan: CyclePlan, groups: GroupInfo[]): string[] {
  const selection = plan.forEachGroup;
  if (selection === undefined) return [''];
  if ('groups' in selection) return selection.groups.filter((key) => groups.some((g) => g.key === key));
  return groups.filter((g) => g.meetingsPerYear === selection.meetingsPerYear).map((g) => g.key);
}

/** The plan as it runs for one group: `@group` replaced by the group's key, so the cycle's copy is concrete. */
export function planForGroup(plan: CyclePlan, groupKey: string): CyclePlan {
  const { forEachGroup: _applied, ...rest } = plan;
  if (groupKey === '') return rest;
  return JSON.parse(JSON.stringify(rest), (_key, value: unknown) => (value === EACH_GROUP ? groupKey : value)) as CyclePlan;
}

/** The title of the cycle an occurrence starts, e.g. "PQA subgroup meeting: Adults PQA, 14 Jan 2027". */
export function occurrenceTitle(plan: CyclePlan, groupName: string | undefined, date: string, zone: string): string {
  const day = DateTime.fromISO(date, { zone }).setLocale('en-GB');
  const template = plan.recurs?.title ?? (groupName ? '{plan}: {group}, {date}' : '{plan}, {date}');
  return template
    .replaceAll('{plan}', plan.name)
    .replaceAll('{group}', groupName ?? '')
    .replaceAll('{date}', day.toFormat('d LLL yyyy'))
    .replaceAll('{month}', day.toFormat('LLLL'))
    .replaceAll('{year}', day.toFormat('yyyy'));
}

/**
 * When the cycle for a date starts: `opensBefore` before the date, or when its first stage opens, at the plan's
 * sending time on a working day (the working day before, if the lead time lands on a weekend or holiday).
 */
export function occurrenceStartsAt(plan: CyclePlan, date: string, calendar: WorkingCalendar): DateTime {
  const sendAt = resolveReminderRules(plan.reminders, undefined).sendAt;
  const day = DateTime.fromISO(date, { zone: calendar.zone }).set({ hour: 12 });
  let opening: DateTime;
  const lead = plan.recurs?.opensBefore;
  if (lead) {
    opening = lead.unit === 'workingDays' ? calendar.addWorkingDays(day, -lead.amount) : day.minus({ [lead.unit]: lead.amount });
    if (!calendar.isWorkingDay(opening)) opening = calendar.addWorkingDays(opening, -1);
  } else {
    const firstOpening = planStages(plan, day, calendar).map((stage) => stage.opensOn).sort()[0] ?? date;
    opening = DateTime.fromISO(firstOpening, { zone: calendar.zone }).set({ hour: 12 });
  }
  return calendar.atLocalTime(opening, sendAt);
}

export interface ReplanResult {
  created: number;
  moved: number;
  removed: number;
}

/**
 * Writes down the coming occurrences of every recurring plan as rows with a start timer, and takes back the ones the
 * partnership file no longer gives. Started and skipped occurrences are never touched, nor are occurrences an admin
 * moved (except to re-arm them). Idempotent: runs at every start-up, after each occurrence starts and on resume.
 */
export async function replanOccurrences(scope: StageScope, partnershipId: string): Promise<ReplanResult> {
  const { tx, calendar } = scope;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('cycles.occurrences'), hashtext(${partnershipId}))`;
  const plans = (await plansOf(tx, partnershipId)).filter((plan) => plan.recurs !== undefined);
  const groups = await tx.group.findMany({ where: { partnershipId, active: true }, select: { key: true, name: true, meetingsPerYear: true } });
  const today = scope.now.setZone(calendar.zone).toISODate()!;
  const horizon = scope.now.setZone(calendar.zone).plus({ days: HORIZON_DAYS }).toISODate()!;

  const wanted = new Map<string, { plan: CyclePlan; groupKey: string; occursOn: string }>();
  for (const plan of plans) {
    for (const groupKey of targetGroups(plan, groups)) {
      const meetingGroup = groupKey || plan.group;
      const meetingsPerYear = groups.find((g) => g.key === meetingGroup)?.meetingsPerYear ?? undefined;
      for (const occursOn of occurrenceDates(plan.recurs!, meetingsPerYear, { from: today, to: horizon, atLeast: 2 })) {
        wanted.set(identity(plan.key, groupKey, occursOn), { plan, groupKey, occursOn });
      }
    }
  }

  const existing = await tx.planOccurrence.findMany({ where: { partnershipId, OR: [{ status: 'planned' }, { occursOn: { gte: today } }] } });
  const known = new Set(existing.map((row) => identity(row.planKey, row.groupKey, row.occursOn)));
  const result: ReplanResult = { created: 0, moved: 0, removed: 0 };
  const paused = new Set((await tx.planPause.findMany({ where: { partnershipId }, select: { planKey: true } })).map((p) => p.planKey));

  for (const row of existing) {
    if (row.status !== 'planned') continue;
    const plan = plans.find((p) => p.key === row.planKey);
    const stillGiven = wanted.has(identity(row.planKey, row.groupKey, row.occursOn))
      || (row.occursOn < today && plan !== undefined && targetGroups(plan, groups).includes(row.groupKey));
    if (!stillGiven && row.movedTo === null) {
      await cancelTimers(tx, row.id);
      await tx.planOccurrence.delete({ where: { id: row.id } });
      result.removed += 1;
      continue;
    }
    if (!plan || paused.has(row.planKey)) continue;
    const startsAt = occurrenceStartsAt(planForGroup(plan, row.groupKey), row.movedTo ?? row.occursOn, calendar);
    if (startsAt.toMillis() !== row.startsAt.getTime()) {
      await tx.planOccurrence.update({ where: { id: row.id }, data: { startsAt: startsAt.toJSDate() } });
      result.moved += 1;
    }
    scope.fx.timers([await armOccurrence(scope, row.id, row.planKey, row.movedTo ?? row.occursOn, startsAt)]);
  }

  for (const [key, { plan, groupKey, occursOn }] of wanted) {
    if (known.has(key)) continue;
    const startsAt = occurrenceStartsAt(planForGroup(plan, groupKey), occursOn, calendar);
    const row = await tx.planOccurrence.create({ data: { partnershipId, planKey: plan.key, groupKey, occursOn, startsAt: startsAt.toJSDate() } });
    result.created += 1;
    if (!paused.has(plan.key)) scope.fx.timers([await armOccurrence(scope, row.id, plan.key, occursOn, startsAt)]);
  }
  return result;
}

/** Whether an admin paused this recurring plan. */
export async function isPlanPaused(tx: StageScope['tx'], partnershipId: string, planKey: string): Promise<boolean> {
  return (await tx.planPause.findUnique({ where: { partnershipId_planKey: { partnershipId, planKey } }, select: { planKey: true } })) !== null;
}

export async function armOccurrence(scope: Pick<StageScope, 'tx'>, occurrenceId: string, planKey: string, date: string, startsAt: DateTime): Promise<string> {
  return armTimer(scope.tx, { key: `occurrence:${occurrenceId}`, kind: OCCURRENCE_TIMER, subjectId: occurrenceId, dueAt: startsAt, rule: `start ${planKey} for ${date}` });
}

function identity(planKey: string, groupKey: string, occursOn: string): string {
  return `${planKey}|${groupKey}|${occursOn}`;
}

/** Re-plans every partnership's recurring plans, one transaction each (at start-up, after the file was imported). */
export async function replanEveryPartnership(deps: CycleDeps): Promise<void> {
  const partnerships = await deps.db.partnership.findMany({ select: { id: true } });
  for (const { id } of partnerships) {
    await inScope(deps, id, { name: 'scheduler' }, (scope) => replanOccurrences(scope, id));
  }
}
