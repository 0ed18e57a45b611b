import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Tx } from '../../store/db.js';
import { ladderSteps, type Ladder, type LadderLevel, type LadderSpan } from '../../workflow/ladder.js';
import { armExactly, ladderTimers, sentStepKeys } from '../../workflow/ladder-timers.js';
import { chairTimerPrefix, disputeTimerKinds, isFinalStage, stageTimerPrefix, type DisputePolicy, type DisputeView } from './model.js';

/** Timer keys of one stage: a dispute back at a stage (never, today) would still get fresh keys per stage index. */
export const stagePrefix = (d: Pick<DisputeView, 'id' | 'stageIndex'>) => `${stageTimerPrefix(d.id)}s${d.stageIndex}:`;
export const chairPrefix = (d: Pick<DisputeView, 'id' | 'stageIndex'>) => `${chairTimerPrefix(d.id)}s${d.stageIndex}:`;

/** A stage's ladder: a reminder before its limit, then (the day after it) escalation, or at the last stage the deadline missed. */
export function stageLadder(d: Pick<DisputeView, 'stages' | 'stageIndex'>, policy: DisputePolicy): Ladder {
  const final = isFinalStage(d);
  return {
    sendAt: policy.sendAt,
    before: policy.remindBefore === null ? [] : [policy.remindBefore],
    onStart: false,
    onDueDay: false,
    chaseEvery: null,
    levels: [final
      ? { kind: 'deadline-missed', audience: 'chair', who: 'the chair and the business manager', after: { workingDays: 1 } }
      : { kind: 'escalate', audience: 'parties', who: 'the next stage', after: { workingDays: 1 } }],
  };
}

function times(span: LadderSpan, n: number): LadderSpan {
  return 'workingDays' in span ? { workingDays: span.workingDays * n } : { workingHours: span.workingHours * n };
}

/**
 * The chair's ping, once a dispute reaches them: again `times` times, `every` apart, while nobody acknowledges; then
 * the deputy (when there is one); then the business manager. Counted from the day the last stage began.
 */
export function chairPingLadder(policy: DisputePolicy, hasDeputy: boolean): Ladder {
  const { every, times: repeats } = policy.chairPing;
  const levels: LadderLevel[] = [];
  if (repeats > 0) {
    levels.push({
      kind: 'chair-ping',
      audience: 'chair',
      who: 'the chair',
      after: every,
      ...(repeats > 1 ? { repeat: { times: repeats - 1, every } } : {}),
      ...(hasDeputy ? { deputy: { audience: 'deputy', who: 'the deputy chair' } } : {}),
    });
  } else if (hasDeputy) {
    levels.push({ kind: 'deputy-ping', audience: 'deputy', who: 'the deputy chair', after: every });
  }
  levels.push({ kind: 'chair-ping-manager', audience: 'business-manager', who: 'the business manager', after: times(every, repeats + 1 + (hasDeputy ? 1 : 0)) });
  return { sendAt: policy.sendAt, before: [], onStart: false, onDueDay: false, chaseEvery: null, levels };
}

/** The local day the current stage began: the chair ladder's anchor. */
export const stageStartDay = (d: Pick<DisputeView, 'stageStartedAt'>, calendar: WorkingCalendar) =>
  DateTime.fromJSDate(d.stageStartedAt).setZone(calendar.zone).toISODate()!;

/**
 * Makes a dispute's pending timers exactly what its state calls for: the current stage's reminder and escalation
 * while open; at the last stage also the chair's ping ladder until someone acknowledges. Nothing once settled.
 */
export async function armDispute(tx: Tx, d: DisputeView, policy: DisputePolicy, hasDeputy: boolean, calendar: WorkingCalendar, now: DateTime): Promise<string[]> {
  const open = d.status === 'open';
  const stageSent = await sentStepKeys(tx, stagePrefix(d));
  const stageSteps = ladderSteps({ dueOn: d.stageDueOn }, stageLadder(d, policy), calendar, { now, state: open ? 'open' : 'settled', startedAt: DateTime.fromJSDate(d.stageStartedAt), alreadySent: stageSent });
  const wanted = ladderTimers(stagePrefix(d), disputeTimerKinds.stage, stageSteps, stageSent);
  if (isFinalStage(d)) {
    const chairSent = await sentStepKeys(tx, chairPrefix(d));
    const pinging = open && !d.chairAck ? 'open' : 'settled';
    const chairSteps = ladderSteps({ dueOn: stageStartDay(d, calendar) }, chairPingLadder(policy, hasDeputy), calendar, { now, state: pinging, startedAt: DateTime.fromJSDate(d.stageStartedAt), alreadySent: chairSent });
    for (const [key, timer] of ladderTimers(chairPrefix(d), disputeTimerKinds.chair, chairSteps, chairSent)) wanted.set(key, timer);
  }
  return armExactly(tx, d.id, wanted, now);
}
