// `demo as <role>` and `demo advance <N> working days`: registered only by the demo, so outside demo mode the
// command does not exist and the clock cannot move.
import type { DateTime } from 'luxon';
import type { Services } from '../app/services.js';
import { reply, type CommandHandler } from '../commands/types.js';
import { WorkingCalendar } from '../core/calendar.js';
import { isPartnershipAdmin } from '../directory/identity.js';
import type { Message } from '../messaging/message.js';
import { reconcile } from '../scheduler/reconcile.js';
import { demoRoleNames, demoRoles, findMemberForRole, saveActingAs } from './acting-as.js';
import type { DemoClock } from './demo-clock.js';

export interface DemoCommandDeps {
  services: Services;
  clock: DemoClock;
  homeMemberId: () => string | undefined;
}

const usage = 'Try `demo as agency-lead` (or ' + demoRoleNames.join(', ') + ') or `demo advance 5 working days`.';

export function demoCommand(deps: DemoCommandDeps): CommandHandler {
  return async ({ args, profile, now }) => {
    const [verb, ...rest] = args.map((a) => a.toLowerCase());
    if (!profile) return reply(note('Demo', 'The demo user is not in this partnership.'));
    if (verb === 'as') return reply(await actAs(deps, profile.partnershipId, rest[0]));
    if (verb === 'advance') {
      if (!isPartnershipAdmin(profile)) {
        return reply(note('Only admins can move the demo clock', `You are acting as ${profile.displayName}. Type \`demo as business-manager\` first.`));
      }
      return reply(await advance(deps, profile.partnershipId, rest, now));
    }
    return reply(note('Demo mode', `The demo clock reads ${formatTime(now, profile.timezone)}. You are acting as ${profile.displayName}. ${usage}`));
  };
}

async function actAs(deps: DemoCommandDeps, partnershipId: string, role: string | undefined): Promise<Message> {
  const home = deps.homeMemberId();
  if (!role || !demoRoles[role] || !home) return note('Which role?', `Say one of: ${demoRoleNames.join(', ')}. For example \`demo as agency-lead\`.`);
  const db = deps.services.db;
  const memberId = await findMemberForRole(db, partnershipId, role, home);
  if (!memberId) return note('Nobody has that role here', `No member of this partnership is a ${demoRoles[role].label}. Try another: ${demoRoleNames.join(', ')}.`);
  await saveActingAs(db, memberId === home ? undefined : { memberId, role });
  const member = await db.member.findUniqueOrThrow({ where: { id: memberId }, select: { displayName: true } });
  return note(`You are now ${member.displayName}`, `Acting as ${member.displayName}, ${demoRoles[role].label}. Type \`whoami\` to see what they see, or \`demo as business-manager\` to be yourself again.`);
}

/** Parses `<N> working days` (or `<N> days` for calendar days) and moves the clock; due timers then fire. */
async function advance(deps: DemoCommandDeps, partnershipId: string, words: string[], now: DateTime): Promise<Message> {
  const count = Number(words[0]);
  const unit = words.slice(1).join(' ') || 'working days';
  const working = /^working days?$/.test(unit);
  if (!Number.isInteger(count) || count < 1 || count > 60 || !(working || /^days?$/.test(unit))) {
    return note('How far?', 'Say a whole number of days from 1 to 60, e.g. `demo advance 5 working days` or `demo advance 2 days`.');
  }
  const { db, queues, timerJobs, deliveryJobs, logger } = deps.services;
  const partnership = await db.partnership.findUniqueOrThrow({ where: { id: partnershipId } });
  const calendar = new WorkingCalendar({ zone: partnership.timezone, extraNonWorkingDays: partnership.extraNonWorkingDays });
  const target = working ? calendar.addWorkingDays(now, count) : now.plus({ days: count });
  await deps.clock.advanceTo(target);
  // Counted before the reconcile: it makes them fire at once, and a fast worker would leave nothing to count.
  const due = await db.timer.count({ where: { status: 'pending', dueAt: { lte: deps.clock.now().toJSDate() } } });
  await reconcile({ db, queues, timerJobs, deliveryJobs, logger });
  // A maintenance run once those reminders have gone, so the daily report of members the bot could not reach (and
  // why: in the demo they are simulated) comes now rather than at the next five-minute run.
  await queues.maintenance.add('after-demo-advance', {}, { delay: 10_000, removeOnComplete: true, removeOnFail: 100 }).catch(() => undefined);
  const dueText = due === 0 ? 'No reminders were waiting for this moment.' : `${due} reminder${due === 1 ? ' is' : 's are'} now due and being sent.`;
  return note(`The demo clock now reads ${formatTime(deps.clock.now(), partnership.timezone)}`, `Moved ${count} ${working ? 'working ' : ''}day${count === 1 ? '' : 's'} ahead. ${dueText}`);
}

function formatTime(at: DateTime, zone: string): string {
  return at.setZone(zone).toFormat('ccc d LLL yyyy, HH:mm');
}

function note(title: string, text: string): Message {
  return { title, text, sections: [{ kind: 'text', text }, { kind: 'context', text: 'Demo mode: this command does not exist on a real deployment.' }] };
}
