import type { DateTime } from 'luxon';
import type { Owner } from '../../workflow/owners.js';
import type { Recurrence } from '../../workflow/recurrence.js';
import type { Span } from '../../workflow/span.js';
import type { StageReturns } from './returns-model.js';

/** Who does a stage's work: one group, everyone holding a partnership role, or named members. */
export type StageOwner = Owner;

/**
 * Where a calendar-day due date (a `days`, `weeks` or `months` duration, or a fixed `due:` date) that lands on
 * a weekend or holiday goes: `earlier` (the default) to the working day before, so "within 28 days" is never
 * day 29; `later` to the working day after. Working-day durations always land on a working day.
 */
export const NON_WORKING_DUE_RULES = ['earlier', 'later'] as const;
export type NonWorkingDueRule = (typeof NON_WORKING_DUE_RULES)[number];

/** `previous` (the default), `start` (the date the cycle was started with) or an earlier stage's key. */
export type StageAnchor = 'previous' | 'start' | (string & {});
export const RESERVED_STAGE_KEYS = ['previous', 'start'] as const;

/** Reminder settings as written at plan or stage level; anything left out falls back a level. */
export interface ReminderRulesInput {
  sendAt?: string | undefined;
  before?: number[] | undefined;
  onOpen?: boolean | undefined;
  onDueDay?: boolean | undefined;
  /** `false` turns overdue chasers off. */
  overdueEvery?: number | false | undefined;
  /** `false` turns that escalation off. */
  escalateAfter?: number | false | undefined;
  escalateToManagerAfter?: number | false | undefined;
}

/** The rules a stage actually runs with: defaults, then the plan's, then the stage's. */
export interface ResolvedReminderRules {
  /** HH:mm local time; reminders go out at this time on working days only. */
  sendAt: string;
  /** Working days before the due date, largest first, no repeats. */
  before: number[];
  onOpen: boolean;
  onDueDay: boolean;
  /** Working days between overdue chasers; null: no chasers. */
  overdueEvery: number | null;
  /** Working days overdue before the owning group's chair is told; null: never. */
  escalateAfter: number | null;
  /** Working days overdue before the partnership's business manager is told; null: never. */
  escalateToManagerAfter: number | null;
}

export interface PlanStage {
  key: string;
  name: string;
  owner: StageOwner;
  /** What "done" means, shown on every reminder. */
  done: string;
  after: StageAnchor;
  /** Added to the anchor to find when the stage opens; may be negative (e.g. papers before a meeting). */
  offset?: Span | undefined;
  /** Exactly one of `duration` (measured from the opening) and `due` (a fixed YYYY-MM-DD date). */
  duration?: Span | undefined;
  due?: string | undefined;
  /** Overrides the plan's rule for this stage's calendar-day due date. */
  dueOnNonWorkingDay?: NonWorkingDueRule | undefined;
  reminders?: ReminderRulesInput | undefined;
  /** Ask each agency in a list for its own return (returns-model.ts). */
  returns?: StageReturns | undefined;
}

export interface CyclePlan {
  key: string;
  name: string;
  /** What the date given to `cycle start` means, e.g. "the meeting date". */
  startDateIs: string;
  /** The group that runs the plan; its chair is told when a stage not owned by a group is overdue. */
  group?: string | undefined;
  /** The plan's rule for calendar-day due dates on a non-working day; `earlier` when left out. */
  dueOnNonWorkingDay?: NonWorkingDueRule | undefined;
  reminders?: ReminderRulesInput | undefined;
  stages: PlanStage[];
  /** When the plan starts by itself; without it, only `cycle start` starts it. */
  recurs?: Recurrence | undefined;
  /** Runs the plan once for each of these groups; `@group` in the plan stands for each one. */
  forEachGroup?: GroupSelection | undefined;
}

/** Stands for "each group" in a plan applied to several groups (owners, the plan's group, returns). */
export const EACH_GROUP = '@group';

/** Which groups a plan applied to several groups runs for. */
export type GroupSelection = { groups: string[] } | { meetingsPerYear: number };

/** One stage of a started cycle with its planned window. Dates are local 'YYYY-MM-DD', always working days. */
export interface PlannedStage {
  key: string;
  name: string;
  owner: StageOwner;
  done: string;
  opensOn: string;
  dueOn: string;
  /** The due date the plan gives, before any move of this stage's own date. */
  plannedDueOn: string;
  /** The group whose chair receives escalations, if any (the owning group, else the plan's group). */
  escalationGroup: string | undefined;
  reminders: ResolvedReminderRules;
}

/** Moved due dates by stage key, e.g. after an admin's move or an approved request for more time. */
export type DueDateOverrides = Readonly<Record<string, { dueOn: string }>>;

/** pending: not open yet; open: work under way (overdue is derived from the due date); done; cancelled. */
export const STAGE_STATES = ['pending', 'open', 'done', 'cancelled'] as const;
export type StageState = (typeof STAGE_STATES)[number];

export const CYCLE_STATES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

export const REMINDER_KINDS = ['opened', 'before', 'due', 'overdue', 'escalate-chair', 'escalate-manager'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** owners: the stage's owners and their group channel; chair: the escalation group's chair; manager: the business manager. */
export type ReminderAudience = 'owners' | 'chair' | 'manager';

export interface ReminderInstant {
  kind: ReminderKind;
  /** The UTC instant to send at. */
  at: DateTime;
  /**
   * Unique within the stage and stable for the same due date, e.g. `before:5@2026-10-07`. A moved due
   * date gives new keys, so stale timers and "already sent" records never match the new deadline.
   */
  key: string;
  audience: ReminderAudience;
  /** Human-readable, e.g. "5 working days before due, 09:30". */
  rule: string;
}
