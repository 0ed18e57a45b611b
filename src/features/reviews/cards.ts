import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay, formatDayTime } from '../../core/day-format.js';
import { privateToMembers } from '../../messaging/audience.js';
import type { Fact, ListItem, Message, MessageAction, MessageSection } from '../../messaging/message.js';
import { PUBLIC_UNTIL, reviewClocks, timeLeft, type ReviewClock } from './clocks.js';
import { nationalBody, outcomeLabel, processNames, reviewButtons, reviewTypeNames, SAFE_TEXT, type ReviewEventView, type ReviewView } from './model.js';

/** Every card of this feature is private to the members it is sent to: lock screens show SAFE_TEXT only. */
export const privateTo = (memberIds: readonly string[], message: Message): Message => privateToMembers(memberIds, SAFE_TEXT, message);

const title = (r: ReviewView) => `Review #${r.number} · case ${r.caseRef}`;

export function clockItems(r: ReviewView, now: DateTime, calendar: WorkingCalendar, clocks: ReviewClock[] = reviewClocks(r, calendar)): ListItem[] {
  return clocks.map((c) => {
    const left = timeLeft(c.dueOn, c.done, now, calendar);
    return {
      title: `${c.label}: ${c.dueOn ? `by ${formatDay(c.dueOn, calendar.zone)}` : 'not started'}`,
      detail: `${c.anchor} · ${left}`,
      status: c.done ? 'Done' : left.endsWith('overdue') ? 'Overdue' : left === 'due today' ? 'Due today' : c.dueOn ? 'Running' : 'Waiting',
      tone: c.done ? 'good' : left.endsWith('overdue') ? 'attention' : left === 'due today' ? 'warning' : 'accent',
    };
  });
}

function milestoneItems(r: ReviewView, now: DateTime, calendar: WorkingCalendar): ListItem[] {
  return r.milestones.map((m) => ({
    title: `${m.name}: ${m.doneOn ? `done ${formatDay(m.doneOn, calendar.zone)}` : `${m.key === PUBLIC_UNTIL ? 'may come down after' : 'by'} ${formatDay(m.dueOn, calendar.zone)}`}`,
    detail: m.doneOn ? undefined : timeLeft(m.dueOn, false, now, calendar),
    status: m.doneOn ? 'Done' : 'To do',
    tone: m.doneOn ? 'good' : 'accent',
  }));
}

/** Facts any recipient may see: the type, the case reference, the days; never the summary. */
function baseFacts(r: ReviewView, calendar: WorkingCalendar): Fact[] {
  const body = nationalBody[r.type];
  const facts: Fact[] = [
    { label: 'Type', value: reviewTypeNames[r.type] },
    { label: 'Case reference', value: r.caseRef },
    { label: r.type === 'dhr' ? 'Police notification' : 'Partnership aware', value: formatDay(r.awareOn, calendar.zone) },
  ];
  if (body) facts.push({ label: `Notified to ${body}`, value: r.nationalNotifiedOn ? formatDay(r.nationalNotifiedOn, calendar.zone) : 'Not yet recorded' });
  if (r.jointWith) facts.push({ label: 'Joint case', value: r.leadProcess ? `The ${processNames[r.leadProcess]} leads (agreed by the chairs)` : `May also need a ${processNames[r.jointWith]}; the chairs have not yet agreed which process leads` });
  if (r.meetingOn) facts.push({ label: 'Rapid review meeting', value: formatDay(r.meetingOn, calendar.zone) });
  if (r.recommendation) facts.push({ label: 'Recommendation', value: `${outcomeLabel(r.type, r.recommendation)}${r.recommendedBy ? ` (recorded by ${r.recommendedBy})` : ''}` });
  if (r.decision) {
    facts.push({ label: 'Decision', value: `${outcomeLabel(r.type, r.decision)}, by ${r.decidedBy ?? 'the decision maker'}${r.decidedAt ? ` on ${formatDayTime(r.decidedAt, calendar.zone)}` : ''}` });
    if (body) facts.push({ label: `${body[0]!.toUpperCase()}${body.slice(1)} told of the decision`, value: r.nationalToldOn ? formatDay(r.nationalToldOn, calendar.zone) : 'Not yet' });
  }
  return facts;
}

/**
 * The group members' card: everything, with who has acknowledged and what the group can do next. `viewer` is whose
 * copy it is: Acknowledge only until they have, and the chair's buttons only for those who run the review.
 */
export function groupCard(r: ReviewView, members: { id: string; name: string }[], now: DateTime, calendar: WorkingCalendar, heading: string, viewer?: { id: string; runs: boolean }): Message {
  const acked = new Set(r.acks.map((a) => a.memberId));
  const waiting = members.filter((m) => !acked.has(m.id)).map((m) => m.name);
  const open = r.status === 'open';
  const runs = viewer?.runs ?? true;
  const actions: MessageAction[] = [];
  if (open && !(viewer && acked.has(viewer.id))) actions.push({ id: reviewButtons.acknowledge, label: 'Acknowledge', style: 'primary', value: r.id });
  if (r.status !== 'closed' && nationalBody[r.type] && !r.nationalNotifiedOn) actions.push({ id: reviewButtons.notified, label: 'Record national notification', value: r.id });
  if (open && runs) {
    actions.push({ id: reviewButtons.meeting, label: r.meetingOn ? 'Change meeting date' : 'Set meeting date', value: r.id });
    actions.push({ id: reviewButtons.recommend, label: r.recommendation ? 'Change recommendation' : 'Record recommendation', value: r.id });
  }
  if (runs && r.status === 'decided' && r.milestones.some((m) => !m.doneOn)) actions.push({ id: reviewButtons.milestone, label: 'Record a step done', value: r.id });
  const sections: MessageSection[] = [
    { kind: 'text', text: heading },
    { kind: 'facts', facts: [...baseFacts(r, calendar), { label: 'Summary (not identifying)', value: r.summary }, { label: 'Notified by', value: r.notifier.name }] },
    { kind: 'list', title: 'Clocks', items: clockItems(r, now, calendar) },
  ];
  if (r.agencies.length > 0) {
    sections.push({ kind: 'list', title: 'Chronologies by the secure route', items: r.agencies.map((a) => ({ title: a.name, ...(a.confirmedAt ? { detail: `Confirmed sent by ${a.confirmedBy ?? 'the lead'}, ${formatDayTime(a.confirmedAt, calendar.zone)}` } : {}), status: a.confirmedAt ? 'Sent' : 'Waiting', tone: a.confirmedAt ? 'good' : 'warning' })) });
  }
  if (r.milestones.length > 0) sections.push({ kind: 'list', title: 'Follow-through', items: milestoneItems(r, now, calendar) });
  sections.push({ kind: 'context', text: `Acknowledged: ${r.acks.map((a) => a.name).join(', ') || 'nobody yet'}. Not yet: ${waiting.join(', ') || 'nobody'}.` });
  if (r.decisionReasons) sections.push({ kind: 'text', text: `*Reasons for the decision:* ${r.decisionReasons}` });
  if (r.recommendationNote) sections.push({ kind: 'context', text: `Recommendation note: ${r.recommendationNote}` });
  if (actions.length > 0) sections.push({ kind: 'actions', actions });
  return { title: title(r), text: heading, sections };
}

/** The group's private channel: the case reference and the clocks, nothing more. */
export function channelAlert(r: ReviewView, now: DateTime, calendar: WorkingCalendar): Message {
  const lead = `New ${reviewTypeNames[r.type].toLowerCase()}: case ${r.caseRef} (review #${r.number}). Members have the details in their direct chat with the bot.`;
  return {
    title: title(r),
    text: `New notification for the group: case ${r.caseRef}`,
    sections: [{ kind: 'text', text: lead }, { kind: 'list', title: 'Clocks', items: clockItems(r, now, calendar) }],
  };
}

/** The notifier's receipt, and what a decider or a joint chair sees: the clocks and where it stands, never the summary. */
export function receiptCard(r: ReviewView, now: DateTime, calendar: WorkingCalendar, heading: string): Message {
  return {
    title: title(r),
    text: heading,
    sections: [
      { kind: 'text', text: heading },
      { kind: 'facts', facts: baseFacts(r, calendar) },
      { kind: 'list', title: 'Clocks', items: clockItems(r, now, calendar) },
      ...(r.milestones.length > 0 ? [{ kind: 'list' as const, title: 'Follow-through', items: milestoneItems(r, now, calendar) }] : []),
    ],
  };
}

/** The decision maker's card: the recommendation and the clocks, and the button to record the decision. */
export function decisionCard(r: ReviewView, now: DateTime, calendar: WorkingCalendar, heading: string): Message {
  const card = receiptCard(r, now, calendar, heading);
  const extra: MessageSection[] = [];
  if (r.recommendationNote) extra.push({ kind: 'context', text: `The group's note: ${r.recommendationNote}` });
  if (r.attendees.length > 0) extra.push({ kind: 'context', text: `${r.attendees.length} attended the rapid review meeting.` });
  if (r.status === 'open' && r.recommendation) extra.push({ kind: 'actions', actions: [{ id: reviewButtons.decide, label: 'Record decision', style: 'primary', value: r.id }] });
  else if (r.status === 'open') extra.push({ kind: 'context', text: 'You decide once the group has recorded its recommendation: you will get a card then.' });
  return { ...card, sections: [...card.sections, ...extra] };
}

/** An involved agency's lead: confirm the chronology went by the secure route (the chat never carries it). */
export function agencyCard(r: ReviewView, agencyId: string, dueOn: string, calendar: WorkingCalendar, heading: string): Message {
  const agency = r.agencies.find((a) => a.agencyId === agencyId);
  const done = Boolean(agency?.confirmedAt);
  const lead = done
    ? `${agency?.name ?? 'Your agency'}'s chronology for case ${r.caseRef} was confirmed sent by ${agency?.confirmedBy ?? 'its lead'}. Thank you.`
    : heading;
  return {
    title: `Case ${r.caseRef}: chronology due ${formatDay(dueOn, calendar.zone)}`,
    text: lead,
    sections: [
      { kind: 'text', text: lead },
      { kind: 'facts', facts: [{ label: 'Case reference', value: r.caseRef }, { label: 'Agency', value: agency?.name ?? '' }, { label: 'Send by', value: formatDay(dueOn, calendar.zone) }] },
      ...(done || r.status === 'closed' ? [] : [
        { kind: 'context' as const, text: 'The chronology goes by the secure route, never in chat.' },
        { kind: 'actions' as const, actions: [{ id: reviewButtons.confirmSent, label: 'Confirm sent', style: 'primary' as const, value: `${r.id}:${agencyId}` }] },
      ]),
    ],
  };
}

/** A joint case: which process leads, chosen by each chair. */
export function leadCard(r: ReviewView, heading: string): Message {
  const options = [r.type, r.jointWith!];
  const chosen = r.leadChoices.map((c) => `${c.name}: ${processNames[c.process]}`).join('; ');
  return {
    title: `Case ${r.caseRef}: which process leads?`,
    text: heading,
    sections: [
      { kind: 'text', text: heading },
      { kind: 'facts', facts: [{ label: 'Case reference', value: r.caseRef }, { label: 'Processes', value: options.map((t) => processNames[t]).join(' or ') }, ...(chosen ? [{ label: 'Chosen so far', value: chosen }] : [])] },
      ...(r.leadProcess
        ? [{ kind: 'text' as const, text: `Agreed: the ${processNames[r.leadProcess]} leads, with a joint report to both boards.` }]
        : [{ kind: 'actions' as const, actions: options.map((t) => ({ id: reviewButtons.lead, label: `${processNames[t]} leads`, value: `${r.id}:${t}` })) }]),
    ],
  };
}

const eventWords: Record<string, string> = {
  notified: 'Notified',
  acknowledged: 'Acknowledged',
  'national-notified': 'National notification recorded',
  'chronology-sent': 'Chronology confirmed sent',
  'meeting-set': 'Rapid review meeting set',
  recommended: 'Recommendation recorded',
  decided: 'Decision recorded',
  'lead-chosen': 'Lead process chosen',
  'lead-agreed': 'Lead process agreed',
  reminder: 'Reminder sent',
  escalated: 'Escalated: a clock ran out',
  'ack-escalated': 'Not acknowledged in time: escalated',
  'milestone-done': 'Follow-through step done',
};

export function timelineItems(events: ReviewEventView[], zone: string): ListItem[] {
  return events.map((e) => ({ title: `${formatDayTime(e.at, zone)} · ${eventWords[e.kind] ?? e.kind}${e.actor ? ` by ${e.actor}` : ''}`, ...(e.detail ? { detail: e.detail } : {}) }));
}

export function reviewListCard(heading: string, reviews: ReviewView[], now: DateTime, calendar: WorkingCalendar, empty: string): Message {
  if (reviews.length === 0) return { title: heading, text: empty, sections: [{ kind: 'text', text: empty }] };
  const items: ListItem[] = reviews.map((r) => {
    const next = reviewClocks(r, calendar).find((c) => !c.done && c.dueOn);
    const left = next ? timeLeft(next.dueOn, false, now, calendar) : undefined;
    return {
      title: `#${r.number} case ${r.caseRef}`,
      detail: `${reviewTypeNames[r.type]} · ${r.status === 'open' ? (next ? `${next.label} by ${formatDay(next.dueOn!, calendar.zone)} (${left})` : 'open') : `decided: ${outcomeLabel(r.type, r.decision) ?? ''}`}`,
      status: r.status === 'open' ? (left?.endsWith('overdue') ? 'Overdue' : 'Open') : r.status === 'decided' ? 'Decided' : 'Closed',
      tone: r.status !== 'open' ? 'good' : left?.endsWith('overdue') ? 'attention' : 'accent',
    };
  });
  return { title: heading, text: `${reviews.length} review${reviews.length === 1 ? '' : 's'}.`, sections: [{ kind: 'list', items }, { kind: 'context', text: 'Type `review status <number>` for one review with its history.' }] };
}
