import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import type { FiredTimer, TimerHandler } from '../../scheduler/timer-handlers.js';
import { Effects } from '../../workflow/effects.js';
import { stepKindOf } from '../../workflow/ladder.js';
import { firedStepVerdict, laterStepAlreadyDue } from '../../workflow/ladder-timers.js';
import type { FeatureDeps } from '../contract.js';
import { chairPrefix, stageStartDay, stagePrefix } from './arming.js';
import { partyCard, stageLabel } from './cards.js';
import { isFinalStage, type DisputeView } from './model.js';
import { chairAudience, tellChair, tellParties, type ChairAudience } from './notify.js';
import { loadDispute, recordDisputeEvent } from './repository.js';
import { rearm, scopeIn, type DisputeScope } from './scope.js';
import { enterStage } from './service-stage.js';

/**
 * Timers carry ids, not decisions: the step a fired timer stands for, when it still applies. Undefined when it is stale
 * (the stage or its date moved on), or when its day stopped being a working day (then the dispute is re-armed and the
 * step goes on the next one).
 */
async function stepToSend(scope: DisputeScope, timer: FiredTimer, d: DisputeView, prefix: string, anchorDay: string): Promise<string | undefined> {
  const stepKey = timer.key.slice(prefix.length);
  const verdict = firedStepVerdict(stepKey, anchorDay, scope.calendar, scope.now);
  if (verdict === 'send') return stepKey;
  if (verdict === 'not-a-working-day') {
    await scope.tx.timer.update({ where: { id: timer.id }, data: { status: 'cancelled' } });
    await rearm(scope, d.id);
  }
  return undefined;
}

/** The chair holding the dispute and the business managers, each once: who hears about the joint-meeting deadline. */
async function chairAndManagers(scope: DisputeScope, d: DisputeView): Promise<string[]> {
  return [...new Set([...(await chairAudience(scope, d, 'chair')), ...(await chairAudience(scope, d, 'business-manager'))])];
}

/**
 * A stage's timer: on waking it re-reads the dispute, and acts only if it is still open at the same stage with the
 * same end date (an agreed outcome or an escalation is what silences it): the reminder before the time runs out, or
 * the escalation to the next stage (at the last stage: the chair and business manager hear the deadline passed).
 */
export function stageTimer(deps: FeatureDeps): TimerHandler {
  return async ({ tx, timer, now, afterCommit }) => {
    const d = await loadDispute(tx, timer.subjectId);
    if (!d || d.status !== 'open' || !timer.key.startsWith(stagePrefix(d))) return;
    const scope = await scopeIn(tx, new Effects(), d.partnershipId, now, deps.platforms);
    const stepKey = await stepToSend(scope, timer, d, stagePrefix(d), d.stageDueOn);
    if (stepKey) {
      const kind = stepKindOf(stepKey);
      const zone = scope.calendar.zone;
      // A reminder caught up after its stage ended (the bot was down) would say "agree by then" too late: the escalation follows.
      const tooLate = now.setZone(zone).toISODate()! > d.stageDueOn;
      if (kind === 'before' && !tooLate) {
        await recordDisputeEvent(tx, d.id, { at: now.toJSDate(), kind: 'reminder', stage: d.stageIndex });
        if (isFinalStage(d)) {
          const to = await chairAndManagers(scope, d);
          await tellChair(scope, d, to, `deadline-soon:${stepKey}`, `The joint meeting for dispute #${d.number} is due by ${formatDay(d.stageDueOn, zone)}.`);
        } else {
          const next = d.stages[d.stageIndex + 1]!;
          await tellParties(scope, d, `reminder:${stepKey}`, partyCard(d, now, scope.calendar, `Reminder: ${stageLabel(d)} of dispute #${d.number} ends ${formatDay(d.stageDueOn, zone)}. Agree an outcome by then, or it goes to ${next.name}.`), `a reminder about dispute #${d.number}`);
        }
      } else if (kind === 'escalate') {
        await enterStage(scope, d, d.stageIndex, d.stageIndex + 1, { why: 'escalated', at: DateTime.fromJSDate(timer.dueAt) });
      } else if (kind === 'deadline-missed') {
        await recordDisputeEvent(tx, d.id, { at: now.toJSDate(), kind: 'deadline-missed', stage: d.stageIndex });
        const to = await chairAndManagers(scope, d);
        await tellChair(scope, d, to, `deadline-missed:${stepKey}`, `The joint-meeting deadline for dispute #${d.number} (${formatDay(d.stageDueOn, zone)}) has passed without a recorded outcome.`);
      }
      await recordAudit(tx, { partnershipId: d.partnershipId, actor: 'scheduler', action: 'disputes.stage.timer', subjectType: 'dispute', subjectId: d.id, data: { number: d.number, step: stepKey } });
    }
    scope.fx.flushAfter(afterCommit, deps);
  };
}

const pingWords: Record<ChairAudience, { event: string; heading: (n: number) => string }> = {
  chair: { event: 'chair-pinged', heading: (n) => `Reminder: dispute #${n} is waiting for you as chair. Acknowledge it, or delegate it.` },
  deputy: { event: 'deputy-pinged', heading: (n) => `Dispute #${n} reached the chair and nobody has acknowledged it: as deputy chair, please take it or acknowledge it.` },
  'business-manager': { event: 'manager-pinged', heading: (n) => `Dispute #${n} reached the chair and nobody has acknowledged it yet. Please contact the chair or the deputy, or delegate it to someone who can take it.` },
};

/**
 * The chair's ping ladder: while nobody has acknowledged, the chair hears again, then the deputy, then the business
 * manager. An acknowledgement (or any step the chair takes) silences it; so does the dispute settling.
 */
export function chairPingTimer(deps: FeatureDeps): TimerHandler {
  return async ({ tx, timer, now, afterCommit }) => {
    const d = await loadDispute(tx, timer.subjectId);
    if (!d || d.status !== 'open' || d.chairAck || !isFinalStage(d) || !timer.key.startsWith(chairPrefix(d))) return;
    const scope = await scopeIn(tx, new Effects(), d.partnershipId, now, deps.platforms);
    const stepKey = await stepToSend(scope, timer, d, chairPrefix(d), stageStartDay(d, scope.calendar));
    // Caught up after downtime, several steps fall due at once: only the latest is sent (the deputy, not the chair again).
    if (stepKey && !(await laterStepAlreadyDue(tx, timer, now))) {
      const kind = stepKindOf(stepKey);
      const audience: ChairAudience = kind === 'chair-ping-manager' ? 'business-manager' : kind === 'deputy-ping' || stepKey.includes(':deputy@') ? 'deputy' : 'chair';
      const to = await chairAudience(scope, d, audience);
      await recordDisputeEvent(tx, d.id, { at: now.toJSDate(), kind: pingWords[audience].event, stage: d.stageIndex });
      await tellChair(scope, d, to, `ping:${stepKey}`, pingWords[audience].heading(d.number), audience === 'business-manager');
      await recordAudit(tx, { partnershipId: d.partnershipId, actor: 'scheduler', action: 'disputes.chair.pinged', subjectType: 'dispute', subjectId: d.id, data: { number: d.number, step: stepKey, audience, recipients: to.length } });
    }
    scope.fx.flushAfter(afterCommit, deps);
  };
}
