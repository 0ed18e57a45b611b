import type { Message, MessageAction } from '../../messaging/message.js';
import type { ReminderKind } from './model.js';
import { dueWording, formatDay, formatDayTime } from './format.js';
import type { StageView } from './stage-view.js';
import { returnsSummary } from './returns-model.js';
import { moreTimeValue } from './more-time-ref.js';

export const stageActions = {
  done: 'stage.done',
  snooze1d: 'stage.snooze.1d',
  snooze3d: 'stage.snooze.3d',
  snooze1w: 'stage.snooze.1w',
  moreTime: 'stage.more-time',
  addNote: 'stage.note',
  openCycle: 'cycle.open',
} as const;

const headline: Record<ReminderKind, (v: StageView) => string> = {
  opened: (v) => `Now open: ${v.stage.name}`,
  before: (v) => `Reminder: ${v.stage.name} is ${dueWording(v.workingDaysLeft, v.dueToday)}`,
  due: (v) => `Due today: ${v.stage.name}`,
  overdue: (v) => `Overdue: ${v.stage.name}`,
  'escalate-chair': (v) => `Escalation: ${v.stage.name} is ${dueWording(v.workingDaysLeft, v.dueToday)}`,
  'escalate-manager': (v) => `Escalation to the business manager: ${v.stage.name} is ${dueWording(v.workingDaysLeft, v.dueToday)}`,
};

function facts(v: StageView) {
  return [
    { label: 'Cycle', value: `#${v.cycle.number} ${v.cycle.title}` },
    { label: 'Stage', value: v.stage.name },
    { label: 'Owner', value: v.ownerLabel },
    { label: 'Due', value: `${formatDay(v.stage.dueOn, v.zone)}${v.stage.status === 'open' || v.stage.status === 'pending' ? ` (${dueWording(v.workingDaysLeft, v.dueToday)})` : ''}` },
    ...(v.returns ? [{ label: 'Returns', value: returnsSummary(v.returns) }] : []),
  ];
}

/** The opening announcement of a cycle's first stage says what is on the cycle's agenda. */
function agendaLine(v: StageView, kind: ReminderKind): { kind: 'text'; text: string }[] {
  if (kind !== 'opened' || !v.agenda || v.agenda.length === 0) return [];
  const titles = v.agenda.map((item) => (item.standing ? `${item.title} (standing item)` : item.title));
  return [{ kind: 'text', text: `*On the agenda:* ${titles.join('; ')}` }];
}

function openCycleAction(v: StageView): MessageAction {
  return { id: stageActions.openCycle, label: 'Open cycle', value: v.cycle.id };
}

/** A reminder about a stage that is still open (or about to open), with the actions an owner can take. */
export function reminderCard(v: StageView, kind: ReminderKind, titleOverride?: string): Message {
  const title = titleOverride ?? headline[kind](v);
  const escalation = kind === 'escalate-chair' || kind === 'escalate-manager';
  return {
    title,
    text: `${title}. Due ${formatDay(v.stage.dueOn, v.zone)}. Cycle #${v.cycle.number} ${v.cycle.title}.`,
    sections: [
      { kind: 'facts', facts: facts(v) },
      { kind: 'text', text: `*Done means:* ${v.stage.doneMeans}` },
      ...agendaLine(v, kind),
      ...(escalation ? [{ kind: 'context' as const, text: 'You are receiving this because the stage is overdue and you chair the owning group or manage the partnership.' }] : []),
      // Two rows: Adaptive Card hosts show at most 5 actions per set by default (the SDK rejects a sixth).
      {
        kind: 'actions',
        actions: [
          { id: stageActions.done, label: 'Mark done', style: 'primary', value: v.stage.id },
          ...(escalation
            ? []
            : [
                { id: stageActions.snooze1d, label: 'Snooze 1 day', value: v.stage.id },
                { id: stageActions.snooze3d, label: 'Snooze 3 days', value: v.stage.id },
                { id: stageActions.snooze1w, label: 'Snooze 1 week', value: v.stage.id },
              ]),
        ],
      },
      { kind: 'actions', actions: [{ id: stageActions.moreTime, label: 'Ask for more time', value: moreTimeValue({ stageId: v.stage.id, card: { kind, title } }) }, openCycleAction(v)] },
    ],
  };
}

/** What every copy of a stage's cards turns into once the stage is done, moved, or its cycle stops. */
export function settledStageCard(v: StageView): Message {
  const s = v.stage;
  const line =
    s.status === 'done'
      ? `Done by ${v.doneByName ?? 'a member'}, ${s.doneAt ? formatDayTime(s.doneAt, v.zone) : ''}`.trim()
      : s.status === 'cancelled' || v.cycle.status === 'cancelled'
        ? 'Cycle cancelled: no further reminders'
        : v.cycle.status === 'paused'
          ? 'Cycle paused: reminders resume when it restarts'
          : `Due date now ${formatDay(s.dueOn, v.zone)}`;
  return {
    title: `${s.status === 'done' ? 'Done' : 'Update'}: ${s.name}`,
    text: `${s.name}: ${line}`,
    sections: [
      { kind: 'facts', facts: facts(v) },
      { kind: 'text', text: `*${line}*` },
      { kind: 'actions', actions: [openCycleAction(v)] },
    ],
  };
}

/**
 * What every copy of a stage's cards should show now: still actionable while open, settled otherwise. An open
 * stage's card says why it changed: its due date moved, or its cycle was resumed (the date did not move).
 */
export function currentStageCard(v: StageView, why: 'moved' | 'resumed' | 'returned' = 'moved'): Message {
  const open = (v.stage.status === 'open' || v.stage.status === 'pending') && v.cycle.status === 'active';
  if (!open) return settledStageCard(v);
  if (why === 'returned' && v.returns) return reminderCard(v, 'before', `${v.stage.name}: ${returnsSummary(v.returns)}`);
  const title = why === 'resumed'
    ? `Resumed: ${v.stage.name} is ${dueWording(v.workingDaysLeft, v.dueToday)}`
    : `Due date changed: ${v.stage.name} is now due ${formatDay(v.stage.dueOn, v.zone)}`;
  return reminderCard(v, 'before', title);
}
