import { reply, type CommandHandler, type CommandRequest, type CommandResult } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import { invalidInput } from '../../core/errors.js';
import { rowNumber } from '../../core/row-number.js';
import type { MemberProfile } from '../../directory/identity.js';
import { closestMatch } from '../../directory/schema-primitives.js';
import type { Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { RISK_LIMITS, seesAllDisputes } from './model.js';
import { openAddRiskForm, openReviewForm } from './risk-actions.js';
import { riskTableCard } from './risk-cards.js';
import { canExportRegister, riskButtons } from './risk-policy.js';
import { exportRegister } from './risk-export.js';
import { openRisks } from './risk-repository.js';
import { chairIdsOf, policyOf } from './people.js';
import { closeRisk } from './risk-service.js';

const SUBCOMMANDS = ['add', 'review', 'close', 'export', 'help'] as const;

const usage = usageCard('risks', 'risks | risks add | risks review <number> | risks close <number> | risks export', [
  { title: 'risks', detail: 'The open risk register, highest score first, with owners and review dates' },
  { title: 'risks add', detail: 'Add a risk: what it is, impact and likelihood (1 to 5), owner, mitigation, review date (any member)' },
  { title: 'risks review <number>', detail: 'Record a review: the score and mitigation now, and the next review date (the owner, the review group, admins)' },
  { title: 'risks close <number>', detail: 'Take a risk off the open register; its reminders stop (the owner or an admin)' },
  { title: 'risks export', detail: 'Every entry, open and closed, as a CSV file for the annual report (admins, the independent chair, the review group)' },
]);

const text = (line: string): Message => ({ text: line, sections: [{ kind: 'text', text: line }] });
/** Slack keeps no slash command that failed: say it back, so nothing typed is lost. */
const typedBack = (args: readonly string[]) => ` You typed: \`risks ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}\``;

/**
 * The open register as this member may read it: which dispute a risk came from only for those who see every dispute
 * (a dispute's parties see theirs on the dispute itself), so the register never tells others that a dispute exists.
 */
async function registerAsSeenBy(deps: FeatureDeps, profile: MemberProfile, now: CommandRequest['now']): Promise<Message> {
  const risks = await openRisks(deps.db, profile.partnershipId);
  const policy = await policyOf(deps.db, profile.partnershipId);
  const chairs = await chairIdsOf(deps.db, profile.partnershipId, policy);
  const shown = seesAllDisputes(profile, chairs) ? risks : risks.map((r) => ({ ...r, disputeNumber: undefined }));
  const calendar = await partnershipCalendar(deps.db, profile.partnershipId);
  return riskTableCard(shown, now, calendar.zone, canExportRegister(profile, policy.riskRegister.reviewGroup));
}

function numberFrom(args: readonly string[], sub: string): number {
  const number = rowNumber(args[1]);
  if (number === undefined) throw invalidInput(`Say which risk, e.g. \`risks ${sub} 3\`. Type \`risks\` to see the numbers.${args.length > 1 ? typedBack(args) : ''}`);
  return number;
}

async function add(deps: FeatureDeps, profile: MemberProfile, args: readonly string[]): Promise<CommandResult> {
  // Words after `risks add` start the form's risk text, so they are not lost.
  const typed = args.slice(1).join(' ').trim().slice(0, RISK_LIMITS.risk);
  return { kind: 'form', form: await openAddRiskForm(deps, profile, {}, typed ? { risk: typed } : undefined) };
}

async function close(deps: FeatureDeps, profile: MemberProfile, args: readonly string[]): Promise<Message> {
  const { risk, changed } = await closeRisk(deps, profile, { number: numberFrom(args, 'close') });
  if (!changed) return text(`Risk #${risk.number} was already closed.`);
  const line = `Closed risk #${risk.number} "${risk.risk}". It is off the open register (still in the export) and its review reminders have stopped.`;
  return { text: line, sections: [{ kind: 'text', text: line }, { kind: 'actions', actions: [{ id: riskButtons.reopen, label: 'Undo', value: risk.id }] }] };
}

function unknown(word: string, args: readonly string[]): never {
  const suggestion = closestMatch(word, SUBCOMMANDS);
  const hint = suggestion ? ` Did you mean \`risks ${suggestion}\`?` : '';
  const number = rowNumber(word);
  const numbered = number !== undefined ? ` To record a review of risk #${number}, type \`risks review ${number}\`.` : '';
  throw invalidInput(`"${word}" is not a risks command.${hint}${numbered} Type \`risks help\` for the list.${typedBack(args)}`);
}

/** The `risks` command: the risk register as a table; add, review, close and export entries. */
export function risksCommand(deps: FeatureDeps): CommandHandler {
  return async (request: CommandRequest) => {
    const profile = request.profile!;
    const args = request.args;
    const sub = (args[0] ?? '').toLowerCase();
    switch (sub) {
      case '':
      case 'list': {
        return reply(await registerAsSeenBy(deps, profile, request.now));
      }
      case 'add':
        return add(deps, profile, args);
      case 'review':
        return { kind: 'form', form: await openReviewForm(deps, profile, { number: numberFrom(args, 'review') }) };
      case 'close':
        return reply(await close(deps, profile, args));
      case 'export':
        return reply(await exportRegister(deps, profile, request.now));
      case 'help':
        return reply(usage);
      default:
        return unknown(args[0]!, args);
    }
  };
}
