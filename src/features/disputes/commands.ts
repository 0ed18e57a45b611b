import { invalidInput } from '../../core/errors.js';
import { rowNumber } from '../../core/row-number.js';
import { identifyingDetailsProblem } from '../../forms/identifying-details.js';
import { reply, type CommandHandler, type CommandRequest, type CommandResult } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Message } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { chairCard, disputeListCard, statusCard } from './cards.js';
import { challengeLog } from './challenge-log.js';
import { smallFormButtons } from './dispute-forms.js';
import { canChair, DISPUTE_LIMITS, disputeButtons, isFinalStage, seesAllDisputes } from './model.js';
import { raiseForm } from './raise-form.js';
import { disputeTimeline, listDisputes } from './repository.js';
import { inDisputeScope, visibleDispute } from './scope.js';
import { escalateEarly } from './service-resolve.js';

export { risksCommand } from './risk-commands.js';

const usage = usageCard('dispute', 'dispute raise | list | status | escalate | resolve | log', [
  { title: 'dispute raise', detail: 'A form: the other agency and person, what it is about, what has been tried, the outcome you seek, urgency' },
  { title: 'dispute list', detail: 'Your disputes (chairs and admins: every open one; `dispute list all` includes settled ones)' },
  { title: 'dispute status <number>', detail: 'Where one stands, with its whole timeline' },
  { title: 'dispute escalate <number> "<reason>"', detail: 'Take it to the next stage now (either party), with the reason' },
  { title: 'dispute resolve <number>', detail: 'Agree an outcome (the other party confirms it); at the last stage the chair records the decision' },
  { title: 'dispute log [year]', detail: 'The challenge log for a year as a spreadsheet (chairs and admins)' },
]);

const text = (line: string): Message => ({ text: line, sections: [{ kind: 'text', text: line }] });

/** A dispute's details are for the person who asked: typed in a shared channel or group chat, they go to their own chat. */
const privateTo = (profile: MemberProfile, message: Message): Message => ({
  ...message,
  audience: { kind: 'private', memberIds: [profile.memberId], safeText: 'Dispute details, for you only' },
});

function numberOf(word: string | undefined, example: string): number {
  const number = rowNumber(word);
  if (number === undefined) throw invalidInput(`Say which dispute, e.g. \`${example}\`. Type \`dispute list\` to see the numbers.`);
  return number;
}

async function list(deps: FeatureDeps, profile: MemberProfile, words: string[], request: CommandRequest): Promise<Message> {
  return inDisputeScope(deps, profile.partnershipId, async ({ tx, chairs, calendar }) => {
    const all = seesAllDisputes(profile, chairs) && words[0]?.toLowerCase() !== 'mine';
    const includeSettled = !all || words[0]?.toLowerCase() === 'all';
    const disputes = await listDisputes(tx, profile.partnershipId, { ...(all ? {} : { memberId: profile.memberId }), includeSettled });
    const heading = all ? (includeSettled ? 'Every dispute' : 'Open disputes') : 'Your disputes';
    return disputeListCard(heading, disputes, request.now, calendar, all ? 'There are no open disputes.' : 'You have no disputes. `dispute raise` starts one.');
  });
}

async function status(deps: FeatureDeps, profile: MemberProfile, words: string[], request: CommandRequest): Promise<Message> {
  const number = numberOf(words[0], 'dispute status 3');
  return inDisputeScope(deps, profile.partnershipId, async (scope) => {
    const d = await visibleDispute(scope, profile, { number });
    const events = await disputeTimeline(scope.tx, d.id);
    // Whoever can act as its chair gets the chair's card, with its buttons, once it has reached them.
    if (d.status === 'open' && isFinalStage(d) && canChair(profile, d, scope.chairs)) return chairCard(d, events, request.now, scope.calendar, `Dispute #${d.number} is with you as chair.`);
    return statusCard(d, events, request.now, scope.calendar);
  });
}

async function escalate(deps: FeatureDeps, profile: MemberProfile, words: string[]): Promise<Message> {
  const number = numberOf(words[0], 'dispute escalate 3 "the plan leaves the child at risk"');
  const reason = words.slice(1).join(' ').trim();
  if (!reason) throw invalidInput(`Give the reason, e.g. \`dispute escalate ${number} "the plan leaves the child at risk"\`: it is recorded and both parties see it.`);
  // Not said back: a reason is a sentence, and the Escalate now button's form keeps a longer one as it was typed.
  if (reason.length > DISPUTE_LIMITS.reason) throw invalidInput(`Keep the reason under ${DISPUTE_LIMITS.reason} characters (it has ${reason.length}). Nothing was escalated.`);
  const problem = identifyingDetailsProblem(reason);
  if (problem) throw invalidInput(`${problem} Nothing was escalated.`);
  return text((await escalateEarly(deps, profile, { number }, reason)).line);
}

/** `dispute resolve <n>`: the form a party or the chair would get from the card's button. */
async function resolve(deps: FeatureDeps, profile: MemberProfile, words: string[], request: CommandRequest): Promise<CommandResult> {
  const number = numberOf(words[0], 'dispute resolve 3');
  const d = await inDisputeScope(deps, profile.partnershipId, (scope) => visibleDispute(scope, profile, { number }));
  const button = isFinalStage(d) ? disputeButtons.decide : disputeButtons.propose;
  const opened = await smallFormButtons(deps)[button]!({ identity: request.identity, profile, actionId: button, value: d.id, now: request.now });
  return opened.kind === 'form' ? { kind: 'form', form: opened.form } : reply(opened.kind === 'notice' ? opened.message : opened.card);
}

/** The `dispute` command. */
export function disputeCommand(deps: FeatureDeps): CommandHandler {
  return async (request) => {
    const profile = request.profile!;
    const [sub, ...rest] = request.args;
    switch ((sub ?? '').toLowerCase()) {
      case 'raise':
        return { kind: 'form', form: await raiseForm(deps, profile.partnershipId, {}, profile.agency?.id) };
      case 'list':
        return reply(privateTo(profile, await list(deps, profile, rest, request)));
      case 'status':
        return reply(privateTo(profile, await status(deps, profile, rest, request)));
      case 'escalate':
        return reply(await escalate(deps, profile, rest));
      case 'resolve':
        return resolve(deps, profile, rest, request);
      case 'log': {
        const year = rest[0] ? Number(rest[0]) : request.now.setZone(profile.timezone).year;
        if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalidInput(`"${rest[0]}" is not a year. Try \`dispute log ${request.now.year}\`.`);
        return reply(privateTo(profile, await challengeLog(deps, profile, year)));
      }
      default:
        return reply(usage);
    }
  };
}
