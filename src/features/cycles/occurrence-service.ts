import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { forbidden, invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { cancelTimers } from '../../scheduler/timers.js';
import type { CycleDeps } from './context.js';
import { formatDay } from './format.js';
import type { StageScope } from './lifecycle.js';
import type { CyclePlan } from './model.js';
import { armOccurrence, isPlanPaused, occurrenceStartsAt, planForGroup, replanOccurrences } from './occurrence-plan.js';
import { canStartCycle } from './policy.js';
import { plansOf } from './repository.js';
import { inScope } from './scope.js';

/*
 * What admins do to a recurring plan's schedule: skip one date (and undo it), move one date, pause and resume the
 * whole plan. Every change is in the audit log; none touches a cycle already started.
 */

type OccurrenceRow = Awaited<ReturnType<StageScope['tx']['planOccurrence']['findUniqueOrThrow']>>;

export interface OccurrenceRef {
  planKey: string;
  /** The date as the schedule shows it (a moved occurrence answers to its new date and its original one). */
  date: string;
  groupKey?: string | undefined;
}

const actorOf = (profile: MemberProfile) => ({ name: profile.displayName, memberId: profile.memberId });

function mustBeAdmin(profile: MemberProfile, doing: string): void {
  if (!canStartCycle(profile)) throw forbidden(`Only the partnership business manager or an admin can ${doing}.`);
}

async function recurringPlan(scope: StageScope, partnershipId: string, planKey: string, orCycle = false): Promise<CyclePlan> {
  const plans = await plansOf(scope.tx, partnershipId);
  const plan = plans.find((p) => p.key === planKey);
  const recurring = plans.filter((p) => p.recurs !== undefined).map((p) => p.key);
  if (!plan && orCycle) {
    throw invalidInput(`There is no cycle or recurring plan "${planKey}". Name a cycle by its number (\`cycle list\`) or a recurring plan by its key: ${recurring.join(', ') || 'none'}.`);
  }
  if (!plan) throw invalidInput(`There is no plan "${planKey}". Recurring plans: ${recurring.join(', ') || 'none'}.`);
  if (!plan.recurs) throw invalidInput(`"${planKey}" does not recur (it has no recurs: in the partnership file), so it has no schedule to change.`);
  return plan;
}

async function findOccurrence(scope: StageScope, partnershipId: string, ref: OccurrenceRef): Promise<OccurrenceRow> {
  await recurringPlan(scope, partnershipId, ref.planKey);
  const rows = await scope.tx.planOccurrence.findMany({
    where: { partnershipId, planKey: ref.planKey, OR: [{ occursOn: ref.date }, { movedTo: ref.date }], ...(ref.groupKey ? { groupKey: ref.groupKey } : {}) },
  });
  const zone = scope.calendar.zone;
  if (rows.length === 0) {
    const next = await scope.tx.planOccurrence.findMany({
      where: { partnershipId, planKey: ref.planKey, status: 'planned' },
      orderBy: { occursOn: 'asc' },
      take: 3,
    });
    const listed = next.map((row) => formatDay(row.movedTo ?? row.occursOn, zone)).join(', ');
    throw invalidInput(`"${ref.planKey}" has no date on ${formatDay(ref.date, zone)}.${listed ? ` Its next dates: ${listed}.` : ''} Type \`cycle schedule ${ref.planKey}\` to see them all.`);
  }
  if (rows.length > 1) {
    throw invalidInput(`"${ref.planKey}" runs for several groups on ${formatDay(ref.date, zone)}: add the group at the end, e.g. \`group ${rows[0]!.groupKey}\`. Groups: ${rows.map((r) => r.groupKey).join(', ')}.`);
  }
  return rows[0]!;
}

async function mustBePlanned(scope: StageScope, row: OccurrenceRow): Promise<void> {
  if (row.status === 'planned') return;
  if (row.status === 'skipped') throw invalidInput(`That date is already skipped. Type \`cycle unskip ${row.planKey} ${row.movedTo ?? row.occursOn}\` to bring it back.`);
  const cycle = row.cycleId ? await scope.tx.cycle.findUnique({ where: { id: row.cycleId }, select: { number: true } }) : null;
  throw invalidInput(`That date has already started as cycle #${cycle?.number ?? '?'}; change the cycle itself (\`cycle status ${cycle?.number ?? ''}\`).`);
}

/** Skips one date: its cycle will not start. Returns the occurrence (its id is what Undo names). */
export async function skipOccurrence(deps: CycleDeps, profile: MemberProfile, ref: OccurrenceRef): Promise<OccurrenceRow> {
  mustBeAdmin(profile, 'skip a date of a recurring plan');
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    const row = await findOccurrence(scope, profile.partnershipId, ref);
    await mustBePlanned(scope, row);
    await cancelTimers(scope.tx, row.id);
    const skipped = await scope.tx.planOccurrence.update({ where: { id: row.id }, data: { status: 'skipped', note: `by ${profile.displayName}`, changedById: profile.memberId } });
    await audit(scope, profile, row, 'cycle.occurrence.skipped');
    return skipped;
  });
}

/** Brings back a skipped date (Undo, or `cycle unskip`): it starts at its time, or at once if that has passed. */
export async function unskipOccurrence(deps: CycleDeps, profile: MemberProfile, found: { id: string } | OccurrenceRef): Promise<OccurrenceRow> {
  mustBeAdmin(profile, 'bring back a skipped date');
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    const row = 'id' in found
      ? await scope.tx.planOccurrence.findFirst({ where: { id: found.id, partnershipId: profile.partnershipId } })
      : await findOccurrence(scope, profile.partnershipId, found);
    if (!row) throw invalidInput('That date is no longer in the schedule.');
    if (row.status !== 'skipped') throw invalidInput(row.status === 'planned' ? 'That date is not skipped: it will start as planned.' : 'That date has already started.');
    const date = row.movedTo ?? row.occursOn;
    if (date < scope.now.setZone(scope.calendar.zone).toISODate()!) throw invalidInput(`${formatDay(date, scope.calendar.zone)} has passed; it cannot be brought back.`);
    const restored = await scope.tx.planOccurrence.update({ where: { id: row.id }, data: { status: 'planned', note: null, changedById: profile.memberId } });
    await audit(scope, profile, row, 'cycle.occurrence.unskipped');
    if (!(await isPlanPaused(scope.tx, row.partnershipId, row.planKey))) scope.fx.timers([await armOccurrence(scope, row.id, row.planKey, date, DateTime.fromJSDate(row.startsAt))]);
    return restored;
  });
}

/** Moves one date (e.g. a meeting moved a week); its cycle starts at the lead time before the new date. */
export async function rescheduleOccurrence(deps: CycleDeps, profile: MemberProfile, ref: OccurrenceRef, newDate: string): Promise<OccurrenceRow> {
  mustBeAdmin(profile, 'move a date of a recurring plan');
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    const plan = await recurringPlan(scope, profile.partnershipId, ref.planKey);
    const row = await findOccurrence(scope, profile.partnershipId, ref);
    await mustBePlanned(scope, row);
    const zone = scope.calendar.zone;
    if (newDate < scope.now.setZone(zone).toISODate()!) throw invalidInput(`${formatDay(newDate, zone)} has passed: choose a date from today on.`);
    if (newDate === (row.movedTo ?? row.occursOn)) throw invalidInput(`That date is already ${formatDay(newDate, zone)}.`);
    const startsAt = occurrenceStartsAt(planForGroup(plan, row.groupKey), newDate, scope.calendar);
    const moved = await scope.tx.planOccurrence.update({
      where: { id: row.id },
      data: { movedTo: newDate === row.occursOn ? null : newDate, startsAt: startsAt.toJSDate(), changedById: profile.memberId },
    });
    await audit(scope, profile, row, 'cycle.occurrence.moved', { to: newDate });
    if (!(await isPlanPaused(scope.tx, row.partnershipId, row.planKey))) scope.fx.timers([await armOccurrence(scope, row.id, row.planKey, newDate, startsAt)]);
    return moved;
  });
}

/** Pauses a recurring plan: none of its dates start until it is resumed. */
export async function pausePlan(deps: CycleDeps, profile: MemberProfile, planKey: string): Promise<void> {
  mustBeAdmin(profile, 'pause a recurring plan');
  await inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    await recurringPlan(scope, profile.partnershipId, planKey, true);
    const key = { partnershipId: profile.partnershipId, planKey };
    if (await isPlanPaused(scope.tx, profile.partnershipId, planKey)) throw invalidInput(`"${planKey}" is already paused. Type \`cycle resume ${planKey}\` to restart it.`);
    await scope.tx.planPause.create({ data: { ...key, pausedById: profile.memberId, pausedAt: scope.now.toJSDate() } });
    const planned = await scope.tx.planOccurrence.findMany({ where: { ...key, status: 'planned' }, select: { id: true } });
    for (const row of planned) await cancelTimers(scope.tx, row.id);
    await recordAudit(scope.tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.plan.paused', subjectType: 'plan', subjectId: planKey });
  });
}

/**
 * Resumes a paused plan. Dates whose day passed while it was paused are skipped (and say so); a date still to come
 * whose start time passed starts at once.
 */
export async function resumePlan(deps: CycleDeps, profile: MemberProfile, planKey: string): Promise<{ missed: string[] }> {
  mustBeAdmin(profile, 'resume a recurring plan');
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    await recurringPlan(scope, profile.partnershipId, planKey, true);
    const key = { partnershipId: profile.partnershipId, planKey };
    const deleted = await scope.tx.planPause.deleteMany({ where: key });
    if (deleted.count === 0) throw invalidInput(`"${planKey}" is not paused.`);
    const today = scope.now.setZone(scope.calendar.zone).toISODate()!;
    const planned = await scope.tx.planOccurrence.findMany({ where: { ...key, status: 'planned' } });
    const missed: string[] = [];
    for (const row of planned) {
      const date = row.movedTo ?? row.occursOn;
      if (date < today) {
        await scope.tx.planOccurrence.update({ where: { id: row.id }, data: { status: 'skipped', note: 'while the plan was paused' } });
        missed.push(date);
      }
    }
    await recordAudit(scope.tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.plan.resumed', subjectType: 'plan', subjectId: planKey, data: { missed } });
    await replanOccurrences(scope, profile.partnershipId);
    return { missed };
  });
}

async function audit(scope: StageScope, profile: MemberProfile, row: OccurrenceRow, action: string, extra: Record<string, unknown> = {}): Promise<void> {
  await recordAudit(scope.tx, {
    partnershipId: row.partnershipId,
    actor: profile.displayName,
    actorMemberId: profile.memberId,
    action,
    subjectType: 'plan-occurrence',
    subjectId: row.id,
    data: { plan: row.planKey, group: row.groupKey || undefined, occursOn: row.occursOn, ...(row.movedTo ? { movedTo: row.movedTo } : {}), ...extra },
  });
}
