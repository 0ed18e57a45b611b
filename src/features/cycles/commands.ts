import type { DateTime } from 'luxon';
import { forbidden, invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { reply, type CommandRequest } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import type { FeatureCommand } from '../contract.js';
import type { Message } from '../../messaging/message.js';
import type { CycleDeps } from './context.js';
import { parseDay, formatDay } from './format.js';
import { cycleList, cycleStatus, cycleStatusCardById, myTasks } from './queries.js';
import { findCycleByNumber } from './repository.js';
import { canChangeCycle } from './policy.js';
import { changeCycle, moveStage, startCycle } from './service-cycle.js';
import { overdueStartWarning, startedText } from './start-preview.js';
import { isPlanWord, pausePlanCommand, rescheduleCommand, resumePlanCommand, scheduleMessage, skipCommand, unskipCommand } from './occurrence-commands.js';
import { dateExamples, moveUsage, startUsage } from './usage-examples.js';

export const cycleActions = { resume: 'cycle.resume', cancel: 'cycle.cancel' } as const;

const usage = usageCard('cycle', 'cycle start | status | list | schedule | move | skip | reschedule | pause | resume | cancel', [
  { title: 'cycle start <plan> "<title>" [start date] [lead]', detail: 'Start a cycle from a plan (admins)' },
  { title: 'cycle status [number]', detail: 'Every stage, owner, due date and state' },
  { title: 'cycle list', detail: 'All cycles' },
  { title: 'cycle move <number> <stage> <date>', detail: "Move a stage's due date (admins and the cycle's lead)" },
  { title: 'cycle pause | resume | cancel <number>', detail: "Stop or restart a cycle's reminders (admins and the cycle's lead)" },
  { title: 'cycle schedule [plan]', detail: 'The coming dates of recurring plans and when each cycle starts by itself' },
  { title: 'cycle skip | unskip <plan> <date>', detail: 'Skip one date of a recurring plan, or bring it back (admins)' },
  { title: 'cycle reschedule <plan> <date> <new date>', detail: 'Move one date of a recurring plan (admins)' },
  { title: 'cycle pause | resume <plan>', detail: 'Stop or restart a recurring plan (admins)' },
]);

function text(message: string): Message {
  return { text: message, sections: [{ kind: 'text', text: message }] };
}

async function cycleFrom(deps: CycleDeps, profile: MemberProfile, reference: string | undefined) {
  if (!reference) throw invalidInput('Say which cycle, e.g. `cycle pause 3`. Type `cycle list` to see the numbers.');
  const cycle = await findCycleByNumber(deps.db, profile.partnershipId, reference);
  if (!cycle) throw invalidInput(`There is no cycle ${reference}. Type \`cycle list\` to see them.`);
  return cycle;
}

async function cycleIdFrom(deps: CycleDeps, profile: MemberProfile, reference: string | undefined): Promise<string> {
  return (await cycleFrom(deps, profile, reference)).id;
}

/** A lead named as a member key, an email address, or a Slack mention (<@U123|name>). */
async function findLead(deps: CycleDeps, profile: MemberProfile, word: string): Promise<string> {
  const slackId = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(word)?.[1];
  const member = await deps.db.member.findFirst({
    where: { partnershipId: profile.partnershipId, active: true, OR: [{ key: word }, { email: { equals: word, mode: 'insensitive' } }, ...(slackId ? [{ slackUserId: slackId }] : [])] },
    select: { id: true },
  });
  if (!member) throw invalidInput(`I could not find "${word}" in the partnership. Name the lead by their member key or email.`);
  return member.id;
}

async function start(deps: CycleDeps, profile: MemberProfile, args: string[], zone: string) {
  const [planKey, title, third, fourth] = args;
  if (!planKey || !title) throw invalidInput(await startUsage(deps.db, profile.partnershipId, deps.clock.now().setZone(zone)));
  let startOn: string | undefined;
  let leadWord: string | undefined = fourth;
  if (third !== undefined) {
    startOn = parseDay(third, zone);
    if (!startOn) {
      if (fourth !== undefined) throw invalidInput(`"${third}" is not a date. Write dates as ${dateExamples(deps.clock.now().setZone(zone))}.`);
      leadWord = third;
    }
  }
  const leadMemberId = leadWord ? await findLead(deps, profile, leadWord) : undefined;
  const warning = await overdueStartWarning(deps, profile, { planKey, title, startOn, leadMemberId });
  if (warning) return warning;
  const { cycle, stages } = await startCycle(deps, profile, { planKey, title, startOn, leadMemberId });
  return text(await startedText(deps.db, cycle, stages, zone));
}

/** The `cycle` and `tasks` commands. */
export function cycleCommands(deps: CycleDeps): Record<string, FeatureCommand> {
  const cycle = async (request: CommandRequest) => {
    const profile = request.profile!;
    const [sub, ...args] = request.args;
    const zone = profile.timezone;
    const now: DateTime = request.now;
    switch ((sub ?? '').toLowerCase()) {
      case 'start':
        return reply(await start(deps, profile, args, zone));
      case 'status':
        return reply(await cycleStatus(deps.db, profile, args[0], now));
      case 'list':
        return reply(await cycleList(deps.db, profile));
      case 'schedule':
        return reply(await scheduleMessage(deps, profile, args[0], now));
      case 'skip':
        return reply(await skipCommand(deps, profile, args));
      case 'unskip':
        return reply(await unskipCommand(deps, profile, args));
      case 'reschedule':
        return reply(await rescheduleCommand(deps, profile, args));
      case 'move': {
        const [ref, stageKey, dateText] = args;
        const dueOn = dateText ? parseDay(dateText, zone) : undefined;
        if (!ref || !stageKey || !dueOn) throw invalidInput(await moveUsage(deps.db, profile.partnershipId, now.setZone(zone)));
        const { cycle, moved } = await moveStage(deps, profile, await cycleIdFrom(deps, profile, ref), stageKey, dueOn);
        return reply(text(`Moved in cycle #${cycle.number}: ${moved.map((s) => `${s.name} now due ${formatDay(s.dueOn, zone)}`).join('; ')}. Reminders now count down to the new date.`));
      }
      case 'pause': {
        if (isPlanWord(args[0])) return reply(await pausePlanCommand(deps, profile, args[0]));
        const cycle = await changeCycle(deps, profile, await cycleIdFrom(deps, profile, args[0]), 'pause');
        return reply({
          text: `Paused cycle #${cycle.number}. No reminders go out until it is resumed; due dates stay as they are.`,
          sections: [
            { kind: 'text', text: `Paused cycle #${cycle.number}. No reminders go out until it is resumed; due dates stay as they are.` },
            { kind: 'actions', actions: [{ id: cycleActions.resume, label: 'Undo: resume now', value: cycle.id }] },
          ],
        });
      }
      case 'resume': {
        if (isPlanWord(args[0])) return reply(await resumePlanCommand(deps, profile, args[0]));
        const cycle = await changeCycle(deps, profile, await cycleIdFrom(deps, profile, args[0]), 'resume');
        return reply(await cycleStatusCardById(deps.db, profile, cycle.id, now));
      }
      case 'cancel': {
        const found = await cycleFrom(deps, profile, args[0]);
        // Refused before the confirmation, so nobody is offered a button that would only refuse them.
        if (!canChangeCycle(profile, found)) throw forbidden(`Only an admin or the cycle's lead can cancel cycle #${found.number}.`, { type: 'cycle', id: found.id });
        const cycleId = found.id;
        return reply({
          text: `Cancel cycle ${args[0]}? Every reminder stops and this cannot be undone.`,
          sections: [
            { kind: 'text', text: `Cancel cycle ${args[0]}? Every reminder stops and this cannot be undone.` },
            { kind: 'actions', actions: [{ id: cycleActions.cancel, label: 'Yes, cancel the cycle', style: 'danger', value: cycleId }] },
          ],
        });
      }
      default:
        return reply(usage);
    }
  };
  return {
    cycle,
    tasks: async (request) => reply(await myTasks(deps.db, request.profile!, request.now)),
  };
}
