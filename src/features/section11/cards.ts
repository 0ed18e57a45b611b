import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay, formatDayTime } from '../../core/day-format.js';
import { privateToMembers } from '../../messaging/audience.js';
import type { ListItem, Message, MessageAction, MessageSection, StatusTone, TableRow } from '../../messaging/message.js';
import { fieldId, ratingLabel } from './answers.js';
import { s11Buttons, shownStatus, statusLabels, type RatingColour, type ReturnStatus, type ReturnView, type RoundView, type ScaleEntry } from './model.js';
import type { S11EventView } from './repository.js';

const SAFE_TEXT = 'A Section 11 audit update: open the bot to read it';

/** Ratings are for the agency, its signatories, the moderators and the business unit: every card goes privately to whom it is for. */
export const privateTo = (memberIds: readonly string[], message: Message): Message => privateToMembers(memberIds, SAFE_TEXT, message);

export const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

export const returnTitle = (round: Pick<RoundView, 'title'>, ret: Pick<ReturnView, 'agencyName'>) => `${round.title} · ${ret.agencyName}`;

const toneOfColour: Record<RatingColour, StatusTone> = { green: 'good', amber: 'warning', red: 'attention', grey: 'neutral' };
const toneOfStatus: Record<ReturnStatus, StatusTone> = { not_started: 'attention', draft: 'warning', submitted: 'accent', returned: 'warning', signed_off: 'good' };

/** "due Fri 30 Apr 2027 (12 working days left)", "was due … (3 working days overdue)". */
export function dueWords(dueOn: string, now: DateTime, calendar: WorkingCalendar): string {
  const day = formatDay(dueOn, calendar.zone);
  const today = now.setZone(calendar.zone).toISODate()!;
  const left = calendar.workingDaysUntil(dueOn, now);
  if (dueOn === today) return `due today, ${day}`;
  if (dueOn > today) return `due ${day} (${left} working day${left === 1 ? '' : 's'} left)`;
  const over = Math.max(1, -left);
  return `was due ${day} (${over} working day${over === 1 ? '' : 's'} overdue)`;
}

/** Each standard's rating in words with its letter: "3 Clear line of accountability: Partially met (P)". */
export function ratingItems(round: RoundView, answers: Record<string, string> | null, moderated?: Record<string, string>): ListItem[] {
  const scale = round.settings.scale;
  const entry = (key: string | undefined) => scale.find((s) => s.key === key);
  return round.settings.standards.map((s) => {
    const self = entry(answers?.[fieldId(s.key, 'rating')]);
    const mod = moderated ? entry(moderated[s.key]) : undefined;
    const detail = [moderated ? `Moderated: ${mod ? ratingLabel(mod) : 'not yet'}` : '', answers?.[fieldId(s.key, 'action')] ? `Action: ${answers[fieldId(s.key, 'action')]}` : ''].filter(Boolean).join(' · ');
    return {
      title: `${s.number}. ${s.name}`,
      status: self ? ratingLabel(self) : 'Not rated',
      tone: self ? toneOfColour[self.colour] : 'neutral',
      ...(detail ? { detail } : {}),
    };
  });
}

const button = (id: string, label: string, value: string, style?: MessageAction['style']): MessageAction => ({ id, label, value, ...(style ? { style } : {}) });

/** A lead's card for their agency's return: where it stands, and Open return / Ask for more time while it is theirs to do. */
export function leadCard(round: RoundView, ret: ReturnView, heading: string, now: DateTime, calendar: WorkingCalendar, history: S11EventView[] = []): Message {
  const status = shownStatus(ret);
  const facts = [
    { label: 'Status', value: statusLabels[status] },
    { label: 'Due', value: dueWords(ret.dueOn, now, calendar).replace(/^due /, '') },
    { label: 'Standards', value: `${round.settings.standards.length}, one page each; answers are saved as you go` },
  ];
  if (ret.carriedFromId && !ret.submittedAt) facts.push({ label: 'Carried forward', value: 'Last round\'s answers are filled in: confirm or update each standard' });
  const sections: MessageSection[] = [{ kind: 'text', text: heading }, { kind: 'facts', facts }];
  const sentBack = [...history].reverse().find((e) => e.kind === 'sent-back' || e.kind === 'more-evidence');
  if (status === 'returned' || (status === 'draft' && ret.status === 'returned')) {
    if (sentBack?.detail) sections.push({ kind: 'text', text: `*Returned by ${sentBack.actor ?? 'the partnership'}:* ${sentBack.detail}` });
  }
  const actions: MessageAction[] = [];
  if (round.status === 'open' && (ret.status === 'not_started' || ret.status === 'returned')) {
    actions.push(button(s11Buttons.open, status === 'not_started' ? 'Start return' : 'Open return', ret.id, 'primary'));
    actions.push(button(s11Buttons.extension, 'Ask for more time', ret.id));
  }
  if (ret.moderation && round.status === 'open') actions.push(button(s11Buttons.respond, ret.response ? 'Change response' : 'Respond to feedback', ret.id));
  if (actions.length > 0) sections.push({ kind: 'actions', actions });
  return { title: returnTitle(round, ret), text: heading, sections };
}

/** The signatory's card: the ratings, and Sign off / Send back while the return waits for them. */
export function signOffCard(round: RoundView, ret: ReturnView, heading: string, submittedBy: string | undefined, zone: string): Message {
  const sections: MessageSection[] = [
    { kind: 'text', text: heading },
    { kind: 'facts', facts: [{ label: 'Submitted', value: `${submittedBy ? `by ${submittedBy}` : ''}${ret.submittedAt ? ` ${formatDayTime(ret.submittedAt, zone)}` : ''}`.trim() || 'Yes' }, { label: 'Status', value: statusLabels[shownStatus(ret)] }] },
    { kind: 'list', title: 'Ratings', items: ratingItems(round, ret.answers) },
  ];
  if (ret.status === 'submitted' && round.status === 'open') {
    sections.push({ kind: 'actions', actions: [button(s11Buttons.signOff, 'Sign off', ret.id, 'primary'), button(s11Buttons.sendBack, 'Send back', ret.id)] });
  }
  return { title: returnTitle(round, ret), text: heading, sections };
}

/** The business unit's and moderators' card for a return that is in: ratings, and Return for more evidence / Moderate. */
export function reviewerCard(round: RoundView, ret: ReturnView, heading: string): Message {
  const sections: MessageSection[] = [
    { kind: 'text', text: heading },
    { kind: 'facts', facts: [{ label: 'Status', value: statusLabels[shownStatus(ret)] }] },
    { kind: 'list', title: 'Self-assessed ratings', items: ratingItems(round, ret.answers, ret.moderation?.ratings) },
  ];
  if (ret.moderation) sections.push({ kind: 'text', text: `*Feedback to the agency:* ${ret.moderation.feedback}` });
  if (ret.response) sections.push({ kind: 'text', text: `*The agency's response:* ${ret.response}` });
  if (round.status === 'open' && (ret.status === 'submitted' || ret.status === 'signed_off')) {
    sections.push({ kind: 'actions', actions: [button(s11Buttons.moderate, ret.moderation ? 'Change moderation' : 'Moderate', ret.id), button(s11Buttons.moreEvidence, 'Return for more evidence', ret.id)] });
  }
  return { title: returnTitle(round, ret), text: heading, sections };
}

/** The agency's view of its moderation: self and moderated ratings side by side, the feedback, and Respond. */
export function feedbackCard(round: RoundView, ret: ReturnView, heading: string): Message {
  const sections: MessageSection[] = [
    { kind: 'text', text: heading },
    { kind: 'list', title: 'Your ratings and the moderated ratings', items: ratingItems(round, ret.answers, ret.moderation?.ratings ?? {}) },
  ];
  if (ret.moderation) sections.push({ kind: 'text', text: `*Feedback:* ${ret.moderation.feedback}` });
  if (ret.response) sections.push({ kind: 'text', text: `*Your response:* ${ret.response}` });
  if (round.status === 'open') sections.push({ kind: 'actions', actions: [button(s11Buttons.respond, ret.response ? 'Change response' : 'Respond', ret.id)] });
  return { title: returnTitle(round, ret), text: heading, sections };
}

/** `s11 status`: each agency's state, with counts; `only` limits the lines to the viewer's own agencies (the counts stay whole). */
export function statusCard(round: RoundView, returns: ReturnView[], now: DateTime, calendar: WorkingCalendar, only?: readonly string[]): Message {
  const counts = new Map<ReturnStatus, number>();
  for (const r of returns) counts.set(shownStatus(r), (counts.get(shownStatus(r)) ?? 0) + 1);
  const totals = (['not_started', 'draft', 'submitted', 'returned', 'signed_off'] as const).map((s) => `${statusLabels[s]}: ${counts.get(s) ?? 0}`).join(' · ');
  const shown = only ? returns.filter((r) => only.includes(r.agencyKey)) : returns;
  const rows: TableRow[] = shown.map((r) => {
    const s = shownStatus(r);
    const late = r.dueOn < now.setZone(calendar.zone).toISODate()! && (s === 'not_started' || s === 'draft' || s === 'returned');
    // Not started is a worry only once it is late.
    const tone = s === 'not_started' && !late ? 'neutral' : toneOfStatus[s];
    return { cells: [{ text: r.agencyName }, { text: statusLabels[s], tone }, { text: late ? `${formatDay(r.dueOn, calendar.zone)} (overdue)` : formatDay(r.dueOn, calendar.zone), ...(late ? { tone: 'attention' as const } : {}) }] };
  });
  const heading = `${round.title}, round ${round.number}: ${returns.length} agencies, ${round.status === 'open' ? dueWords(round.dueOn, now, calendar) : 'closed'}.`;
  const sections: MessageSection[] = [{ kind: 'text', text: heading }, { kind: 'context', text: totals }];
  if (rows.length > 0) sections.push({ kind: 'table', title: only ? 'Your agency' : 'Agencies', columns: [{ label: 'Agency' }, { label: 'Status' }, { label: 'Due' }], rows });
  return { title: `${round.title}: where returns stand`, text: `${heading} ${totals}`, sections };
}

/** An agency's request for more time, to the business unit: Approve / Decline. */
export function extensionCard(round: RoundView, ret: ReturnView, ext: { id: string; untilOn: string; reason: string; status: string; by: string; decidedBy?: string }, zone: string): Message {
  const heading = ext.status === 'pending'
    ? `${ext.by} asks for more time for ${ret.agencyName}'s return: until ${formatDay(ext.untilOn, zone)} (due ${formatDay(ret.dueOn, zone)}).`
    : `${ext.by}'s request for more time (until ${formatDay(ext.untilOn, zone)}) was ${ext.status}${ext.decidedBy ? ` by ${ext.decidedBy}` : ''}.`;
  const sections: MessageSection[] = [{ kind: 'text', text: heading }, { kind: 'facts', facts: [{ label: 'Reason', value: ext.reason }] }];
  if (ext.status === 'pending') sections.push({ kind: 'actions', actions: [button(s11Buttons.approveExtension, 'Approve', ext.id, 'primary'), button(s11Buttons.declineExtension, 'Decline', ext.id)] });
  return { title: returnTitle(round, ret), text: heading, sections };
}

export const scaleLegend = (scale: readonly ScaleEntry[]) => scale.map((s) => `${s.letter} = ${s.label}`).join(', ');

/** An improvement action's reminder to its owner, with Done. */
export function actionReminderCard(title: string, text: string, actionId: string): Message {
  return { title, text, sections: [{ kind: 'text', text }, { kind: 'actions', actions: [button(s11Buttons.actionDone, 'Done', actionId, 'primary')] }] };
}
