import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import type { DateTime } from 'luxon';
import { stageDueOn, type DisputeView } from './model.js';
import { alertExecutive, refreshCards, tellChair, tellParties } from './notify.js';
import { partyCard } from './cards.js';
import { loadDispute, recordDisputeEvent } from './repository.js';
import { arm, type DisputeScope } from './scope.js';

/** A proposal nobody confirmed lapses with its stage: say so, rather than let it vanish. */
function unconfirmed(d: DisputeView, final: boolean): string {
  if (!d.proposed) return '';
  return ` The outcome ${d.proposed.byName} proposed was not confirmed before the stage ended${final ? '; the chair now decides' : '; propose it again if it still stands'}.`;
}

export type StageEntry =
  | { why: 'raised' }
  /** `at`: when the escalation was due (a timer caught up after downtime starts the next stage from then). */
  | { why: 'escalated'; at: DateTime }
  | { why: 'escalated-early'; byId: string; byName: string; reason: string };

/**
 * Moves a dispute to stage `to` (from `from`: a second escalation of the same stage, from a retried request or a timer
 * racing a click, finds it moved and changes nothing). The parties hear where it now stands; reaching the last stage
 * hands it to the chair (a DM with the whole history, and the executive's channel). Returns undefined when nothing moved.
 */
export async function enterStage(scope: DisputeScope, d: DisputeView, from: number, to: number, entry: StageEntry): Promise<DisputeView | undefined> {
  const stage = d.stages[to]!;
  const startedAt = entry.why === 'escalated' ? entry.at : scope.now;
  const dueOn = stageDueOn(stage.limit, startedAt, scope.calendar);
  const final = to === d.stages.length - 1;
  if (entry.why !== 'raised') {
    const moved = await scope.tx.dispute.updateMany({
      where: { id: d.id, status: 'open', stage: from },
      data: { stage: to, stageStartedAt: startedAt.toJSDate(), stageDueOn: dueOn, proposedOutcome: null, proposedLearning: null, proposedById: null, ...(final ? { chairId: scope.chairs.chairId ?? null } : {}) },
    });
    if (moved.count !== 1) return undefined;
    await recordDisputeEvent(scope.tx, d.id, {
      at: startedAt.toJSDate(), kind: entry.why, stage: from,
      ...(entry.why === 'escalated-early' ? { actorId: entry.byId, detail: entry.reason } : {}),
    });
    await recordAudit(scope.tx, {
      partnershipId: d.partnershipId, actor: entry.why === 'escalated-early' ? entry.byName : 'scheduler', ...(entry.why === 'escalated-early' ? { actorMemberId: entry.byId } : {}),
      action: `disputes.${entry.why}`, subjectType: 'dispute', subjectId: d.id, data: { number: d.number, from: from + 1, to: to + 1, dueOn },
    });
  }
  const moved = (await loadDispute(scope.tx, d.id))!;
  const heading = entry.why === 'raised'
    ? undefined
    : `Dispute #${d.number} ${entry.why === 'escalated' ? 'was not resolved in time and' : `was escalated early by ${entry.byName} and`} is now at ${`stage ${to + 1} (${stage.name})`}, due ${final ? 'a joint meeting' : 'resolution'} by ${formatDay(dueOn, scope.calendar.zone)}.${unconfirmed(d, final)}`;
  if (entry.why !== 'raised') {
    await refreshCards(scope, moved, `stage-${to}`);
    await tellParties(scope, moved, `stage-${to}`, partyCard(moved, scope.now, scope.calendar, heading), `dispute #${d.number} moving to stage ${to + 1}`);
  }
  if (final) {
    const chairHeading = `Dispute #${d.number} has reached you as chair: convene a joint meeting by ${formatDay(dueOn, scope.calendar.zone)}. Either party may then ask for an independent mediator; your decision is final.`;
    await tellChair(scope, moved, moved.chair ? [moved.chair.id] : [], `chair-${to}`, chairHeading);
    await alertExecutive(scope, moved);
  }
  await arm(scope, moved);
  return moved;
}
