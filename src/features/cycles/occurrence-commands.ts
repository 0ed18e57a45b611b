import type { DateTime } from 'luxon';
import { invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { ActionHandler } from '../../interactions/types.js';
import type { Message } from '../../messaging/message.js';
import type { CycleDeps } from './context.js';
import { parseDay } from './format.js';
import {
  noRecurringPlansMessage, occurrenceActions, planPausedMessage, planResumedMessage, rescheduledMessage, restoredMessage, scheduleListMessage, skippedMessage,
} from './occurrence-messages.js';
import { plansOf } from './repository.js';
import { pausePlan, rescheduleOccurrence, resumePlan, skipOccurrence, unskipOccurrence, type OccurrenceRef } from './occurrence-service.js';

/** `cycle schedule | skip | unskip | reschedule`, and `cycle pause | resume <plan>` for a recurring plan. */

const SHOWN = 12;

/** The coming dates of every recurring plan (or one), with when each cycle starts and what an admin changed. */
export async function scheduleMessage(deps: CycleDeps, profile: MemberProfile, planKey: string | undefined, now: DateTime): Promise<Message> {
  const zone = profile.timezone;
  const plans = await plansOf(deps.db, profile.partnershipId);
  const recurring = plans.filter((plan) => plan.recurs !== undefined);
  if (planKey !== undefined && !recurring.some((plan) => plan.key === planKey)) {
    const known = plans.some((plan) => plan.key === planKey);
    throw invalidInput(known
      ? `"${planKey}" does not recur: it starts only with \`cycle start\`. Recurring plans: ${recurring.map((p) => p.key).join(', ') || 'none'}.`
      : `There is no plan "${planKey}". Recurring plans: ${recurring.map((p) => p.key).join(', ') || 'none'}.`);
  }
  if (recurring.length === 0) return noRecurringPlansMessage();
  const today = now.setZone(zone).toISODate()!;
  const rows = await deps.db.planOccurrence.findMany({
    where: { partnershipId: profile.partnershipId, ...(planKey ? { planKey } : { planKey: { in: recurring.map((p) => p.key) } }), OR: [{ status: 'planned' }, { status: 'skipped', occursOn: { gte: today } }] },
    orderBy: [{ startsAt: 'asc' }],
    take: SHOWN,
  });
  const paused = new Set((await deps.db.planPause.findMany({ where: { partnershipId: profile.partnershipId }, select: { planKey: true } })).map((p) => p.planKey));
  const groups = new Map((await deps.db.group.findMany({ where: { partnershipId: profile.partnershipId }, select: { key: true, name: true } })).map((g) => [g.key, g.name]));
  const nameOf = new Map(plans.map((plan) => [plan.key, plan.name]));
  return scheduleListMessage({
    heading: planKey ? `Coming dates of ${nameOf.get(planKey)}` : 'Coming dates of recurring plans',
    dates: rows.sort((a, b) => (a.movedTo ?? a.occursOn).localeCompare(b.movedTo ?? b.occursOn) || a.groupKey.localeCompare(b.groupKey)).map((row) => ({
      planKey: row.planKey,
      planName: nameOf.get(row.planKey) ?? row.planKey,
      groupName: row.groupKey ? groups.get(row.groupKey) ?? row.groupKey : undefined,
      date: row.movedTo ?? row.occursOn,
      movedFrom: row.movedTo ? row.occursOn : undefined,
      state: row.status === 'skipped' ? { kind: 'skipped', why: row.note ?? 'by an admin' }
        : paused.has(row.planKey) ? { kind: 'paused' }
        : row.startsAt.getTime() <= now.toMillis() ? { kind: 'starting' }
        : { kind: 'starts', at: row.startsAt },
    })),
    paused: [...paused].filter((key) => !planKey || key === planKey),
  }, zone);
}

/** Reads `<plan> <date> [new date] [group <key>]`; a date may be one word (2027-03-11, 11/3/2027) or three (11 Mar 2027). */
function occurrenceArgs(args: string[], zone: string, usage: string, withNewDate: boolean): { ref: OccurrenceRef; newDate?: string } {
  const words = [...args];
  let groupKey: string | undefined;
  const groupAt = words.findIndex((word) => word.toLowerCase() === 'group');
  if (groupAt >= 0) {
    groupKey = words[groupAt + 1];
    words.splice(groupAt, 2);
  }
  const [planKey, ...rest] = words;
  const usageHint = `Usage: \`${usage}\`. Type \`cycle schedule\` to see the dates.`;
  if (!planKey || rest.length === 0) throw invalidInput(usageHint);
  const first = takeDay(rest, zone);
  if (!withNewDate) return { ref: { planKey, date: first, groupKey } };
  if (rest.length === 0) throw invalidInput(usageHint);
  return { ref: { planKey, date: first, groupKey }, newDate: takeDay(rest, zone) };
}

/** Takes a date off the front of `words` (three words first, as in "9 Feb 2027"), or explains. */
function takeDay(words: string[], zone: string): string {
  const three = words.length >= 3 ? parseDay(words.slice(0, 3).join(' '), zone) : undefined;
  if (three) {
    words.splice(0, 3);
    return three;
  }
  const one = parseDay(words[0]!, zone);
  if (!one) throw invalidInput(`"${words[0]}" is not a date. Write dates as 2027-03-11, 11/3/2027 or 11 Mar 2027.`);
  words.splice(0, 1);
  return one;
}

export async function skipCommand(deps: CycleDeps, profile: MemberProfile, args: string[]): Promise<Message> {
  const zone = profile.timezone;
  const { ref } = occurrenceArgs(args, zone, 'cycle skip <plan> <date> [group <key>]', false);
  return skippedMessage(await skipOccurrence(deps, profile, ref), zone);
}

export async function unskipCommand(deps: CycleDeps, profile: MemberProfile, args: string[]): Promise<Message> {
  const { ref } = occurrenceArgs(args, profile.timezone, 'cycle unskip <plan> <date> [group <key>]', false);
  return restoredMessage(await unskipOccurrence(deps, profile, ref), profile.timezone, deps.clock.now());
}

export async function rescheduleCommand(deps: CycleDeps, profile: MemberProfile, args: string[]): Promise<Message> {
  const zone = profile.timezone;
  const { ref, newDate } = occurrenceArgs(args, zone, 'cycle reschedule <plan> <date> <new date> [group <key>]', true);
  const row = await rescheduleOccurrence(deps, profile, ref, newDate!);
  return rescheduledMessage({ ...row, from: ref.date }, zone, deps.clock.now());
}

export async function pausePlanCommand(deps: CycleDeps, profile: MemberProfile, planKey: string): Promise<Message> {
  await pausePlan(deps, profile, planKey);
  return planPausedMessage(planKey);
}

export async function resumePlanCommand(deps: CycleDeps, profile: MemberProfile, planKey: string): Promise<Message> {
  const { missed } = await resumePlan(deps, profile, planKey);
  return planResumedMessage(planKey, missed, profile.timezone);
}

/** A word that names a plan rather than a cycle number. */
export function isPlanWord(word: string | undefined): word is string {
  return word !== undefined && !/^#?\d+$/.test(word);
}

/** The occurrence a button names, if it is one of the member's partnership's (the id comes from a card payload). */
async function ownOccurrence(deps: CycleDeps, profile: MemberProfile, id: string) {
  const found = looksLikeId(id) ? await deps.db.planOccurrence.findUnique({ where: { id } }) : null;
  if (!found || found.partnershipId !== profile.partnershipId) throw unknownSubject('That date is no longer in the schedule.', 'plan_occurrence', id, Boolean(found));
  return found;
}

export function occurrenceActionHandlers(deps: CycleDeps): Record<string, ActionHandler> {
  return {
    [occurrenceActions.moveBack]: async (request) => {
      const profile = request.profile!;
      const [id = '', back = ''] = (request.value ?? '').split('|');
      const found = await ownOccurrence(deps, profile, id);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(back)) throw invalidInput('That date is no longer in the schedule.');
      const current = found.movedTo ?? found.occursOn;
      const row = await rescheduleOccurrence(deps, profile, { planKey: found.planKey, date: current, groupKey: found.groupKey || undefined }, back);
      return { kind: 'card', card: rescheduledMessage({ ...row, from: current }, profile.timezone, request.now) };
    },
    [occurrenceActions.unskip]: async (request) => {
      const { id } = await ownOccurrence(deps, request.profile!, request.value ?? '');
      const row = await unskipOccurrence(deps, request.profile!, { id });
      return { kind: 'card', card: restoredMessage(row, request.profile!.timezone, request.now) };
    },
  };
}
