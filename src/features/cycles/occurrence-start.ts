import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { TimerFireContext } from '../../scheduler/timer-handlers.js';
import type { CycleDeps } from './context.js';
import { isPlanPaused, occurrenceTitle, planForGroup, replanOccurrences } from './occurrence-plan.js';
import { plansOf } from './repository.js';
import { inTimerScope } from './scope.js';
import { createCycle } from './service-cycle.js';

/** A start more than this late (the bot was down) is recorded as late in the audit log. */
const LATE_AFTER_MINUTES = 5;

/**
 * Starts one occurrence of a recurring plan, exactly once: the occurrence row is locked and must still be planned,
 * and the cycle is created in the same transaction that marks it started. A paused plan leaves it planned (resume
 * re-arms it). Afterwards the plan's coming occurrences are written down again, so the horizon rolls forward.
 */
export function occurrenceStartHandler(deps: CycleDeps) {
  return async (ctx: TimerFireContext): Promise<void> => {
    const locked = await ctx.tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PlanOccurrence" WHERE id = ${ctx.timer.subjectId}::uuid AND status = 'planned' FOR UPDATE`;
    if (locked.length === 0) return;
    const occurrence = await ctx.tx.planOccurrence.findUniqueOrThrow({ where: { id: ctx.timer.subjectId } });
    const { partnershipId } = occurrence;
    if (await isPlanPaused(ctx.tx, partnershipId, occurrence.planKey)) return;
    const plan = (await plansOf(ctx.tx, partnershipId)).find((p) => p.key === occurrence.planKey && p.recurs !== undefined);
    if (!plan) return;

    await inTimerScope(deps, ctx, partnershipId, async (scope) => {
      const group = occurrence.groupKey === '' ? undefined
        : await ctx.tx.group.findUnique({ where: { partnershipId_key: { partnershipId, key: occurrence.groupKey } }, select: { id: true, name: true } });
      const concrete = planForGroup(plan, occurrence.groupKey);
      const date = occurrence.movedTo ?? occurrence.occursOn;
      const lateByMinutes = Math.floor(ctx.now.diff(DateTime.fromJSDate(occurrence.startsAt), 'minutes').minutes);
      const late = lateByMinutes > LATE_AFTER_MINUTES;

      const { cycle } = await createCycle(scope, partnershipId, {
        plan: concrete,
        title: occurrenceTitle(concrete, group?.name, date, scope.calendar.zone),
        startOn: date,
        leadMemberId: await leadInTurn(ctx, occurrence, concrete.recurs?.leadsInTurn) ?? await chairOf(ctx, concrete.group ?? (occurrence.groupKey || undefined), partnershipId),
        auditData: { occurrence: occurrence.id, occursOn: occurrence.occursOn, ...(occurrence.movedTo ? { movedTo: occurrence.movedTo } : {}), ...(late ? { lateByMinutes } : {}) },
      });
      await ctx.tx.planOccurrence.update({ where: { id: occurrence.id }, data: { status: 'started', cycleId: cycle.id, startedAt: ctx.now.toJSDate() } });
      if (late) {
        await recordAudit(ctx.tx, {
          partnershipId,
          actor: 'scheduler',
          action: 'cycle.occurrence.started-late',
          subjectType: 'cycle',
          subjectId: cycle.id,
          data: { plan: plan.key, occursOn: occurrence.occursOn, dueAt: occurrence.startsAt.toISOString(), lateByMinutes },
        });
      }
      await replanOccurrences(scope, partnershipId);
    });
  };
}

/** The next member in turn: the plan's (and group's) cycles started so far decide whose turn it is. */
async function leadInTurn(ctx: TimerFireContext, occurrence: { partnershipId: string; planKey: string; groupKey: string }, keys: string[] | undefined): Promise<string | undefined> {
  if (!keys || keys.length === 0) return undefined;
  const started = await ctx.tx.planOccurrence.count({ where: { partnershipId: occurrence.partnershipId, planKey: occurrence.planKey, groupKey: occurrence.groupKey, status: 'started' } });
  const key = keys[started % keys.length]!;
  const member = await ctx.tx.member.findFirst({ where: { partnershipId: occurrence.partnershipId, key, active: true }, select: { id: true } });
  return member?.id;
}

async function chairOf(ctx: TimerFireContext, groupKey: string | undefined, partnershipId: string): Promise<string | undefined> {
  if (!groupKey) return undefined;
  const chair = await ctx.tx.groupMembership.findFirst({
    where: { position: 'chair', active: true, group: { partnershipId, key: groupKey }, member: { active: true } },
    select: { memberId: true },
  });
  return chair?.memberId;
}
