import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay, formatDayTime } from '../../core/day-format.js';
import type { Fact, ListItem, Message, MessageAction, MessageSection } from '../../messaging/message.js';
import { riskButtons } from './risk-policy.js';
import { describeLimit, disputeButtons, isFinalStage, type DisputeEventView, type DisputeView } from './model.js';

/** What a timeline event says, e.g. "Escalated early by Sam Patel: the plan is not safe". */
const eventWords: Record<string, string> = {
  raised: 'Raised',
  reminder: 'Reminder sent: the stage\'s time is running out',
  escalated: 'Time ran out unresolved: escalated',
  'escalated-early': 'Escalated early',
  proposed: 'Outcome proposed',
  declined: 'Proposed outcome not agreed',
  agreed: 'Outcome agreed by both parties',
  'chair-pinged': 'Chair pinged again',
  'deputy-pinged': 'No acknowledgement: the deputy chair was told',
  'manager-pinged': 'No acknowledgement: the business manager was told',
  acknowledged: 'Acknowledged',
  'meeting-scheduled': 'Joint meeting scheduled',
  'mediator-appointed': 'Independent mediator appointed',
  delegated: 'Delegated',
  decided: "The chair's decision (final)",
  'deadline-missed': 'The joint-meeting deadline passed without an outcome',
  withdrawn: 'Withdrawn',
};

export const stageLabel = (d: Pick<DisputeView, 'stages' | 'stageIndex'>, index = d.stageIndex) => `stage ${index + 1} of ${d.stages.length} (${d.stages[index]?.name ?? '?'})`;

function timeLeft(d: DisputeView, now: DateTime, calendar: WorkingCalendar): string {
  const left = calendar.workingDaysUntil(d.stageDueOn, now);
  if (now.setZone(calendar.zone).toISODate()! > d.stageDueOn) return 'time has run out';
  return left === 0 ? 'ends today' : `${left} working day${left === 1 ? '' : 's'} left`;
}

const party = (p: DisputeView['raisedBy']) => (p.agency ? `${p.name} (${p.agency})` : p.name);

function facts(d: DisputeView, now: DateTime, calendar: WorkingCalendar): Fact[] {
  const stage = d.stages[d.stageIndex]!;
  const list: Fact[] = [
    { label: 'Between', value: `${party(d.raisedBy)} and ${party(d.otherParty)}` },
    { label: 'Stage', value: `${d.stageIndex + 1} of ${d.stages.length}: ${stage.name}` },
  ];
  if (d.status === 'open') {
    list.push({ label: isFinalStage(d) ? 'Joint meeting by' : 'Stage ends', value: `${formatDay(d.stageDueOn, calendar.zone)} (${timeLeft(d, now, calendar)}; ${describeLimit(stage.limit)} for this stage)` });
  }
  if (d.caseRef) list.push({ label: 'Case reference', value: d.caseRef });
  if (d.urgent) list.push({ label: 'Urgency', value: 'A child is at immediate risk' });
  list.push({ label: 'Outcome sought', value: d.outcomeSought });
  if (d.jointMeetingOn) list.push({ label: 'Joint meeting', value: formatDay(d.jointMeetingOn, calendar.zone) });
  if (d.mediator) list.push({ label: 'Mediator', value: d.mediator });
  if (d.chair && isFinalStage(d)) list.push({ label: 'With', value: d.chairAck ? `${d.chair.name} (acknowledged by ${d.chairAck.name})` : `${d.chair.name} (not yet acknowledged)` });
  return list;
}

const title = (d: DisputeView) => `Dispute #${d.number}: ${d.subject}`;

function settledSection(d: DisputeView): MessageSection[] {
  if (d.status === 'withdrawn') return [{ kind: 'text', text: `*Withdrawn* at ${stageLabel(d)}.` }];
  if (d.status !== 'resolved') return [];
  const how = isFinalStage(d) && d.resolvedBy && d.chair ? `Decided by ${d.resolvedBy} (final)` : 'Agreed by both parties';
  return [
    { kind: 'text', text: `*Resolved* at ${stageLabel(d)}. ${how}: ${d.outcome ?? ''}` },
    ...(d.learning ? [{ kind: 'context' as const, text: `Learning flagged for the workforce: ${d.learning}` }] : []),
  ];
}

/** The parties' card: where it stands, and Agree an outcome / Escalate now while it is open. */
export function partyCard(d: DisputeView, now: DateTime, calendar: WorkingCalendar, heading?: string): Message {
  const stage = d.stages[d.stageIndex]!;
  const actions: MessageAction[] = d.status === 'open' && !isFinalStage(d)
    ? [
        { id: disputeButtons.propose, label: 'Agree an outcome', style: 'primary', value: d.id },
        { id: disputeButtons.escalate, label: 'Escalate now', value: d.id },
      ]
    : [];
  const next = d.stages[d.stageIndex + 1];
  const lead = heading ?? (d.status === 'open' ? `Dispute #${d.number} is at ${stageLabel(d)}.` : `Dispute #${d.number} is settled.`);
  const sections: MessageSection[] = [
    { kind: 'text', text: lead },
    { kind: 'facts', facts: facts(d, now, calendar) },
    ...settledSection(d),
  ];
  if (d.status === 'open') {
    if (stage.involves) sections.push({ kind: 'context', text: `At this stage: ${stage.involves}.` });
    if (d.proposed) sections.push({ kind: 'text', text: `Outcome proposed by ${d.proposed.byName}, waiting for the other party to confirm: ${d.proposed.outcome}` });
    if (next) sections.push({ kind: 'context', text: `Unresolved by the end of ${formatDay(d.stageDueOn, calendar.zone)}, it goes to stage ${d.stageIndex + 2} (${next.name}). Either of you can escalate sooner, with a reason.` });
  }
  if (actions.length > 0) sections.push({ kind: 'actions', actions });
  return { title: title(d), text: lead, sections };
}

/** The other party's card for a proposed outcome: Confirm / Not agreed. */
export function proposalCard(d: DisputeView, now: DateTime, calendar: WorkingCalendar): Message {
  const lead = `${d.proposed?.byName ?? 'The other party'} proposes an outcome for dispute #${d.number}. Confirm it to close the dispute at ${stageLabel(d)}, or say it is not agreed.`;
  return {
    title: `Confirm the outcome of dispute #${d.number}?`,
    text: `An outcome was proposed for dispute #${d.number}.`,
    sections: [
      { kind: 'text', text: lead },
      { kind: 'facts', facts: [{ label: 'Proposed outcome', value: d.proposed?.outcome ?? '' }, ...(d.proposed?.learning ? [{ label: 'Learning to share', value: d.proposed.learning }] : []), ...facts(d, now, calendar).slice(0, 2)] },
      ...(d.status === 'open' && d.proposed
        ? [{ kind: 'actions' as const, actions: [
            { id: disputeButtons.confirm, label: 'Confirm outcome', style: 'primary' as const, value: d.id },
            { id: disputeButtons.decline, label: 'Not agreed', value: d.id },
          ] }]
        : []),
    ],
  };
}

export function timelineItems(events: DisputeEventView[], d: Pick<DisputeView, 'stages'>, zone: string): ListItem[] {
  return events.map((e) => ({
    title: `${formatDayTime(e.at, zone)} · ${eventWords[e.kind] ?? e.kind}${e.actor ? ` by ${e.actor}` : ''}`,
    detail: [`Stage ${e.stageIndex + 1} (${d.stages[e.stageIndex]?.name ?? '?'})`, e.detail].filter(Boolean).join(': '),
  }));
}

/** The chair's card at the last stage: the full history, the joint-meeting deadline and what the chair can do. */
export function chairCard(d: DisputeView, events: DisputeEventView[], now: DateTime, calendar: WorkingCalendar, heading: string, forManager = false): Message {
  const open = d.status === 'open';
  const actions: MessageAction[] = open && forManager
    ? [{ id: disputeButtons.delegate, label: 'Delegate', value: d.id }]
    : open
    ? [
        ...(d.chairAck ? [] : [{ id: disputeButtons.acknowledge, label: 'Acknowledge', style: 'primary' as const, value: d.id }]),
        { id: disputeButtons.meeting, label: 'Schedule joint meeting', value: d.id },
        { id: disputeButtons.mediator, label: 'Appoint mediator', value: d.id },
        { id: disputeButtons.decide, label: 'Record outcome', value: d.id },
        { id: disputeButtons.delegate, label: 'Delegate', value: d.id },
        { id: riskButtons.add, label: 'Add to risk register', value: d.id },
      ]
    : [];
  return {
    title: title(d),
    text: heading,
    sections: [
      { kind: 'text', text: heading },
      { kind: 'facts', facts: [...facts(d, now, calendar), { label: 'What has been tried', value: d.tried }] },
      ...settledSection(d),
      { kind: 'list', title: 'History', items: timelineItems(events, d, calendar.zone) },
      ...(actions.length > 0 ? [{ kind: 'actions' as const, actions }] : []),
    ],
  };
}

/** `dispute status <number>`: the card and the whole timeline. */
export function statusCard(d: DisputeView, events: DisputeEventView[], now: DateTime, calendar: WorkingCalendar): Message {
  const card = partyCard(d, now, calendar);
  const actions = card.sections.flatMap((s) => (s.kind === 'actions' ? s.actions : []));
  return {
    ...card,
    sections: [
      ...card.sections.filter((s) => s.kind !== 'actions'),
      { kind: 'list', title: 'Timeline', items: timelineItems(events, d, calendar.zone) },
      { kind: 'actions', actions: [...actions, { id: riskButtons.add, label: 'Add to risk register', value: d.id }] },
    ],
  };
}

export function disputeListCard(heading: string, disputes: DisputeView[], now: DateTime, calendar: WorkingCalendar, empty: string): Message {
  if (disputes.length === 0) return { title: heading, text: empty, sections: [{ kind: 'text', text: empty }] };
  const items: ListItem[] = disputes.map((d) => {
    const late = d.status === 'open' && now.setZone(calendar.zone).toISODate()! > d.stageDueOn;
    return {
      title: `#${d.number} ${d.subject}`,
      detail: `${party(d.raisedBy)} and ${party(d.otherParty)} · ${d.status === 'open' ? `${stageLabel(d)}, ${isFinalStage(d) ? 'joint meeting by' : 'ends'} ${formatDay(d.stageDueOn, calendar.zone)}` : d.status}`,
      status: d.status === 'open' ? (late ? 'Time run out' : d.urgent ? 'Urgent' : 'Open') : d.status === 'resolved' ? 'Resolved' : 'Withdrawn',
      tone: d.status !== 'open' ? 'good' : late || d.urgent ? 'attention' : 'accent',
    };
  });
  const open = disputes.filter((d) => d.status === 'open').length;
  const line = `${disputes.length} dispute${disputes.length === 1 ? '' : 's'}, ${open} open.`;
  return { title: heading, text: line, sections: [{ kind: 'list', items }, { kind: 'context', text: `${line} Type \`dispute status <number>\` for one's timeline.` }] };
}
