import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { armStage } from './arming.js';
import { refreshStageCards, type StageScope } from './lifecycle.js';
import { refreshReturnCards } from './returns-refresh.js';
import { planStages } from './schedule.js';
import type { CycleRow, StageRow } from './stage-row.js';

/**
 * Moves one stage's due date and every stage measured from it (impact checks follow the recommendations),
 * then re-arms exactly the reminders the new dates call for and updates the stage's cards everywhere.
 */
export async function moveDueDate(scope: StageScope, cycle: CycleRow, stages: StageRow[], stage: StageRow, newDueOn: string, reason: 'admin' | 'extension'): Promise<StageRow[]> {
  const overrides: Record<string, { dueOn: string }> = {};
  for (const s of stages) if (s.dueOn !== s.plannedDueOn) overrides[s.key] = { dueOn: s.dueOn };
  overrides[stage.key] = { dueOn: newDueOn };
  const planned = planStages(cycle.plan, DateTime.fromISO(cycle.startOn, { zone: scope.calendar.zone }), scope.calendar, overrides);
  // Only this stage and those measured from it by name can change: the others keep their dates even where today's
  // rules would plan them differently (a cycle started before due dates on a weekend moved back keeps its Mondays).
  const moving = new Set([stage.key]);
  for (const s of cycle.plan.stages) if (moving.has(s.after)) moving.add(s.key);

  const changed: StageRow[] = [];
  for (const row of stages) {
    const plan = planned[row.seq];
    if (!plan || !moving.has(row.key) || row.status === 'done' || row.status === 'cancelled') continue;
    const opensOn = row.status === 'pending' ? plan.opensOn : row.opensOn;
    if (plan.dueOn === row.dueOn && opensOn === row.opensOn) continue;
    await scope.tx.cycleStage.update({ where: { id: row.id }, data: { dueOn: plan.dueOn, opensOn, plannedDueOn: plan.plannedDueOn } });
    const updated: StageRow = { ...row, dueOn: plan.dueOn, opensOn, plannedDueOn: plan.plannedDueOn };
    const moveEventId = await recordAudit(scope.tx, {
      partnershipId: cycle.partnershipId,
      actor: scope.actor.name,
      actorMemberId: scope.actor.memberId,
      action: 'cycle.stage.moved',
      subjectType: 'stage',
      subjectId: row.id,
      data: { from: row.dueOn, to: plan.dueOn, reason, because: row.id === stage.id ? 'moved' : `follows ${stage.key}` },
    });
    scope.fx.timers(await armStage(scope.tx, updated, cycle.status === 'active', scope.calendar, scope.now));
    // Named by this move's audit event, not the date alone: a date moved back to where it was must update the cards again.
    await refreshStageCards(scope, cycle, updated, `due:${plan.dueOn}@${moveEventId}`);
    await refreshReturnCards(scope, cycle, updated, `due:${plan.dueOn}@${moveEventId}`);
    changed.push(updated);
  }
  return changed;
}
