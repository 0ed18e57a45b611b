import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { BotError, forbidden, invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { takeCycleAgenda } from './agenda-items.js';
import { armStage } from './arming.js';
import { cancelTimers } from '../../scheduler/timers.js';
import type { CycleDeps } from './context.js';
import { moveDueDate } from './due-dates.js';
import { formatDay } from './format.js';
import { openStage, refreshStageCards, type StageScope } from './lifecycle.js';
import type { CyclePlan } from './model.js';
import { canChangeCycle, canStartCycle } from './policy.js';
import { loadCycle, plansOf } from './repository.js';
import { refreshReturnCards } from './returns-refresh.js';
import { planStages } from './schedule.js';
import { inScope } from './scope.js';
import { ownCycleId } from './ownership.js';
import { asCycle, asStage, type CycleRow, type StageRow } from './stage-row.js';

const actorOf = (profile: MemberProfile) => ({ name: profile.displayName, memberId: profile.memberId });

export interface StartCycleInput {
  planKey: string;
  title: string;
  startOn?: string;
  leadMemberId?: string;
}

/** Starts a cycle from a plan: every stage gets its planned window, the first opens now, the rest arm their timers. */
export async function startCycle(deps: CycleDeps, profile: MemberProfile, input: StartCycleInput): Promise<{ cycle: CycleRow; stages: StageRow[] }> {
  if (!canStartCycle(profile)) throw forbidden('Only the partnership business manager or an admin can start a cycle.');
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    // The lead can come from a "Start anyway" button's payload: only an active member of this partnership.
    if (input.leadMemberId !== undefined) {
      const lead = looksLikeId(input.leadMemberId) ? await scope.tx.member.findUnique({ where: { id: input.leadMemberId }, select: { partnershipId: true, active: true } }) : null;
      if (!lead || !lead.active || lead.partnershipId !== profile.partnershipId) {
        throw unknownSubject('That lead is not a member of the partnership. Nothing was started.', 'member', input.leadMemberId, Boolean(lead) && lead?.partnershipId !== profile.partnershipId);
      }
    }
    const plans = await plansOf(scope.tx, profile.partnershipId);
    const plan = plans.find((p) => p.key === input.planKey);
    if (!plan) {
      throw invalidInput(`There is no plan "${input.planKey}". Plans: ${plans.map((p) => p.key).join(', ') || 'none (add plans: to the partnership file)'}.`);
    }
    if (plan.forEachGroup !== undefined) {
      throw invalidInput(`"${plan.key}" runs for several groups and starts by itself: type \`cycle schedule ${plan.key}\` to see when.`);
    }
    const startOn = input.startOn ?? scope.now.setZone(scope.calendar.zone).toISODate()!;
    const started = await createCycle(scope, profile.partnershipId, {
      plan,
      title: input.title,
      startOn,
      leadMemberId: input.leadMemberId ?? profile.memberId,
      createdById: profile.memberId,
    });
    // Started by hand on one of its recurring dates: that date is taken, so the scheduler does not start it again.
    const occurrence = await scope.tx.planOccurrence.findFirst({
      where: { partnershipId: profile.partnershipId, planKey: plan.key, groupKey: '', status: 'planned', OR: [{ movedTo: startOn }, { occursOn: startOn, movedTo: null }] },
    });
    if (occurrence) {
      await scope.tx.planOccurrence.update({ where: { id: occurrence.id }, data: { status: 'started', cycleId: started.cycle.id, startedAt: scope.now.toJSDate(), changedById: profile.memberId } });
      await cancelTimers(scope.tx, occurrence.id);
    }
    return started;
  });
}

export interface NewCycle {
  plan: CyclePlan;
  title: string;
  startOn: string;
  leadMemberId?: string | undefined;
  createdById?: string | undefined;
  /** Facts for the audit event, e.g. the occurrence a recurring plan started it for. */
  auditData?: Record<string, unknown>;
}

/** Creates a cycle and its stages inside the caller's scope (a person's command or the scheduler's occurrence). */
export async function createCycle(scope: StageScope, partnershipId: string, input: NewCycle): Promise<{ cycle: CycleRow; stages: StageRow[] }> {
  const { plan, startOn } = input;
  const planned = planStages(plan, DateTime.fromISO(startOn, { zone: scope.calendar.zone }), scope.calendar);
  // Numbers are read-then-incremented: a per-partnership lock, held to commit, makes concurrent starts take turns.
  await scope.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('cycles.number'), hashtext(${partnershipId}))`;
  const last = await scope.tx.cycle.findFirst({ where: { partnershipId }, orderBy: { number: 'desc' }, select: { number: true } });
  const created = await scope.tx.cycle.create({
    data: {
      partnershipId,
      number: (last?.number ?? 0) + 1,
      planKey: plan.key,
      planName: plan.name,
      plan: plan as object,
      title: input.title,
      startOn,
      leadMemberId: input.leadMemberId ?? null,
      createdById: input.createdById ?? null,
    },
  });
  const cycle = asCycle(created);
  const stages: StageRow[] = [];
  for (const [seq, p] of planned.entries()) {
    const row = await scope.tx.cycleStage.create({
      data: {
        cycleId: cycle.id,
        seq,
        key: p.key,
        name: p.name,
        doneMeans: p.done,
        owner: p.owner as object,
        opensOn: p.opensOn,
        dueOn: p.dueOn,
        plannedDueOn: p.plannedDueOn,
        reminders: { ...p.reminders, escalationGroup: p.escalationGroup ?? null } as object,
      },
    });
    stages.push(asStage(row));
  }
  // Before any stage opens: the first stage's opening announcement lists what the cycle took.
  const agenda = await takeCycleAgenda(scope.tx, cycle, scope.now.toJSDate());
  await recordAudit(scope.tx, {
    partnershipId: cycle.partnershipId,
    actor: scope.actor.name,
    actorMemberId: scope.actor.memberId,
    action: 'cycle.started',
    subjectType: 'cycle',
    subjectId: cycle.id,
    // How many agenda items, never their titles (another feature's words, possibly typed by a person).
    data: { number: cycle.number, plan: plan.key, startOn, stages: stages.length, agendaItems: agenda.length, ...input.auditData },
  });
  // A stage whose opening (09:30 on its opening day) has passed opens at once: a cycle started late, or
  // back-dated, is mid-flight from the first minute. The others wait for their opening timer.
  const today = scope.now.setZone(scope.calendar.zone).toISODate()!;
  for (const [i, stage] of stages.entries()) {
    const opensAt = scope.calendar.atLocalTime(DateTime.fromISO(stage.opensOn, { zone: scope.calendar.zone }), stage.reminders.sendAt);
    if (opensAt <= scope.now || (i === 0 && stage.opensOn <= today)) {
      stages[i] = await openStage(scope, cycle, stage, 'cycle started');
    } else {
      scope.fx.timers(await armStage(scope.tx, stage, true, scope.calendar, scope.now));
    }
  }
  return { cycle, stages };
}

export type CycleChange = 'pause' | 'resume' | 'cancel';

/** Pauses (no reminders; due dates stay), resumes (reminders re-armed from now) or cancels a cycle. */
export async function changeCycle(deps: CycleDeps, profile: MemberProfile, cycleId: string, change: CycleChange): Promise<CycleRow> {
  await ownCycleId(deps.db, profile, cycleId);
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    const { cycle, stages } = await loadCycle(scope.tx, cycleId);
    if (!canChangeCycle(profile, cycle)) throw forbidden(`Only an admin or the cycle's lead can ${change} cycle #${cycle.number}.`, { type: 'cycle', id: cycle.id });
    const from = { pause: ['active'], resume: ['paused'], cancel: ['active', 'paused'] }[change];
    if (!from.includes(cycle.status)) throw invalidInput(`Cycle #${cycle.number} is ${cycle.status}; it cannot be ${change === 'pause' ? 'paused' : change === 'resume' ? 'resumed' : 'cancelled'}.`);
    const status = change === 'pause' ? 'paused' : change === 'resume' ? 'active' : 'cancelled';
    const updated = asCycle(await scope.tx.cycle.update({ where: { id: cycle.id }, data: { status, pausedAt: change === 'pause' ? scope.now.toJSDate() : null, ...(change === 'cancel' ? { endedAt: scope.now.toJSDate() } : {}) } }));
    // The audit event names this change in the cards' update keys: a second pause is a new change, even at the same instant.
    const changeEventId = await recordAudit(scope.tx, { partnershipId: cycle.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: `cycle.${status}`, subjectType: 'cycle', subjectId: cycle.id });
    for (const stage of stages) {
      if (stage.status === 'done' || stage.status === 'cancelled') continue;
      const current: StageRow = change === 'cancel' ? { ...stage, status: 'cancelled' } : stage;
      if (change === 'cancel') await scope.tx.cycleStage.update({ where: { id: stage.id }, data: { status: 'cancelled' } });
      scope.fx.timers(await armStage(scope.tx, current, status === 'active', scope.calendar, scope.now));
      await refreshStageCards(scope, updated, current, `${change}@${changeEventId}`, change === 'resume' ? 'resumed' : 'moved');
      await refreshReturnCards(scope, updated, current, `${change}@${changeEventId}`, change === 'resume' ? 'resumed' : 'moved');
    }
    return updated;
  });
}

/** An admin or the lead moves a stage's due date (later stages measured from it move too). */
export async function moveStage(deps: CycleDeps, profile: MemberProfile, cycleId: string, stageKey: string, newDueOn: string): Promise<{ cycle: CycleRow; moved: StageRow[] }> {
  await ownCycleId(deps.db, profile, cycleId);
  return inScope(deps, profile.partnershipId, actorOf(profile), async (scope) => {
    const { cycle, stages } = await loadCycle(scope.tx, cycleId);
    if (!canChangeCycle(profile, cycle)) throw forbidden(`Only an admin or the cycle's lead can move dates in cycle #${cycle.number}.`, { type: 'cycle', id: cycle.id });
    const stage = stages.find((s) => s.key === stageKey || String(s.seq + 1) === stageKey);
    if (!stage) throw invalidInput(`Cycle #${cycle.number} has no stage "${stageKey}". Stages: ${stages.map((s) => s.key).join(', ')}.`);
    if (stage.status === 'done' || stage.status === 'cancelled') throw invalidInput(`"${stage.name}" is ${stage.status}; its date can no longer move.`);
    const day = DateTime.fromISO(newDueOn, { zone: scope.calendar.zone });
    if (!scope.calendar.isWorkingDay(day)) {
      throw invalidInput(`${formatDay(newDueOn, scope.calendar.zone)} is not a working day. The next one is ${formatDay(scope.calendar.nextWorkingDay(day).toISODate()!, scope.calendar.zone)}.`);
    }
    if (newDueOn === stage.dueOn) throw new BotError('invalid_input', 'same date', `"${stage.name}" is already due on ${formatDay(newDueOn, scope.calendar.zone)}.`);
    return { cycle, moved: await moveDueDate(scope, cycle, stages, stage, newDueOn, 'admin') };
  });
}
