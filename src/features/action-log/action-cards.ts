import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay, formatDayTime } from '../../core/day-format.js';
import type { ListItem, Message, MessageSection } from '../../messaging/message.js';
import { actionButtons, type ActionReminderKind, type ActionView } from './model.js';


function dueWording(left: number, overdue: boolean): string {
  if (overdue) {
    const late = Math.max(1, -left);
    return `${late} working day${late === 1 ? '' : 's'} overdue`;
  }
  if (left === 0) return 'due today';
  return `due in ${left} working day${left === 1 ? '' : 's'}`;
}

const isOverdue = (dueOn: string, now: DateTime, zone: string) => (now.setZone(zone).toISODate() ?? '') > dueOn;

/** One line of a list: "#3 Re-audit the strategy discussions", "Helen Ashby · due Fri 5 Mar 2027 (2 working days overdue)". */
export function actionListItem(action: ActionView, now: DateTime, calendar: WorkingCalendar, show: 'owner' | 'group'): ListItem {
  const overdue = isOverdue(action.dueOn, now, calendar.zone);
  const who = show === 'owner' ? action.owner.name : action.group.name;
  return {
    title: `#${action.number} ${action.title}`,
    detail: `${who} · due ${formatDay(action.dueOn, calendar.zone)} (${dueWording(calendar.workingDaysUntil(action.dueOn, now), overdue)})`,
    status: overdue ? 'Overdue' : 'Open',
    tone: overdue ? 'attention' : 'neutral',
  };
}

export function actionListCard(title: string, empty: string, actions: ActionView[], now: DateTime, calendar: WorkingCalendar, show: 'owner' | 'group', hint: string): Message {
  if (actions.length === 0) return { title, text: empty, sections: [{ kind: 'text', text: empty }, { kind: 'context', text: hint }] };
  const overdue = actions.filter((a) => isOverdue(a.dueOn, now, calendar.zone)).length;
  const summary = `${actions.length} open action${actions.length === 1 ? '' : 's'}${overdue > 0 ? `, ${overdue} overdue` : ''}.`;
  return {
    title,
    text: `${title}: ${summary}`,
    sections: [
      { kind: 'text', text: summary },
      { kind: 'list', items: actions.map((a) => actionListItem(a, now, calendar, show)) },
      { kind: 'context', text: hint },
    ],
  };
}

function facts(action: ActionView, zone: string): MessageSection {
  return {
    kind: 'facts',
    facts: [
      { label: 'Action', value: action.title },
      { label: 'Group', value: action.group.name },
      { label: 'Owner', value: action.owner.name },
      { label: 'Due', value: formatDay(action.dueOn, zone) },
    ],
  };
}

const markDone = (action: ActionView): MessageSection => ({ kind: 'actions', actions: [{ id: actionButtons.done, label: 'Mark done', style: 'primary', value: action.id }] });

/** An open action's card, as the owner (or the chair, on escalation) sees it. */
function openCard(action: ActionView, heading: string, line: string, zone: string): Message {
  return { title: heading, text: `${heading}. ${line}`, sections: [{ kind: 'text', text: line }, facts(action, zone), markDone(action)] };
}

/** Told to the owner when the action is added. */
export function newActionCard(action: ActionView, addedBy: string, zone: string): Message {
  return openCard(action, `New action for you: #${action.number}`, `${addedBy} added this to the ${action.group.name} action log, due ${formatDay(action.dueOn, zone)}. Press Mark done (or type \`actions done ${action.number}\`) when it is done.`, zone);
}

export function reminderCard(action: ActionView, kind: ActionReminderKind, now: DateTime, calendar: WorkingCalendar): Message {
  const zone = calendar.zone;
  const left = calendar.workingDaysUntil(action.dueOn, now);
  const late = dueWording(left, isOverdue(action.dueOn, now, zone));
  switch (kind) {
    case 'before':
      return openCard(action, `Action #${action.number} is ${late}`, `Due ${formatDay(action.dueOn, zone)}.`, zone);
    case 'due':
      return openCard(action, `Action #${action.number} is due today`, `Due today, ${formatDay(action.dueOn, zone)}.`, zone);
    case 'overdue':
      return openCard(action, `Action #${action.number} is ${late}`, `It was due ${formatDay(action.dueOn, zone)}. Mark it done, or tell the chair of ${action.group.name} what is holding it up.`, zone);
    case 'escalate-chair':
      return openCard(action, `Overdue action in ${action.group.name}: #${action.number}`, `${action.owner.name}'s action is ${late} (due ${formatDay(action.dueOn, zone)}). The owner has been reminded.`, zone);
  }
}

/** What every copy of an action's cards reads once it is done. */
export function doneCard(action: ActionView, zone: string): Message {
  const by = action.doneBy ? `Done by ${action.doneBy.name}, ${formatDayTime(action.doneBy.at, zone)}` : 'Done';
  return { title: `Action #${action.number}: done`, text: `${by}.`, sections: [{ kind: 'text', text: `${by}.` }, facts(action, zone)] };
}

/** What every copy reads after an Undo: open again, with Mark done. */
export function reopenedCard(action: ActionView, by: string, zone: string): Message {
  return openCard(action, `Action #${action.number} is open again`, `${by} undid "done": it is due ${formatDay(action.dueOn, zone)} and reminders are back on.`, zone);
}
