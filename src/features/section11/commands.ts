import { formatDay, parseDay } from '../../core/day-format.js';
import { BotError, invalidInput } from '../../core/errors.js';
import { rowNumber } from '../../core/row-number.js';
import { reply, type CommandHandler, type CommandRequest, type CommandResult } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { PagedForm } from '../../forms/paged-form.js';
import type { Message } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { leadCard, note, privateTo, statusCard } from './cards.js';
import { S11_VARIANTS, isIn, type RoundView, type S11Variant } from './model.js';
import { moderatingGroup, ownAgencyKeys, seesAllReturns } from './people.js';
import { actionItems, roundActions, roundReport } from './report.js';
import { currentRound, findRoundByNumber, listRounds, returnHistory, roundReturns } from './repository.js';
import { openReturn } from './return-form.js';
import { inS11Scope, todayIn, type S11Scope } from './scope.js';
import { closeRound } from './service-close.js';
import { launchRound } from './service-round.js';

const usage = usageCard('s11', 's11 launch | open | status | report | actions | rounds | close', [
  { title: 's11 launch "<title>" due <YYYY-MM-DD> [agencies a,b] [variant care-act|s175]', detail: 'Business unit: start a round, one return per agency (default: every agency, the Section 11 standards)' },
  { title: 's11 open [round]', detail: "Safeguarding leads: fill in your agency's return, page by page; it saves as you go" },
  { title: 's11 status [round]', detail: 'Where every return stands (leads and signatories see their own agency and the totals)' },
  { title: 's11 report [round]', detail: 'Business unit and PQA: the ratings as a CSV, a heat map, and the improvement actions' },
  { title: 's11 actions', detail: 'Improvement actions past their target date' },
  { title: 's11 rounds', detail: 'Every round, newest first' },
  { title: 's11 close <round>', detail: 'Business unit: close a round; its chasers stop' },
]);

const ACTIONS_LISTED = 40;
const mine = (profile: MemberProfile, message: Message) => privateTo([profile.memberId], message);
const notice = (profile: MemberProfile, text: string) => reply(mine(profile, note(text)));

async function roundFrom(scope: S11Scope, profile: MemberProfile, word: string | undefined): Promise<RoundView> {
  if (word !== undefined) {
    const number = rowNumber(word);
    if (number === undefined) throw invalidInput(`Say which round by its number, e.g. \`s11 status 2\`. \`s11 rounds\` lists them.`);
    const round = await findRoundByNumber(scope.tx, profile.partnershipId, number);
    if (!round) throw invalidInput(`There is no round ${number}. \`s11 rounds\` lists them.`);
    return round;
  }
  const round = await currentRound(scope.tx, profile.partnershipId);
  if (!round) throw invalidInput(isPartnershipAdmin(profile) ? 'There is no Section 11 round yet. Start one with `s11 launch "Section 11 audit 2027" due 2027-04-30`.' : 'There is no Section 11 round yet: the business unit starts one.');
  return round;
}

const notForYou = (what: string) => new BotError('forbidden', `s11 ${what} by someone not allowed`, `Section 11 ratings are for each agency's leads and signatories, the PQA group and the business unit: ${what} is not open to you.`, { reason: 'not-permitted' });

/** `s11 launch "<title>" due <day> [agencies a,b] [variant v]`. */
function parseLaunch(words: string[], zone: string): { title: string; dueOn: string; agencies?: string[]; variant: S11Variant } {
  const example = 'e.g. `s11 launch "Section 11 audit 2027" due 2027-04-30`';
  const [title, ...rest] = words;
  if (!title || title.toLowerCase() === 'due') throw invalidInput(`Give the round a title in quotes and a due date, ${example}.`);
  let dueOn: string | undefined;
  let agencies: string[] | undefined;
  let variant: S11Variant = 's11';
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i]!.toLowerCase();
    const value = rest[i + 1];
    if (value === undefined) throw invalidInput(`\`${rest[i]}\` needs a value after it, ${example}.`);
    if (key === 'due') {
      dueOn = parseDay(value, zone);
      if (!dueOn) throw invalidInput(`"${value.slice(0, 30)}" is not a date: write it as YYYY-MM-DD, ${example}.`);
    } else if (key === 'agencies') {
      agencies = value.split(',').map((a) => a.trim()).filter(Boolean);
    } else if (key === 'variant') {
      if (!(S11_VARIANTS as readonly string[]).includes(value)) throw invalidInput(`The variant is one of ${S11_VARIANTS.join(', ')} (default s11).`);
      variant = value as S11Variant;
    } else {
      throw invalidInput(`I don't know \`${rest[i]!.slice(0, 20)}\` here: after the title come \`due <date>\`, \`agencies <key,key>\` and \`variant care-act|s175\`.`);
    }
  }
  if (!dueOn) throw invalidInput(`Give a due date, ${example}.`);
  return { title: title.slice(0, 80), dueOn, variant, ...(agencies ? { agencies } : {}) };
}

async function launch(deps: FeatureDeps, profile: MemberProfile, words: string[]): Promise<CommandResult> {
  if (!isPartnershipAdmin(profile)) throw new BotError('forbidden', 's11 launch by a non-admin', 'Only the business unit can launch a Section 11 round.', { reason: 'not-permitted' });
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const request = parseLaunch(words, scope.calendar.zone);
    const { round, agencies, withoutLeads } = await launchRound(scope, profile.partnershipId, { ...request, launchedById: profile.memberId });
    const lines = [
      `Launched round ${round.number}, ${round.title}: ${agencies} agencies asked, due ${formatDay(round.dueOn, scope.calendar.zone)}.`,
      'Their leads have a card to start; they are reminded 10, 5 and 1 working days before, on the day, and chased after it.',
      ...(withoutLeads.length > 0 ? [`No lead to ask at: ${withoutLeads.join('; ')}.`] : []),
      `\`s11 status ${round.number}\` shows where they stand.`,
    ];
    return notice(profile, lines.join(' '));
  });
}

async function open(deps: FeatureDeps, form: PagedForm, profile: MemberProfile, words: string[], request: CommandRequest): Promise<CommandResult> {
  const found = await inS11Scope(deps, profile.partnershipId, async (scope) => {
    const round = await roundFrom(scope, profile, words[0]);
    const keys = profile.roles.filter((r) => r.role === 'agency_lead').map((r) => r.scopeKey.replace(/^agency:/, ''));
    const returns = (await roundReturns(scope.tx, round.id)).filter((r) => keys.includes(r.agencyKey));
    return { round, ret: returns[0], history: returns[0] ? await returnHistory(scope.tx, returns[0].id) : [], calendar: scope.calendar, now: scope.now };
  });
  if (!found.ret) return notice(profile, `You are not a safeguarding lead for an agency in ${found.round.title}, so there is no return for you to fill in. \`s11 status\` shows where returns stand.`);
  if (isIn(found.ret)) return reply(mine(profile, leadCard(found.round, found.ret, `${found.ret.agencyName}'s return is in.`, found.now, found.calendar, found.history)));
  return { kind: 'form', form: await openReturn(form, { profile, now: request.now }, found.ret.id) };
}

async function status(deps: FeatureDeps, profile: MemberProfile, words: string[]): Promise<CommandResult> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const round = await roundFrom(scope, profile, words[0]);
    const moderatedBy = (await moderatingGroup(scope.tx, profile.partnershipId, round.settings.moderatedBy))?.key;
    const own = ownAgencyKeys(profile);
    if (!seesAllReturns(profile, moderatedBy) && own.length === 0) throw notForYou('the status of returns');
    const returns = await roundReturns(scope.tx, round.id);
    return reply(mine(profile, statusCard(round, returns, scope.now, scope.calendar, seesAllReturns(profile, moderatedBy) ? undefined : own)));
  });
}

async function report(deps: FeatureDeps, profile: MemberProfile, words: string[]): Promise<CommandResult> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const round = await roundFrom(scope, profile, words[0]);
    const moderatedBy = (await moderatingGroup(scope.tx, profile.partnershipId, round.settings.moderatedBy))?.key;
    if (!seesAllReturns(profile, moderatedBy)) throw notForYou('the report');
    return reply(mine(profile, await roundReport(scope.tx, round, todayIn(scope), scope.calendar.zone)));
  });
}

/** Overdue improvement actions: every one for the business unit and the moderators, else those of the member's agencies or owned by them. */
async function actions(deps: FeatureDeps, profile: MemberProfile): Promise<CommandResult> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const today = todayIn(scope);
    const own = ownAgencyKeys(profile);
    const items = [];
    for (const round of await listRounds(scope.tx, profile.partnershipId)) {
      const moderatedBy = (await moderatingGroup(scope.tx, profile.partnershipId, round.settings.moderatedBy))?.key;
      const all = seesAllReturns(profile, moderatedBy);
      const returns = await roundReturns(scope.tx, round.id);
      const overdue = (await roundActions(scope.tx, returns, round)).filter((a) => !a.doneOn && a.targetOn < today);
      const visible = overdue.filter((a) => all || a.ownerId === profile.memberId || own.includes(a.agencyKey));
      items.push(...actionItems(visible, today, scope.calendar.zone).map((i) => ({ ...i, title: `${round.title}: ${i.title}` })));
    }
    if (items.length === 0) return notice(profile, 'No improvement actions you follow are past their target date.');
    const text = `${items.length} improvement action${items.length === 1 ? ' is' : 's are'} past the target date.`;
    return reply(mine(profile, { title: 'Overdue improvement actions', text, sections: [{ kind: 'text', text }, { kind: 'list', items: items.slice(0, ACTIONS_LISTED) }, ...(items.length > ACTIONS_LISTED ? [{ kind: 'context' as const, text: `${items.length - ACTIONS_LISTED} more: \`s11 report\` has them all in its CSV.` }] : [])] }));
  });
}

async function rounds(deps: FeatureDeps, profile: MemberProfile): Promise<CommandResult> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const all = await listRounds(scope.tx, profile.partnershipId);
    if (all.length === 0) return notice(profile, 'There is no Section 11 round yet.');
    const items = all.map((r) => ({ title: `Round ${r.number}: ${r.title}`, detail: `Launched ${formatDay(r.launchedOn, scope.calendar.zone)} · due ${formatDay(r.dueOn, scope.calendar.zone)}`, status: r.status === 'open' ? 'Open' : 'Closed', tone: r.status === 'open' ? ('accent' as const) : ('neutral' as const) }));
    return reply(mine(profile, { title: 'Section 11 rounds', text: `${all.length} round${all.length === 1 ? '' : 's'}.`, sections: [{ kind: 'list', items }] }));
  });
}

export function s11Command(deps: FeatureDeps, form: PagedForm): CommandHandler {
  return async (request) => {
    const profile = request.profile!;
    const [sub, ...rest] = request.args;
    switch ((sub ?? '').toLowerCase()) {
      case 'launch':
        return launch(deps, profile, rest);
      case 'open':
        return open(deps, form, profile, rest, request);
      case 'status':
        return status(deps, profile, rest);
      case 'report':
        return report(deps, profile, rest);
      case 'actions':
        return actions(deps, profile);
      case 'rounds':
        return rounds(deps, profile);
      case 'close':
        return close(deps, profile, rest);
      default:
        return reply(usage);
    }
  };
}

async function close(deps: FeatureDeps, profile: MemberProfile, words: string[]): Promise<CommandResult> {
  if (!isPartnershipAdmin(profile)) throw new BotError('forbidden', 's11 close by a non-admin', 'Only the business unit can close a round.', { reason: 'not-permitted' });
  if (words[0] === undefined) throw invalidInput('Say which round to close, e.g. `s11 close 1`. `s11 rounds` lists them.');
  return inS11Scope(deps, profile.partnershipId, async (scope) => notice(profile, await closeRound(scope, profile, await roundFrom(scope, profile, words[0]))));
}
