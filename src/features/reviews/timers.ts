import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import type { FiredTimer, TimerHandler } from '../../scheduler/timer-handlers.js';
import { Effects } from '../../workflow/effects.js';
import { describeSpan, stepKindOf } from '../../workflow/ladder.js';
import { laterStepAlreadyDue, onFiredStep } from '../../workflow/ladder-timers.js';
import type { FeatureDeps } from '../contract.js';
import { acknowledged, notifiedDay } from './arming.js';
import { clockRuns, PUBLIC_UNTIL, reviewClocks, timeLeft } from './clocks.js';
import { ackPrefix, agencyPrefix, clockPrefix, milestonePrefix, reviewTimerKinds, type ReviewView } from './model.js';
import { tellAgencyLeads, tellGroup, tellReceipt } from './notify.js';
import { agencyLeadIds, clockKeepers, escalationIds, groupLeadId } from './people.js';
import { loadReview, recordReviewEvent } from './repository.js';
import { rearm, scopeIn, type ReviewScope } from './scope.js';

/** What a fired timer is still owed: the prefix its key must carry, the day it counts to, and how to send its step. */
interface Owed {
  prefix: string;
  dueOn: string;
  send(stepKey: string): Promise<void>;
}

/** Today (local) is after `day`. */
const pastDay = (scope: ReviewScope, day: string) => scope.now.setZone(scope.calendar.zone).toISODate()! > day;

/** A clock's label inside a sentence: only its first letter lowered, so "the Panel and Ofsted" and "a SAR" keep theirs. */
const inSentence = (label: string) => `${label.charAt(0).toLowerCase()}${label.slice(1)}`;

/** The part of a key after `review:<id>:<part>:`, e.g. the clock's or the agency's key. */
const keyPart = (r: ReviewView, part: string, timerKey: string) => timerKey.slice(`review:${r.id}:${part}:`.length).split(':')[0] ?? '';

/**
 * Timers carry ids, not decisions: a fired timer re-reads the review and acts only if its step still applies (the
 * thing is still not done, on the same due day). When its day stopped being a working day the review is re-armed.
 */
function reviewTimer(deps: FeatureDeps, owedFor: (scope: ReviewScope, r: ReviewView, timer: FiredTimer) => Owed | undefined): TimerHandler {
  return async ({ tx, timer, now, afterCommit }) => {
    const r = await loadReview(tx, timer.subjectId);
    if (!r || r.status === 'closed') return;
    const scope = await scopeIn(tx, new Effects(), r.partnershipId, now, deps.platforms);
    const owed = owedFor(scope, r, timer);
    if (!owed || !timer.key.startsWith(owed.prefix)) return;
    const stepKey = timer.key.slice(owed.prefix.length);
    await onFiredStep(tx, { timerId: timer.id, stepKey, dueOn: owed.dueOn, calendar: scope.calendar, now }, {
      async send() {
        await owed.send(stepKey);
        await recordAudit(tx, { partnershipId: r.partnershipId, actor: 'scheduler', action: timer.kind, subjectType: 'rapid-review', subjectId: r.id, data: { number: r.number, step: stepKey } });
      },
      rearm: () => rearm(scope, r.id),
    });
    scope.fx.flushAfter(afterCommit, deps);
  };
}

/** A statutory clock: reminders to the group's chair and the business manager, then escalation once it has run out. */
const clockTimer = (deps: FeatureDeps) => reviewTimer(deps, (scope, r, timer) => {
  const clock = reviewClocks(r, scope.calendar).find((c) => c.key === keyPart(r, 'clock', timer.key));
  if (!clock || !clockRuns(clock, r)) return undefined;
  const dueOn = clock.dueOn!;
  return {
    prefix: clockPrefix(r.id, clock.key), dueOn,
    async send(stepKey) {
      const missed = stepKindOf(stepKey) === 'missed';
      // A reminder caught up after its day (the bot was down, the demo clock jumped) would say "due" too late: the escalation follows.
      if (!missed && pastDay(scope, dueOn)) return;
      const due = formatDay(dueOn, scope.calendar.zone);
      const keepers = await clockKeepers(scope.tx, r);
      const to = missed ? [...new Set([...keepers, ...(await escalationIds(scope.tx, r.partnershipId, scope.policy))])] : keepers;
      const waitingFor = clock.key === 'chronologies' ? ` Waiting for: ${r.agencies.filter((a) => !a.confirmedAt).map((a) => a.name).join('; ')}.` : '';
      await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: missed ? 'escalated' : 'reminder', detail: `${clock.label}, due ${due}` });
      await tellReceipt(scope, r, to, `clock:${clock.key}:${stepKey}`, missed
        ? `Escalation for case ${r.caseRef}: the deadline has passed for ${inSentence(clock.label)}, due by ${due} (${clock.anchor}), and nothing is recorded as done.${waitingFor}`
        : `Reminder for case ${r.caseRef}: ${inSentence(clock.label)}, due by ${due} (${timeLeft(dueOn, false, scope.now, scope.calendar)}; ${clock.anchor}).${waitingFor}`);
    },
  };
});

/** Nobody (or not the chair) has acknowledged: the group's chair hears, again, then the escalation contacts. */
const ackTimer = (deps: FeatureDeps): TimerHandler => {
  const inner = reviewTimer(deps, (scope, r) => r.status !== 'open' ? undefined : {
    prefix: ackPrefix(r.id), dueOn: notifiedDay(r, scope.calendar),
    async send(stepKey) {
      const lead = await groupLeadId(scope.tx, r.partnershipId, r.groupKey);
      if (acknowledged(r, scope.policy, lead)) return;
      const within = describeSpan(scope.policy.acknowledge.within);
      const nobody = scope.policy.acknowledge.by === 'chair' ? "The group's chair has not" : 'Nobody in the group has';
      const toEscalation = stepKey.includes(':deputy@') || !lead;
      await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'ack-escalated', detail: toEscalation ? 'to the independent chair' : "to the group's chair" });
      if (toEscalation) {
        await tellReceipt(scope, r, await escalationIds(scope.tx, r.partnershipId, scope.policy), `ack:${stepKey}`, `${nobody} acknowledged review #${r.number} (case ${r.caseRef}) within ${within}, nor after the chair was asked. Please make sure the group has it.`);
      } else {
        await tellGroup(scope, r, `ack:${stepKey}`, `${nobody} acknowledged review #${r.number} (case ${r.caseRef}) within ${within}. As chair, please acknowledge it and make sure the group has seen it.`, [lead]);
      }
    },
  });
  return async (context) => {
    // Caught up after downtime, several steps fall due at once: only the latest goes (the escalation, not the chair again).
    if (!(await laterStepAlreadyDue(context.tx, context.timer, context.now))) await inner(context);
  };
};

/** An involved agency's chronology: its leads are reminded before the day and on it, then chased each working day. */
const agencyTimer = (deps: FeatureDeps) => reviewTimer(deps, (scope, r, timer) => {
  const agency = r.agencies.find((a) => a.agencyId === keyPart(r, 'agency', timer.key));
  const dueOn = reviewClocks(r, scope.calendar).find((c) => c.key === 'chronologies')?.dueOn;
  if (!agency || agency.confirmedAt || !dueOn || r.status !== 'open') return undefined;
  return {
    prefix: agencyPrefix(r.id, agency.agencyId), dueOn,
    async send(stepKey) {
      const late = stepKindOf(stepKey) === 'overdue';
      if (!late && pastDay(scope, dueOn)) return;
      const due = formatDay(dueOn, scope.calendar.zone);
      await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'reminder', detail: `${agency.name}'s chronology${late ? ' (overdue)' : ''}` });
      await tellAgencyLeads(scope, r, agency.agencyId, await agencyLeadIds(scope.tx, r.partnershipId, agency.agencyId), `chase:${agency.agencyId}:${stepKey}`, late
        ? `Overdue: ${agency.name}'s chronology for case ${r.caseRef} was due by ${due}. Send it by the secure route today, then press Confirm sent.`
        : `Reminder: ${agency.name}'s chronology for case ${r.caseRef} is due by ${due} (${timeLeft(dueOn, false, scope.now, scope.calendar)}). Send it by the secure route, then press Confirm sent.`);
    },
  };
});

/** The follow-through: reminders before each step's day and chasers after, to the group's chair and the business manager. */
const milestoneTimer = (deps: FeatureDeps) => reviewTimer(deps, (scope, r, timer) => {
  const m = r.milestones.find((x) => x.key === keyPart(r, 'milestone', timer.key));
  if (!m || m.doneOn || r.status !== 'decided') return undefined;
  return {
    prefix: milestonePrefix(r.id, m.key), dueOn: m.dueOn,
    async send(stepKey) {
      if (stepKindOf(stepKey) !== 'overdue' && pastDay(scope, m.dueOn)) return;
      const due = formatDay(m.dueOn, scope.calendar.zone);
      const heading = m.key === PUBLIC_UNTIL
        ? `The published report for case ${r.caseRef} (review #${r.number}) may come down after ${due}, once it has been public as long as the partnership keeps it. Decide whether to keep it up.`
        : stepKindOf(stepKey) === 'overdue'
          ? `Overdue: "${m.name}" for review #${r.number} (case ${r.caseRef}) was due by ${due}.`
          : `Reminder: "${m.name}" for review #${r.number} (case ${r.caseRef}) is due by ${due}.`;
      await recordReviewEvent(scope.tx, r.id, { at: scope.now.toJSDate(), kind: 'reminder', detail: `${m.name}, due ${due}` });
      await tellReceipt(scope, r, await clockKeepers(scope.tx, r), `milestone:${m.key}:${stepKey}`, heading);
    },
  };
});

export function reviewTimers(deps: FeatureDeps): Record<string, TimerHandler> {
  return {
    [reviewTimerKinds.clock]: clockTimer(deps),
    [reviewTimerKinds.ack]: ackTimer(deps),
    [reviewTimerKinds.agency]: agencyTimer(deps),
    [reviewTimerKinds.milestone]: milestoneTimer(deps),
  };
}
