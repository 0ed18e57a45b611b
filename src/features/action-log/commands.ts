import type { DateTime } from 'luxon';
import { forbidden, invalidInput, type BotError } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { closestMatch } from '../../directory/schema-primitives.js';
import { reply, type CommandHandler, type CommandRequest } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import type { Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { formatDay, parseDay } from '../../core/day-format.js';
import { rowNumber } from '../../core/row-number.js';
import { actionListCard } from './action-cards.js';
import { actionButtons, canAddTo, MAX_ACTION_TITLE } from './model.js';
import { openActions } from './repository.js';
import { addAction, dueDateProblem, markActionDone } from './service-actions.js';

const ADD_USAGE = 'actions add <group> "<what>" <owner> <due date>';

const usage = usageCard('actions', 'actions | actions <group> | actions add | actions done', [
  { title: 'actions', detail: 'Your open actions, soonest due first' },
  { title: 'actions <group>', detail: "A group's open action log, with owners and due dates" },
  { title: ADD_USAGE, detail: "Add to a group's log (its chair, the business manager or an admin); the owner is told and reminded" },
  { title: 'actions done <number>', detail: 'Mark an action done (its owner, the group\'s chair or an admin)' },
]);

const text = (message: string): Message => ({ text: message, sections: [{ kind: 'text', text: message }] });

async function findGroup(deps: FeatureDeps, profile: MemberProfile, word: string, refuse: (why: string) => BotError = invalidInput) {
  const groups = await deps.db.group.findMany({ where: { partnershipId: profile.partnershipId, active: true }, select: { id: true, key: true, name: true }, orderBy: { key: 'asc' } });
  const group = groups.find((g) => g.key.toLowerCase() === word.toLowerCase());
  if (group) return group;
  const suggestion = closestMatch(word, groups.map((g) => g.key));
  throw refuse(`There is no group "${word}".${suggestion ? ` Did you mean ${suggestion}?` : ''} Groups: ${groups.map((g) => g.key).join(', ')}.`);
}

/** An owner named by member key, email address, or a Slack mention (<@U123|name>). */
async function findOwner(deps: FeatureDeps, profile: MemberProfile, word: string, refuse: (why: string) => BotError) {
  const slackId = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(word)?.[1];
  const member = await deps.db.member.findFirst({
    where: { partnershipId: profile.partnershipId, active: true, OR: [{ key: word.replace(/^@/, '') }, { email: { equals: word, mode: 'insensitive' } }, ...(slackId ? [{ slackUserId: slackId }] : [])] },
    select: { id: true, displayName: true },
  });
  if (!member) throw refuse(`I could not find "${word}" in the partnership. Name the owner by their member key (e.g. helen-ashby), email or @mention.`);
  return member;
}

async function add(deps: FeatureDeps, profile: MemberProfile, args: string[], now: DateTime): Promise<Message> {
  const [groupWord, what, ownerWord, ...dateWords] = args;
  const typed = `actions add ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`;
  // Slack does not keep a slash command that failed: say it back, so nothing typed is lost.
  const refuse = (why: string) => invalidInput(`${why} Nothing was added. You typed: \`${typed}\``);
  if (!groupWord || !what || !ownerWord || dateWords.length === 0) {
    throw invalidInput(`Usage: \`${ADD_USAGE}\`, e.g. \`actions add performance-quality-assurance "Re-audit strategy discussions" helen-ashby 2027-03-05\`.${args.length > 0 ? ` You typed: \`${typed}\`` : ''}`);
  }
  const group = await findGroup(deps, profile, groupWord, refuse);
  if (!canAddTo(profile, group.key)) throw forbidden(`Only the chair of ${group.name}, the business manager or an admin can add to its action log. Nothing was added.`);
  const title = what.trim();
  if (title.length > MAX_ACTION_TITLE) throw refuse(`Keep the action under ${MAX_ACTION_TITLE} characters (it has ${title.length}); put the detail in the group's minutes.`);
  const calendar = await partnershipCalendar(deps.db, profile.partnershipId);
  const dueOn = parseDay(dateWords.join(' '), calendar.zone);
  if (!dueOn) throw refuse(`"${dateWords.join(' ')}" is not a date. Write dates as 2027-03-05 or 5/3/2027.`);
  const problem = dueDateProblem(dueOn, calendar, now);
  if (problem) throw refuse(problem);
  const owner = await findOwner(deps, profile, ownerWord, refuse);
  const action = await addAction(deps, profile, { groupId: group.id, groupKey: group.key, title, ownerId: owner.id, dueOn });
  const told = owner.id === profile.memberId ? '' : ` ${owner.displayName} has been told and will be reminded.`;
  return text(`Added action #${action.number} to the ${group.name} log: "${action.title}", owner ${owner.displayName}, due ${formatDay(dueOn, calendar.zone)}.${told}`);
}

async function done(deps: FeatureDeps, profile: MemberProfile, args: string[]): Promise<Message> {
  const number = rowNumber(args[0]);
  if (number === undefined) throw invalidInput('Say which action, e.g. `actions done 3`. Type `actions` to see the numbers.');
  const { action, changed } = await markActionDone(deps, profile, { number });
  const line = changed ? `Done: action #${action.number} "${action.title}". Its reminders have stopped.` : `Action #${action.number} was already marked done.`;
  return {
    text: line,
    sections: [{ kind: 'text', text: line }, ...(changed ? [{ kind: 'actions' as const, actions: [{ id: actionButtons.undo, label: 'Undo', value: action.id }] }] : [])],
  };
}

async function list(deps: FeatureDeps, profile: MemberProfile, groupWord: string | undefined, now: DateTime): Promise<Message> {
  const calendar = await partnershipCalendar(deps.db, profile.partnershipId);
  if (!groupWord) {
    const mine = await openActions(deps.db, profile.partnershipId, { ownerId: profile.memberId });
    return actionListCard('Your actions', 'You have no open actions.', mine, now, calendar, 'group', 'Type `actions done <number>` when one is done, or `actions <group>` for a group\'s log.');
  }
  const group = await findGroup(deps, profile, groupWord);
  const open = await openActions(deps.db, profile.partnershipId, { groupId: group.id });
  return actionListCard(`${group.name}: action log`, `${group.name} has no open actions.`, open, now, calendar, 'owner', 'Type `actions done <number>` when one is done.');
}

/** The `actions` command: a group's action log, or your own actions; add and done. */
export function actionsCommand(deps: FeatureDeps): CommandHandler {
  return async (request: CommandRequest) => {
    const profile = request.profile!;
    const [sub, ...rest] = request.args;
    switch ((sub ?? '').toLowerCase()) {
      case 'add':
        return reply(await add(deps, profile, rest, request.now));
      case 'done':
        return reply(await done(deps, profile, rest));
      case 'help':
        return reply(usage);
      default:
        return reply(await list(deps, profile, sub, request.now));
    }
  };
}
