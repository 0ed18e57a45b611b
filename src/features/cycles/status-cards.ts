import type { ListItem, Message, MessageSection, StatusTone } from '../../messaging/message.js';
import type { AgendaItemView } from '../../workflow/agenda.js';
import { dueWording, formatDay } from './format.js';
import type { CycleRow } from './stage-row.js';
import type { StageView } from './stage-view.js';
import { agencyReturnsList, returnTaskItem, type ReturnView } from './returns-cards.js';
import { returnsSummary } from './returns-model.js';

function stageState(v: StageView): { status: string; tone: StatusTone } {
  const s = v.stage;
  if (s.status === 'done') return { status: 'Done', tone: 'good' };
  if (s.status === 'cancelled') return { status: 'Cancelled', tone: 'neutral' };
  if (s.status === 'pending') return { status: 'Not open yet', tone: 'neutral' };
  if (v.workingDaysLeft < 0) return { status: 'Overdue', tone: 'attention' };
  if (v.workingDaysLeft <= 1) return { status: 'Due soon', tone: 'warning' };
  return { status: 'Open', tone: 'accent' };
}

/** The items other features put on the cycle's meeting (a dispute's learning, a standing risk register review). */
function agendaList(agenda: readonly AgendaItemView[]): MessageSection[] {
  if (agenda.length === 0) return [];
  return [{ kind: 'list', title: 'Agenda items', items: agenda.map((item) => ({ title: item.title, ...(item.standing ? { detail: 'Standing item' } : {}) })) }];
}

/** `cycle status`: every stage with owner, due date and state, the cycle's agenda items, and a progress line. */
export function cycleStatusCard(cycle: CycleRow, views: StageView[], leadName: string | undefined, agenda: readonly AgendaItemView[] = []): Message {
  const done = views.filter((v) => v.stage.status === 'done').length;
  const overdue = views.filter((v) => v.stage.status === 'open' && v.workingDaysLeft < 0).length;
  const progress = `${done} of ${views.length} stages done${overdue > 0 ? `, ${overdue} overdue` : ''}`;
  const zone = views[0]?.zone ?? 'Europe/London';
  const items: ListItem[] = views.map((v) => {
    const state = stageState(v);
    const when = v.stage.status === 'done' ? `done ${v.doneByName ? `by ${v.doneByName}` : ''}`.trim() : `due ${formatDay(v.stage.dueOn, zone)}`;
    return { title: `${v.stage.seq + 1}. ${v.stage.name}`, detail: `${v.ownerLabel} · ${when}${v.returns ? ` · ${returnsSummary(v.returns)}` : ''}`, ...state };
  });
  const returnLists = views.flatMap((v) => (v.returns ? [agencyReturnsList(v.stage.name, v.returns)] : []));
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
      ...returnLists,
      ...agendaList(agenda),
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

export function tasksMessage(views: StageView[], returns: ReturnView[] = []): Message {
  if (views.length === 0 && returns.length === 0) return { title: 'Your tasks', text: 'Nothing is due for you. 🎉', sections: [{ kind: 'text', text: 'Nothing is due for you right now.' }] };
  const stageItems = views.map((v) => ({
    dueOn: v.stage.dueOn,
    item: {
      title: `${v.stage.name}`,
      detail: `#${v.cycle.number} ${v.cycle.title} · due ${formatDay(v.stage.dueOn, v.zone)} (${dueWording(v.workingDaysLeft, v.dueToday)})`,
      ...stageState(v),
    },
  }));
  const returnItems = returns.map((r) => ({ dueOn: r.stage.stage.dueOn, item: returnTaskItem(r) }));
  // Soonest first; on the same day a stage comes before the returns (sort is stable).
  const items = [...stageItems, ...returnItems].sort((a, b) => a.dueOn.localeCompare(b.dueOn)).map((x) => x.item);
  const counts = [
    ...(views.length > 0 ? [`${views.length} stage${views.length === 1 ? '' : 's'}`] : []),
    ...(returns.length > 0 ? [`${returns.length} return${returns.length === 1 ? '' : 's'}`] : []),
  ];
  return {
    title: 'Your tasks',
    text: `${counts.join(' and ')} waiting for you`,
    sections: [{ kind: 'list', items }],
  };
}
