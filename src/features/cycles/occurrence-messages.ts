import { DateTime } from 'luxon';
import type { Message } from '../../messaging/message.js';
import { formatDay, formatDayTime } from './format.js';

/** What `cycle schedule`, `skip`, `unskip`, `reschedule` and plan pause/resume answer. */

export const occurrenceActions = { unskip: 'cycle.occurrence.unskip', moveBack: 'cycle.occurrence.move-back' } as const;

const say = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

export interface ScheduledDate {
  planKey: string;
  planName: string;
  groupName?: string | undefined;
  date: string;
  movedFrom?: string | undefined;
  state: { kind: 'starts'; at: Date } | { kind: 'starting' } | { kind: 'paused' } | { kind: 'skipped'; why: string };
}

export interface ScheduleView {
  heading: string;
  dates: ScheduledDate[];
  paused: string[];
}

export function scheduleListMessage(view: ScheduleView, zone: string): Message {
  const items = view.dates.map((d) => {
    const state = d.state.kind === 'skipped' ? `skipped ${d.state.why}`
      : d.state.kind === 'paused' ? 'paused: will not start until the plan is resumed'
      : d.state.kind === 'starting' ? 'starting now'
      : `cycle starts ${DateTime.fromJSDate(d.state.at).setZone(zone).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')}`;
    const moved = d.movedFrom ? `, moved from ${formatDay(d.movedFrom, zone)}` : '';
    return { title: `${formatDay(d.date, zone)} · ${d.planName}${d.groupName ? ` (${d.groupName})` : ''}`, detail: `${state}${moved} · \`${d.planKey}\`` };
  });
  const text = items.length === 0 ? `${view.heading}: none in the next year.` : `${view.heading} (next ${items.length}).`;
  return {
    text,
    sections: [
      { kind: 'text', text },
      ...(items.length > 0 ? [{ kind: 'list' as const, items }] : []),
      ...(view.paused.length > 0 ? [{ kind: 'text' as const, text: `Paused: ${view.paused.join(', ')}. Type \`cycle resume <plan>\` to restart.` }] : []),
      { kind: 'context', text: 'Admins: `cycle skip <plan> <date>`, `cycle reschedule <plan> <date> <new date>`, `cycle pause <plan>`.' },
    ],
  };
}

export function noRecurringPlansMessage(): Message {
  return say('No plan recurs yet, so nothing starts by itself. Give a plan `recurs:` in the partnership file (e.g. `recurs: { every: { months: 3 }, from: 2027-01-14 }`) and restart the bot.');
}

interface OccurrenceFacts {
  id: string;
  planKey: string;
  groupKey: string;
  occursOn: string;
  movedTo: string | null;
  startsAt: Date;
}

export function skippedMessage(row: OccurrenceFacts, zone: string): Message {
  const text = `Skipped ${formatDay(row.movedTo ?? row.occursOn, zone)} of \`${row.planKey}\`${row.groupKey ? ` for ${row.groupKey}` : ''}: its cycle will not start.`;
  return { text, sections: [{ kind: 'text', text }, { kind: 'actions', actions: [{ id: occurrenceActions.unskip, label: 'Undo: bring it back', value: row.id }] }] };
}

const startsWording = (startsAt: Date, zone: string, now: DateTime) =>
  (startsAt.getTime() <= now.toMillis() ? 'its cycle starts now' : `its cycle starts ${formatDayTime(startsAt, zone)}`);

export function restoredMessage(row: OccurrenceFacts, zone: string, now: DateTime): Message {
  return say(`Brought back ${formatDay(row.movedTo ?? row.occursOn, zone)} of \`${row.planKey}\`: ${startsWording(row.startsAt, zone, now)}.`);
}

export function rescheduledMessage(row: OccurrenceFacts & { from: string }, zone: string, now: DateTime): Message {
  const starts = row.startsAt.getTime() <= now.toMillis() ? 'Its cycle starts now (its lead time has already begun).' : `Its cycle starts ${formatDayTime(row.startsAt, zone)}.`;
  const text = `Moved \`${row.planKey}\` from ${formatDay(row.from, zone)} to ${formatDay(row.movedTo ?? row.occursOn, zone)}. ${starts}`;
  return { text, sections: [{ kind: 'text', text }, { kind: 'actions', actions: [{ id: occurrenceActions.moveBack, label: 'Undo: move it back', value: `${row.id}|${row.from}` }] }] };
}

export function planPausedMessage(planKey: string): Message {
  return say(`Paused \`${planKey}\`: none of its dates start until you type \`cycle resume ${planKey}\`. Cycles already running carry on.`);
}

export function planResumedMessage(planKey: string, missed: string[], zone: string): Message {
  const skipped = missed.length > 0 ? ` Skipped while paused: ${missed.map((d) => formatDay(d, zone)).join(', ')}.` : '';
  return say(`Resumed \`${planKey}\`.${skipped} Type \`cycle schedule ${planKey}\` to see its next dates.`);
}
