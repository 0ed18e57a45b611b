import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
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
export const OVERDUE_CHASER_HORIZON = 10;

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

/**
 * Every reminder still to send for one stage, in time order, each at `sendAt` local time on a working day:
 * - `opened` (pending stages only) on the opening day; if that has passed, at the next sending time.
 * - `before` N working days before the due date, and `due` on the due date. These are left out when
 *   already past, and when they fall on or before the opening day (the opening message gives the due
 *   date), unless opening messages are off, when only those before the opening day are left out.
 * - `overdue` from the first working day after the due date, then every `overdueEvery` working days:
 *   the next OVERDUE_CHASER_HORIZON still to come.
 * - `escalate-chair` / `escalate-manager` when `escalateAfter` / `escalateToManagerAfter` working days
 *   overdue. A missed escalation is not dropped: the chair must still hear, so it goes at the next
 *   sending time unless its key is in `alreadySent`. No chair escalation without an escalation group.
 * The stage is overdue once its due date has ended; reminders stop only when the state changes.
 */
export function reminderInstants(
  stage: Pick<PlannedStage, 'opensOn' | 'dueOn' | 'escalationGroup'>,
  rules: ResolvedReminderRules,
  calendar: WorkingCalendar,
  options: ReminderOptions,
): ReminderInstant[] {
  if (options.state === 'done' || options.state === 'cancelled') return [];
  const { now } = options;
  const zone = calendar.zone;
  const dueDay = DateTime.fromISO(stage.dueOn, { zone }).set({ hour: 12 });
  const sendOn = (day: DateTime) => calendar.atLocalTime(day, rules.sendAt).toUTC();
  const nextSendingTime = calendar.nextWorkingTimeAt(now, rules.sendAt).toUTC();
  const workingDaysFromDue = (n: number) => sendOn(calendar.addWorkingDays(dueDay, n));
  const instants: ReminderInstant[] = [];
  const add = (kind: ReminderKind, when: DateTime, audience: ReminderAudience, rule: string, n?: number) => {
    const key = `${kind}${n === undefined ? '' : `:${n}`}@${stage.dueOn}`;
    instants.push({ kind, at: when, key, audience, rule: `${rule}, ${rules.sendAt}` });
  };

  const pending = options.state === 'pending';
  const plannedOpening = pending ? sendOn(DateTime.fromISO(stage.opensOn, { zone }).set({ hour: 12 })) : options.openedAt;
  // A pending stage whose opening has passed (a cycle started late) opens at the next sending time.
  const opening = pending && plannedOpening && plannedOpening < now ? nextSendingTime : plannedOpening;
  const openingDay = opening?.setZone(zone).toISODate();
  const afterOpening = (when: DateTime) => {
    if (openingDay === undefined || openingDay === null) return true;
    const day = when.setZone(zone).toISODate() ?? '';
    return rules.onOpen ? day > openingDay : day >= openingDay;
  };
  const stillToCome = (when: DateTime) => when >= now && afterOpening(when);

  if (pending && rules.onOpen && opening) add('opened', opening, 'owners', 'when the stage opens');
  for (const n of rules.before) {
    const when = workingDaysFromDue(-n);
    if (stillToCome(when)) add('before', when, 'owners', `${plural(n)} before due`, n);
  }
  if (rules.onDueDay && calendar.isWorkingDay(dueDay)) {
    const when = sendOn(dueDay);
    if (stillToCome(when)) add('due', when, 'owners', 'on the due day');
  }
  if (rules.overdueEvery !== null) {
    const every = rules.overdueEvery;
    // Start from the chaser at or just before today rather than walking every chaser since the due date.
    const overdueSoFar = now > dueDay ? calendar.workingDaysBetween(dueDay, now) : 0;
    const first = 1 + every * Math.max(0, Math.floor((overdueSoFar - 1) / every));
    let day = calendar.addWorkingDays(dueDay, first);
    for (let n = first, found = 0; found < OVERDUE_CHASER_HORIZON; n += every, day = calendar.addWorkingDays(day, every)) {
      const when = sendOn(day);
      if (when < now) continue;
      add('overdue', when, 'owners', `${plural(n)} overdue (chased every ${plural(every)})`, n);
      found++;
    }
  }
  const escalate = (kind: ReminderKind, after: number | null, audience: ReminderAudience, who: string) => {
    if (after === null) return;
    const when = workingDaysFromDue(after);
    const key = `${kind}:${after}@${stage.dueOn}`;
    if (when >= now) add(kind, when, audience, `${plural(after)} overdue: tell ${who}`, after);
    else if (!options.alreadySent?.has(key)) add(kind, nextSendingTime, audience, `${plural(after)} overdue (missed, sent late): tell ${who}`, after);
  };
  if (stage.escalationGroup !== undefined) escalate('escalate-chair', rules.escalateAfter, 'chair', 'the chair');
  escalate('escalate-manager', rules.escalateToManagerAfter, 'manager', 'the business manager');

  return instants.sort((a, b) => a.at.toMillis() - b.at.toMillis() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

const KIND_ORDER: Record<ReminderKind, number> = {
  opened: 0, before: 1, due: 2, overdue: 3, 'escalate-chair': 4, 'escalate-manager': 5,
};

function plural(workingDays: number): string {
  return workingDays === 1 ? '1 working day' : `${workingDays} working days`;
}
