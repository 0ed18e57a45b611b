// Walsall's per-subgroup action logs (seed 003, 5.8: "Each sub-group, will keep an action log which is reviewed and
// completion of each action recorded"): actions agreed at a group's meeting, each with one owner and a
// due date, listed by `actions [group]`, reminded to the owner and chased when late, escalating to the group's chair.
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { Ladder } from '../../workflow/ladder.js';

export const ACTION_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** One action as stored, with what the cards and lists show. */
export interface ActionView {
  id: string;
  partnershipId: string;
  number: number;
  title: string;
  dueOn: string;
  status: ActionStatus;
  group: { id: string; key: string; name: string };
  owner: { id: string; name: string };
  doneBy?: { name: string; at: Date } | undefined;
}

/** How an action is reminded: the partnership file's `actionLog.reminders`, else these. */
export interface ActionReminderSettings {
  /** HH:mm local time, on working days only. */
  sendAt: string;
  /** Working days before the due date, largest first. */
  before: number[];
  onDueDay: boolean;
  /** Working days between overdue chasers; null: none. */
  overdueEvery: number | null;
  /** Working days overdue before the group's chair is told; null: never. */
  escalateAfter: number | null;
}

export const DEFAULT_ACTION_REMINDERS: Readonly<ActionReminderSettings> = Object.freeze({
  sendAt: '09:30',
  before: [3],
  onDueDay: true,
  overdueEvery: 2,
  escalateAfter: 3,
});

/** The longest action text kept; a log entry is a line, not a report. */
export const MAX_ACTION_TITLE = 300;

export const actionTimerKind = 'action-log.reminder';
export const actionSubject = (actionId: string) => `action:${actionId}`;
export const actionTimerPrefix = (actionId: string) => `action:${actionId}:`;

export const actionButtons = { done: 'action-log.done', undo: 'action-log.undo' } as const;

/** The shared ladder for one action: no opening announcement (the owner is told when it is added). */
export function actionLadder(settings: ActionReminderSettings): Ladder {
  return {
    sendAt: settings.sendAt,
    before: settings.before,
    onStart: false,
    onDueDay: settings.onDueDay,
    chaseEvery: settings.overdueEvery,
    levels: settings.escalateAfter === null ? [] : [{ kind: 'escalate-chair', audience: 'chair', who: "the group's chair", after: { workingDays: settings.escalateAfter } }],
  };
}

export type ActionReminderKind = 'before' | 'due' | 'overdue' | 'escalate-chair';
export const ACTION_REMINDER_KINDS: readonly string[] = ['before', 'due', 'overdue', 'escalate-chair'];

const chairs = (profile: MemberProfile, groupKey: string) =>
  profile.groups.some((g) => g.key === groupKey && g.position === 'chair');

/** The group's chair, the business manager or an admin adds actions to a group's log. */
export function canAddTo(profile: MemberProfile, groupKey: string): boolean {
  return isPartnershipAdmin(profile) || chairs(profile, groupKey);
}

/** The owner, the group's chair or an admin marks an action done (or undoes that). */
export function canClose(profile: MemberProfile, action: Pick<ActionView, 'partnershipId' | 'owner' | 'group'>): boolean {
  if (profile.partnershipId !== action.partnershipId) return false;
  return profile.memberId === action.owner.id || isPartnershipAdmin(profile) || chairs(profile, action.group.key);
}
