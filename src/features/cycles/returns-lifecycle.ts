import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import { armTimer } from '../../scheduler/timers.js';
import type { Db, Tx } from '../../store/db.js';
import type { StageScope } from './lifecycle.js';
import type { StageReturns } from './returns-model.js';
import { returnAskTimerKey, returnTimerKind } from './returns-arming.js';
import { settledReturnCard, type ReturnView } from './returns-cards.js';
import { agenciesAsked, loadReturn, returnsSpecOf, returnSubject, stageReturns, type ReturnRow } from './returns-repository.js';
import { sendReturnReminder } from './returns-send.js';
import type { CycleRow, StageRow } from './stage-row.js';
import { loadStageView } from './stage-view.js';

const noReturns: StageReturns = { from: { kind: 'all' }, as: 'secure-email', figures: [], narrative: false };

export async function loadReturnView(tx: Tx | Db, ret: ReturnRow, cycle: CycleRow, stage: StageRow, calendar: WorkingCalendar, now: DateTime): Promise<ReturnView> {
  const by = ret.returnedById ? await tx.member.findUnique({ where: { id: ret.returnedById }, select: { displayName: true } }) : null;
  return { ret, spec: returnsSpecOf(cycle, stage) ?? noReturns, stage: await loadStageView(tx, stage, cycle, calendar, now), returnedByName: by?.displayName };
}

/**
 * A stage with `returns:` has just opened: one StageReturn per agency asked, resolved now (an agency added later is
 * not asked), and each agency's leads get the ask, at once in working hours, else at the next sending time.
 */
export async function openStageReturns(scope: StageScope, cycle: CycleRow, stage: StageRow): Promise<void> {
  const spec = returnsSpecOf(cycle, stage);
  if (!spec) return;
  const agencies = await agenciesAsked(scope.tx, cycle.partnershipId, spec.from);
  await scope.tx.stageReturn.createMany({ data: agencies.map((a) => ({ stageId: stage.id, agencyId: a.id })), skipDuplicates: true });
  await recordAudit(scope.tx, {
    partnershipId: cycle.partnershipId, actor: scope.actor.name, actorMemberId: scope.actor.memberId, action: 'cycle.returns.requested',
    subjectType: 'stage', subjectId: stage.id, data: { agencies: agencies.map((a) => a.key), as: spec.as },
  });
  const local = scope.now.setZone(scope.calendar.zone);
  const workingHours = scope.calendar.isWorkingDay(scope.now) && local.hour >= 8 && local.hour < 18;
  for (const ret of await stageReturns(scope.tx, stage.id)) {
    if (ret.status !== 'awaited') continue;
    if (workingHours) {
      const view = await loadReturnView(scope.tx, ret, cycle, stage, scope.calendar, scope.now);
      await sendReturnReminder(scope.tx, scope.fx, scope.platforms, view, 'opened', `opened@${stage.dueOn}`, scope.now);
    } else {
      const at = scope.calendar.nextWorkingTimeAt(scope.now, stage.reminders.sendAt);
      scope.fx.timers([await armTimer(scope.tx, { key: returnAskTimerKey(ret.id, stage.dueOn), kind: returnTimerKind, subjectId: ret.id, dueAt: at, rule: `the ask, next working day ${stage.reminders.sendAt}` })]);
    }
  }
}

/**
 * The stage is done (marked done, or closed by its owner) with returns still awaited: they are recorded as missing,
 * named in the audit log, and their cards say so. Their timers stop with the stage (armStage).
 */
export async function settleMissingReturns(scope: StageScope, cycle: CycleRow, stage: StageRow): Promise<string[]> {
  const waiting = (await stageReturns(scope.tx, stage.id)).filter((r) => r.status === 'awaited');
  if (waiting.length === 0) return [];
  await scope.tx.stageReturn.updateMany({ where: { id: { in: waiting.map((r) => r.id) }, status: 'awaited' }, data: { status: 'missing' } });
  const total = await scope.tx.stageReturn.count({ where: { stageId: stage.id } });
  const eventId = await recordAudit(scope.tx, {
    partnershipId: cycle.partnershipId, actor: scope.actor.name, actorMemberId: scope.actor.memberId, action: 'cycle.returns.missing',
    subjectType: 'stage', subjectId: stage.id, data: { missing: waiting.map((r) => r.agencyKey), returned: total - waiting.length, asked: total },
  });
  for (const ret of waiting) {
    const missing = (await loadReturn(scope.tx, ret.id))!;
    const view = await loadReturnView(scope.tx, missing, cycle, { ...stage, status: 'done' }, scope.calendar, scope.now);
    scope.fx.outbox(await updateCardsAbout(scope.tx, returnSubject(ret.id), `missing@${eventId}`, settledReturnCard(view)));
  }
  return waiting.map((r) => r.agencyName);
}
