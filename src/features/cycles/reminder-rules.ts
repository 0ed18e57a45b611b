import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { CHASER_HORIZON, ladderSteps, type Ladder, type LadderLevel } from '../../workflow/ladder.js';
import type {
  PlannedStage, ReminderAudience, ReminderInstant, ReminderKind, ReminderRulesInput, ResolvedReminderRules, StageState,
} from './model.js';

export const DEFAULT_REMINDER_RULES: Readonly<ResolvedReminderRules> = Object.freeze({
  sendAt: '09:30',
  before: [5, 1],
  onOpen: true,
  onDueDay: true,
  overdueEvery: 2,
  escalateAfter: 3,
  escalateToManagerAfter: 8,
});

/**
 * How many future overdue chasers one call returns. Chasers are keyed by working days overdue, so a
 * later call (e.g. when the last one fires) continues the series with the same keys.
 */
export const OVERDUE_CHASER_HORIZON = CHASER_HORIZON;

/** Defaults, overridden by the plan's `reminders:`, overridden by the stage's. */
export function resolveReminderRules(plan?: ReminderRulesInput, stage?: ReminderRulesInput): ResolvedReminderRules {
  const pick = <K extends keyof ReminderRulesInput>(name: K) => stage?.[name] ?? plan?.[name];
  const orNull = (value: number | false | undefined, fallback: number | null) =>
    value === undefined ? fallback : value === false ? null : value;
  const before = pick('before') ?? DEFAULT_REMINDER_RULES.before;
  return {
    sendAt: pick('sendAt') ?? DEFAULT_REMINDER_RULES.sendAt,
    before: [...new Set(before)].sort((a, b) => b - a),
    onOpen: pick('onOpen') ?? DEFAULT_REMINDER_RULES.onOpen,
    onDueDay: pick('onDueDay') ?? DEFAULT_REMINDER_RULES.onDueDay,
    overdueEvery: orNull(pick('overdueEvery'), DEFAULT_REMINDER_RULES.overdueEvery),
    escalateAfter: orNull(pick('escalateAfter'), DEFAULT_REMINDER_RULES.escalateAfter),
    escalateToManagerAfter: orNull(pick('escalateToManagerAfter'), DEFAULT_REMINDER_RULES.escalateToManagerAfter),
  };
}

export interface ReminderOptions {
  /** Scheduling time: reminders before it are left out (see below for the ones that catch up). */
  now: DateTime;
  /** done and cancelled stages get no reminders; a paused cycle should not ask at all. */
  state: StageState;
  /** When an open stage actually opened (it may open early when the stage before is done). */
  openedAt?: DateTime;
  /** Keys already sent for this stage; missed escalations not in it are sent at the next sending time. */
  alreadySent?: ReadonlySet<string>;
}

/** A stage's reminder rules as the shared ladder: the chair (only with an escalation group), then the business manager. */
export function stageLadder(rules: ResolvedReminderRules, hasEscalationGroup: boolean): Ladder {
  const levels: LadderLevel[] = [];
  if (hasEscalationGroup && rules.escalateAfter !== null) {
    levels.push({ kind: 'escalate-chair', audience: 'chair', who: 'the chair', after: { workingDays: rules.escalateAfter } });
  }
  if (rules.escalateToManagerAfter !== null) {
    levels.push({ kind: 'escalate-manager', audience: 'manager', who: 'the business manager', after: { workingDays: rules.escalateToManagerAfter } });
  }
  return { sendAt: rules.sendAt, before: rules.before, onStart: rules.onOpen, onDueDay: rules.onDueDay, chaseEvery: rules.overdueEvery, levels };
}

/**
 * Every reminder still to send for one stage, in time order, each at `sendAt` local time on a working day
 * (the shared ladder, workflow/ladder.ts, says exactly when):
 * - `opened` (pending stages only) on the opening day; if that has passed, at the next sending time.
 * - `before` N working days before the due date, and `due` on the due date, unless already past or on or before
 *   the opening day (the opening message gives the due date).
 * - `overdue` from the first working day after the due date, then every `overdueEvery` working days.
 * - `escalate-chair` / `escalate-manager` when `escalateAfter` / `escalateToManagerAfter` working days
 *   overdue; a missed escalation goes at the next sending time unless its key is in `alreadySent`. No chair
 *   escalation without an escalation group.
 * The stage is overdue once its due date has ended; reminders stop only when the state changes.
 */
export function reminderInstants(
  stage: Pick<PlannedStage, 'opensOn' | 'dueOn' | 'escalationGroup'>,
  rules: ResolvedReminderRules,
  calendar: WorkingCalendar,
  options: ReminderOptions,
): ReminderInstant[] {
  const state = options.state === 'done' || options.state === 'cancelled' ? 'settled' : options.state;
  const steps = ladderSteps(
    { dueOn: stage.dueOn, startsOn: stage.opensOn },
    stageLadder(rules, stage.escalationGroup !== undefined),
    calendar,
    { now: options.now, state, startedAt: options.openedAt, alreadySent: options.alreadySent },
  );
  return steps.map((step) => ({ kind: step.kind as ReminderKind, at: step.at, key: step.key, audience: step.audience as ReminderAudience, rule: step.rule }));
}
