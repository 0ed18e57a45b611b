import type { ListItem, Message, StatusTone } from '../../messaging/message.js';
import { dueWording, formatDay } from './format.js';
import type { CycleRow } from './stage-row.js';
import type { StageView } from './stage-view.js';

function stageState(v: StageView): { status: string; tone: StatusTone } {
  const s = v.stage;
  if (s.status === 'done') return { status: 'Done', tone: 'good' };
  if (s.status === 'cancelled') return { status: 'Cancelled', tone: 'neutral' };
  if (s.status === 'pending') return { status: 'Not open yet', tone: 'neutral' };
  if (v.workingDaysLeft < 0) return { status: 'Overdue', tone: 'attention' };
  if (v.workingDaysLeft <= 1) return { status: 'Due soon', tone: 'warning' };
  return { status: 'Open', tone: 'accent' };
}

/** `cycle status`: every stage with owner, due date and state, and a progress line. */
export function cycleStatusCard(cycle: CycleRow, views: StageView[], leadName: string | undefined): Message {
  const done = views.filter((v) => v.stage.status === 'done').length;
  const overdue = views.filter((v) => v.stage.status === 'open' && v.workingDaysLeft < 0).length;
  const progress = `${done} of ${views.length} stages done${overdue > 0 ? `, ${overdue} overdue` : ''}`;
  const zone = views[0]?.zone ?? 'Europe/London';
  const items: ListItem[] = views.map((v) => {
    const state = stageState(v);
    const when = v.stage.status === 'done' ? `done ${v.doneByName ? `by ${v.doneByName}` : ''}`.trim() : `due ${formatDay(v.stage.dueOn, zone)}`;
    return { title: `${v.stage.seq + 1}. ${v.stage.name}`, detail: `${v.ownerLabel} · ${when}`, ...state };
  });
  return {
    title: `Cycle #${cycle.number}: ${cycle.title}`,
    text: `Cycle #${cycle.number} ${cycle.title}: ${progress}.`,
    sections: [
      {
        kind: 'facts',
        facts: [
          { label: 'Plan', value: cycle.planName },
          { label: 'Started', value: formatDay(cycle.startOn, zone) },
          { label: 'Lead', value: leadName ?? 'None' },
          { label: 'State', value: cycle.status[0]!.toUpperCase() + cycle.status.slice(1) },
        ],
      },
      { kind: 'list', title: 'Stages', items },
      { kind: 'context', text: `Progress: ${progress}.` },
    ],
  };
}

export function cycleListMessage(rows: { cycle: CycleRow; progress: string }[]): Message {
  if (rows.length === 0) {
    return { title: 'Cycles', text: 'No cycles yet. An admin starts one with `cycle start <plan> "<title>"`.', sections: [{ kind: 'text', text: 'No cycles yet. An admin starts one with `cycle start <plan> "<title>"`.' }] };
  }
  return {
    title: 'Cycles',
    text: `${rows.length} cycle${rows.length === 1 ? '' : 's'}`,
    sections: [
      { kind: 'list', items: rows.map(({ cycle, progress }) => ({ title: `#${cycle.number} ${cycle.title}`, detail: `${cycle.planName} · ${progress}`, status: cycle.status, tone: cycle.status === 'active' ? 'accent' : 'neutral' })) },
      { kind: 'context', text: 'Type `cycle status <number>` for the stages of one cycle.' },
    ],
  };
}

export function tasksMessage(views: StageView[]): Message {
  if (views.length === 0) return { title: 'Your tasks', text: 'Nothing is due for you. 🎉', sections: [{ kind: 'text', text: 'Nothing is due for you right now.' }] };
  return {
    title: 'Your tasks',
    text: `${views.length} stage${views.length === 1 ? '' : 's'} waiting for you`,
    sections: [
      {
        kind: 'list',
        items: views.map((v) => ({
          title: `${v.stage.name}`,
          detail: `#${v.cycle.number} ${v.cycle.title} · due ${formatDay(v.stage.dueOn, v.zone)} (${dueWording(v.workingDaysLeft, v.dueToday)})`,
          ...stageState(v),
        })),
      },
    ],
  };
}
