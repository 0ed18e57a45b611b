import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { ActionHandler } from '../../interactions/types.js';
import type { Message } from '../../messaging/message.js';
import type { Db } from '../../store/db.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { CycleDeps } from './context.js';
import { dueWording, formatDay } from './format.js';
import { canStartCycle } from './policy.js';
import { plansOf } from './repository.js';
import { isOverdue, planStages } from './schedule.js';
import { startCycle, type StartCycleInput } from './service-cycle.js';
import type { PlannedStage } from './model.js';
import { stageTimerPrefix, type CycleRow, type StageRow } from './stage-row.js';

export const startActions = { confirm: 'cycle.start.confirm', cancel: 'cycle.start.cancel' } as const;

/** What a "Start anyway" button carries: the start as typed, and a token naming this one warning. */
interface PendingStart {
  token: string;
  planKey: string;
  title: string;
  startOn: string;
  leadMemberId?: string;
}

/**
 * A cycle whose first stage would already be overdue (a back-dated start) is not started at once: the admin sees what
 * that means (every stage that would be overdue, and any that would open at once) and chooses Start anyway or Cancel.
 * Nothing is created until then; the pressed warning then turns into what happened. Undefined: start as asked (and let
 * startCycle refuse what it refuses: not an admin, no such plan).
 */
export async function overdueStartWarning(deps: CycleDeps, profile: MemberProfile, input: StartCycleInput & { startOn?: string }): Promise<Message | undefined> {
  if (!canStartCycle(profile) || !input.startOn) return undefined;
  const plan = (await plansOf(deps.db, profile.partnershipId)).find((p) => p.key === input.planKey);
  if (!plan || plan.forEachGroup !== undefined) return undefined;
  const calendar = await partnershipCalendar(deps.db, profile.partnershipId);
  const now = deps.clock.now();
  const stages = planStages(plan, DateTime.fromISO(input.startOn, { zone: calendar.zone }), calendar);
  const first = stages[0];
  if (!first || !isOverdue(first, now, calendar)) return undefined;
  const today = now.setZone(calendar.zone).toISODate()!;
  const overdue = stages.filter((s) => isOverdue(s, now, calendar));
  const open = stages.filter((s) => !isOverdue(s, now, calendar) && s.opensOn <= today);
  const noon = (iso: string) => DateTime.fromISO(iso, { zone: calendar.zone }).set({ hour: 12 });
  const late = (s: PlannedStage) => dueWording(calendar.workingDaysBetween(now.setZone(calendar.zone).set({ hour: 12 }), noon(s.dueOn)), false);
  const dueLate = (s: PlannedStage) => `${s.name}, due ${formatDay(s.dueOn, calendar.zone)}: already ${late(s)}`;
  const pending: PendingStart = { token: randomUUID(), planKey: plan.key, title: input.title, startOn: input.startOn, ...(input.leadMemberId ? { leadMemberId: input.leadMemberId } : {}) };
  const what = overdue.length === 1
    ? `makes its first stage, ${dueLate(first)}. Its owners would be chased as overdue straight away.`
    : `makes ${overdue.length} stages overdue at once: ${inWords(overdue.map((s) => `${s.name} (due ${formatDay(s.dueOn, calendar.zone)}, already ${late(s)})`))}. Their owners would be chased as overdue straight away.`;
  const alsoOpen = open.length > 0 ? ` ${inWords(open.map((s) => s.name))} would open straight away too.` : '';
  const text = `Starting "${input.title}" from ${formatDay(input.startOn, calendar.zone)} ${what}${alsoOpen} Nothing has been created yet.`;
  return {
    title: `Start anyway? ${overdue.length > 2 ? `${first.name} and ${overdue.length - 1} more stages` : inWords(overdue.map((s) => s.name))} would already be overdue`,
    text,
    sections: [
      { kind: 'text', text },
      { kind: 'context', text: `To give ${overdue.length === 1 ? 'the stage its' : 'the stages their'} full time, start the cycle from a later date instead.` },
      {
        kind: 'actions',
        actions: [
          { id: startActions.confirm, label: 'Start anyway', style: 'primary', value: JSON.stringify(pending) },
          { id: startActions.cancel, label: 'Cancel', value: pending.token },
        ],
      },
    ],
  };
}

/** "A", "A and B", "A, B and C". */
function inWords(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The warning once answered: what happened, with nothing left to press. */
function outcomeCard(title: string, text: string): Message {
  return { title, text, sections: [{ kind: 'text', text }] };
}

function readPendingStart(value: string | undefined): PendingStart {
  const gone = () => invalidInput('That button no longer works. Type the `cycle start` command again.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    throw gone();
  }
  const p = parsed as Partial<PendingStart> | null;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!p || !text(p.token) || !text(p.planKey) || !text(p.title) || !text(p.startOn) || (p.leadMemberId !== undefined && !text(p.leadMemberId))) throw gone();
  return p as PendingStart;
}

/** Start anyway (once, however often it is pressed) and Cancel. */
export function startPreviewActions(deps: CycleDeps): Record<string, ActionHandler> {
  return {
    [startActions.confirm]: async (r) => {
      const profile = r.profile!;
      const pending = readPendingStart(r.value);
      const { planKey, title, startOn, leadMemberId } = pending;
      // The confirmation is recorded under a lock on its token, in a transaction held until the cycle exists: a second
      // press waits, then finds it and starts nothing. If starting fails, nothing is recorded and the button still works.
      const outcome = await deps.db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('cycles.start-confirm'), hashtext(${pending.token}))`;
          const earlier = await tx.auditEvent.findFirst({ where: { partnershipId: profile.partnershipId, action: 'cycle.start.confirmed', subjectType: 'cycle-start', subjectId: pending.token } });
          if (earlier) return { already: (earlier.data as { number?: number }).number };
          const started = await startCycle(deps, profile, { planKey, title, startOn, leadMemberId });
          await recordAudit(tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.start.confirmed', subjectType: 'cycle-start', subjectId: pending.token, data: { number: started.cycle.number } });
          return { started };
        },
        { timeout: 30_000 },
      );
      if (!outcome.started) {
        const already = `That cycle was already started${outcome.already ? ` as cycle #${outcome.already}` : ''}. Nothing new was created.`;
        return { kind: 'card', card: outcomeCard(outcome.already ? `Already started as cycle #${outcome.already}` : 'Already started', already) };
      }
      const { cycle, stages } = outcome.started;
      return { kind: 'card', card: outcomeCard(`Started cycle #${cycle.number}`, await startedText(deps.db, cycle, stages, profile.timezone)) };
    },
    [startActions.cancel]: async () => ({ kind: 'card', card: outcomeCard('Not started', 'Not started: nothing was created.') }),
  };
}

/** "Started cycle #3 …", with when the first stage's owners hear about it. */
export async function startedText(db: Db, cycle: CycleRow, stages: StageRow[], zone: string): Promise<string> {
  const first = stages[0];
  const started = `Started cycle #${cycle.number} "${cycle.title}" (${cycle.planName}) with ${stages.length} stage${stages.length === 1 ? '' : 's'}.${first ? ` First: ${first.name}, due ${formatDay(first.dueOn, zone)}.` : ''}`;
  const when = first ? await firstAnnouncement(db, first, zone) : '';
  return `${started}${when ? ` ${when}` : ''} Type \`cycle status ${cycle.number}\` to see them all.`;
}

/**
 * When the first stage's owners are told: now, or (a start at a weekend, in the evening, or from a later date) at
 * the time its announcement or opening timer is set for.
 */
async function firstAnnouncement(db: Db, first: StageRow, zone: string): Promise<string> {
  const prefix = stageTimerPrefix(first.id);
  const key = first.status === 'open' ? `${prefix}opened@${first.dueOn}` : `${prefix}open@${first.opensOn}`;
  const timer = await db.timer.findUnique({ where: { key }, select: { dueAt: true, status: true } });
  if (!timer || timer.status !== 'pending') return first.status === 'open' ? 'Its owners have been told now.' : '';
  const at = DateTime.fromJSDate(timer.dueAt).setZone(zone).setLocale('en-GB');
  return `The first announcement goes at ${at.toFormat('HH:mm')} on ${at.toFormat('cccc d LLL yyyy')}.`;
}
