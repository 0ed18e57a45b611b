import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { Tx } from '../../store/db.js';
import { ladderSteps, type Ladder } from '../../workflow/ladder.js';
import { armExactly, ladderTimers, sentStepKeys, type WantedTimer } from '../../workflow/ladder-timers.js';
import { clockRuns, PUBLIC_UNTIL, reviewClocks } from './clocks.js';
import { groupLeadId as groupLeadIdOf } from './people.js';
import { ackPrefix, agencyPrefix, clockPrefix, milestonePrefix, reviewTimerKinds, type ReviewPolicy, type ReviewView } from './model.js';

/** A clock's ladder: reminders before it runs out and on its day, then (the next working day) the escalation. */
export function clockLadder(policy: ReviewPolicy): Ladder {
  return {
    sendAt: policy.sendAt, before: policy.remindBefore, onStart: false, onDueDay: true, chaseEvery: null,
    levels: [{ kind: 'missed', audience: 'escalation', who: "the group's chair, the business manager and the independent chair", after: { workingDays: 1 } }],
  };
}

/** Nobody (or not the chair) acknowledged within the working hours set: the group's chair, again, then the escalation contacts. */
export function ackLadder(policy: ReviewPolicy): Ladder {
  const { within, repeat } = policy.acknowledge;
  return {
    sendAt: policy.sendAt, before: [], onStart: false, onDueDay: false, chaseEvery: null,
    levels: [{
      kind: 'unacknowledged', audience: 'group-chair', who: "the group's chair", after: within,
      ...(repeat.times > 0 ? { repeat: { times: repeat.times, every: repeat.every } } : {}),
      deputy: { audience: 'escalation', who: 'the independent chair' },
    }],
  };
}

/** An involved agency's lead: reminded before day 10 and on it, then chased every working day. */
export function agencyLadder(policy: ReviewPolicy): Ladder {
  return { sendAt: policy.sendAt, before: policy.remindBefore, onStart: false, onDueDay: true, chaseEvery: 1, levels: [] };
}

/** A follow-through step: reminded 5 working days before and on the day, then chased weekly; "public until" only reminds. */
export function milestoneLadder(policy: ReviewPolicy, key: string, remindBefore: number): Ladder {
  if (key === PUBLIC_UNTIL) return { sendAt: policy.sendAt, before: [remindBefore], onStart: false, onDueDay: true, chaseEvery: null, levels: [] };
  return { sendAt: policy.sendAt, before: [5], onStart: false, onDueDay: true, chaseEvery: 5, levels: [] };
}

/** Whether the acknowledgement the policy asks for has happened: anyone's, or the group chair's. */
export function acknowledged(r: ReviewView, policy: ReviewPolicy, groupLeadId: string | undefined): boolean {
  if (policy.acknowledge.by === 'chair' && groupLeadId) return r.acks.some((a) => a.memberId === groupLeadId);
  return r.acks.length > 0;
}

export const notifiedDay = (r: Pick<ReviewView, 'createdAt'>, calendar: WorkingCalendar) => DateTime.fromJSDate(r.createdAt).setZone(calendar.zone).toISODate()!;

/**
 * Makes a review's pending timers exactly what its state calls for: each open clock's reminders and escalation; the
 * acknowledgement ladder until acknowledged; each involved agency's chasers until it confirms; and once decided, the
 * follow-through's reminders until each step is done.
 */
export async function armReview(tx: Tx, r: ReviewView, policy: ReviewPolicy, calendar: WorkingCalendar, now: DateTime, groupLeadId?: string): Promise<string[]> {
  const wanted = new Map<string, WantedTimer>();
  const add = async (prefix: string, kind: string, dueOn: string, ladder: Ladder, open: boolean, hoursFrom?: DateTime) => {
    const sent = await sentStepKeys(tx, prefix);
    const steps = ladderSteps({ dueOn, ...(hoursFrom ? { hoursFrom } : {}) }, ladder, calendar, { now, state: open ? 'open' : 'settled', startedAt: DateTime.fromJSDate(r.createdAt), alreadySent: sent });
    for (const [key, timer] of ladderTimers(prefix, kind, steps, sent)) wanted.set(key, timer);
  };
  const open = r.status === 'open';
  for (const clock of reviewClocks(r, calendar)) {
    if (clockRuns(clock, r)) await add(clockPrefix(r.id, clock.key), reviewTimerKinds.clock, clock.dueOn!, clockLadder(policy), true);
  }
  if (open && !acknowledged(r, policy, groupLeadId ?? (await groupLeadIdOf(tx, r.partnershipId, r.groupKey)))) {
    await add(ackPrefix(r.id), reviewTimerKinds.ack, notifiedDay(r, calendar), ackLadder(policy), true, DateTime.fromJSDate(r.createdAt));
  }
  const chronologies = reviewClocks(r, calendar).find((c) => c.key === 'chronologies');
  if (open && chronologies?.dueOn) {
    for (const a of r.agencies) if (!a.confirmedAt) await add(agencyPrefix(r.id, a.agencyId), reviewTimerKinds.agency, chronologies.dueOn, agencyLadder(policy), true);
  }
  if (r.status === 'decided') {
    for (const m of r.milestones) {
      if (!m.doneOn) await add(milestonePrefix(r.id, m.key), reviewTimerKinds.milestone, m.dueOn, milestoneLadder(policy, m.key, r.settings.keepPublished?.remindBefore ?? 10), true);
    }
  }
  return armExactly(tx, r.id, wanted, now);
}
