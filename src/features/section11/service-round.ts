// Launching a round: one return per agency, each carrying forward the agency's last answers in the same audit; the
// leads hear at once, and each return's chasers are armed.
import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import { closestMatch, quoted } from '../../directory/schema-primitives.js';
import { rearmReturn } from './arming.js';
import { variantNames, type RoundSettings, type RoundView, type S11Variant } from './model.js';
import { noticeTo, tellLeads } from './notify.js';
import { businessUnitIds, leadIds } from './people.js';
import { jsonOf, loadRound, nextRoundNumber, previousReturn, roundReturns } from './repository.js';
import type { S11Scope } from './scope.js';
import { DEFAULT_STANDARDS } from './standards.js';

export interface LaunchRequest {
  title: string;
  dueOn: string;
  variant: S11Variant;
  /** Agency keys; absent: every active agency. */
  agencies?: string[];
  launchedById?: string;
  plan?: { key: string; plannedOn: string };
}

/** What is wrong with a launch, in words for the person launching (or the log line of a recurring round). */
export function dueProblem(scope: S11Scope, dueOn: string): string | undefined {
  const today = scope.now.setZone(scope.calendar.zone).toISODate()!;
  if (dueOn <= today) return `The due date ${formatDay(dueOn, scope.calendar.zone)} is not after today: give a date in the future, e.g. three months ahead.`;
  const day = DateTime.fromISO(dueOn, { zone: scope.calendar.zone }).set({ hour: 12 });
  if (!scope.calendar.isWorkingDay(day)) {
    const before = scope.calendar.workingDayOnOrBefore(day).toISODate()!;
    return `${formatDay(dueOn, scope.calendar.zone)} is not a working day: try ${formatDay(before, scope.calendar.zone)}.`;
  }
  return undefined;
}

export async function launchRound(scope: S11Scope, partnershipId: string, request: LaunchRequest): Promise<{ round: RoundView; agencies: number; withoutLeads: string[] }> {
  const problem = dueProblem(scope, request.dueOn);
  if (problem) throw invalidInput(problem);
  const all = await scope.tx.agency.findMany({ where: { partnershipId, active: true }, select: { id: true, key: true, name: true }, orderBy: { name: 'asc' } });
  const unknown = (request.agencies ?? []).filter((k) => !all.some((a) => a.key === k));
  if (unknown.length > 0) {
    const hint = closestMatch(unknown[0]!, all.map((a) => a.key));
    throw invalidInput(`There is no agency ${quoted(unknown[0]!.slice(0, 60))}${hint ? `: did you mean \`${hint}\`?` : '.'} Agency keys are in the partnership file; \`whoami\` shows yours.`);
  }
  const agencies = request.agencies ? all.filter((a) => request.agencies!.includes(a.key)) : all;
  if (agencies.length === 0) throw invalidInput('The partnership has no agencies to ask: add them to the partnership file first.');

  const settings: RoundSettings = {
    standards: scope.policy.standards[request.variant] ?? DEFAULT_STANDARDS[request.variant],
    scale: scope.policy.scale,
    sendAt: scope.policy.sendAt,
    remindBefore: scope.policy.remindBefore,
    chaseEvery: scope.policy.chaseEvery,
    escalate: scope.policy.escalate,
    ...(scope.policy.moderatedBy ? { moderatedBy: scope.policy.moderatedBy } : {}),
  };
  const number = await nextRoundNumber(scope.tx, partnershipId);
  const today = scope.now.setZone(scope.calendar.zone).toISODate()!;
  const row = await scope.tx.s11Round.create({
    data: {
      partnershipId, number, title: request.title, variant: request.variant, dueOn: request.dueOn, launchedOn: today,
      launchedById: request.launchedById ?? null, planKey: request.plan?.key ?? null, plannedOn: request.plan?.plannedOn ?? null, settings: jsonOf(settings),
      // The bot's clock, not the database's: the chasers count from it, and a demo or a test clock is not the machine's.
      createdAt: scope.now.toJSDate(),
    },
  });
  for (const a of agencies) {
    const previous = await previousReturn(scope.tx, partnershipId, a.id, request.variant, number);
    await scope.tx.s11Return.create({ data: { roundId: row.id, partnershipId, agencyId: a.id, dueOn: request.dueOn, carriedFromId: previous?.id ?? null } });
  }
  const round = (await loadRound(scope.tx, row.id))!;
  await recordAudit(scope.tx, { partnershipId, actor: request.launchedById ?? 'scheduler', action: 's11.round.launched', subjectType: 's11-round', subjectId: round.id, data: { number, agencies: agencies.length, variant: request.variant } });

  const withoutLeads: string[] = [];
  for (const ret of await roundReturns(scope.tx, round.id)) {
    await scope.tx.s11Event.create({ data: { returnId: ret.id, at: scope.now.toJSDate(), kind: 'launched', actorId: request.launchedById ?? null } });
    await rearmReturn(scope, ret.id);
    if ((await leadIds(scope.tx, partnershipId, ret.agencyId)).length === 0) withoutLeads.push(ret.agencyName);
    const carried = ret.carriedFromId ? ' Last round\'s answers are filled in for you to confirm or update.' : '';
    await tellLeads(scope, round, ret, 'launched', `${round.title} has started: ${ret.agencyName}'s self-assessment (${variantNames[round.variant]}, ${round.settings.standards.length} standards) is due ${formatDay(ret.dueOn, scope.calendar.zone)}. Your answers save as you go, page by page.${carried}`);
  }
  if (withoutLeads.length > 0) {
    await noticeTo(scope, partnershipId, await businessUnitIds(scope.tx, partnershipId), `s11-round:${round.id}:no-leads`,
      `${round.title}: these agencies have no safeguarding lead in the partnership file, so nobody was asked for their return: ${withoutLeads.join('; ')}. Add leads to the file and they will be asked.`);
  }
  return { round, agencies: agencies.length, withoutLeads };
}
