import { recordAudit } from '../../core/audit.js';
import { forbidden, invalidInput, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import type { Db, Tx } from '../../store/db.js';
import type { CycleDeps } from './context.js';
import { completeStage, refreshStageCards } from './lifecycle.js';
import { looksLikeId } from './ownership.js';
import { armReturn } from './returns-arming.js';
import { settledReturnCard } from './returns-cards.js';
import { loadReturnView } from './returns-lifecycle.js';
import type { ReturnsProgress, StageReturns } from './returns-model.js';
import { loadReturn, returnsProgress, returnsSpecOf, returnSubject, type ReturnRow } from './returns-repository.js';
import { loadStage } from './repository.js';
import { inScope } from './scope.js';

type Reader = Tx | Db;

export const returnGone = (value?: string, foreign = false) => unknownSubject('That return no longer exists.', 'return', value, foreign);

/**
 * The return (an id from a card payload or form state), if it belongs to the member's partnership. Another
 * partnership's id, a made-up one and junk get the same answer, as for stages.
 */
export async function ownReturn(db: Reader, profile: MemberProfile, value: string | undefined): Promise<ReturnRow> {
  if (!looksLikeId(value)) throw returnGone(value);
  const row = await db.stageReturn.findUnique({ where: { id: value }, select: { stage: { select: { cycle: { select: { partnershipId: true } } } } } });
  if (!row || row.stage.cycle.partnershipId !== profile.partnershipId) throw returnGone(value, Boolean(row));
  return (await loadReturn(db, value))!;
}

/** An agency's return is sent by its safeguarding leads or its board representative (signatory, else partner lead). */
export function maySendReturnFor(profile: MemberProfile, agencyKey: string): boolean {
  const scope = `agency:${agencyKey}`;
  if (profile.roles.some((r) => (r.role === 'agency_lead' || r.role === 'signatory') && r.scopeKey === scope)) return true;
  return profile.agency?.key === agencyKey && profile.roles.some((r) => r.role === 'partner_lead');
}

export function assertMaySendReturn(profile: MemberProfile, ret: ReturnRow): void {
  if (!maySendReturnFor(profile, ret.agencyKey)) {
    throw forbidden(`Sorry, only ${ret.agencyName}'s safeguarding leads or its board representative can send its return. Nothing was changed.`, { type: 'return', id: ret.id });
  }
}

/** The return, its stage's `returns:` and whether it can still be sent, for opening the form. */
export async function returnToAnswer(db: Db, profile: MemberProfile, returnId: string | undefined): Promise<{ ret: ReturnRow; spec: StageReturns; stageName: string; problem?: string }> {
  const ret = await ownReturn(db, profile, returnId);
  assertMaySendReturn(profile, ret);
  const { cycle, stage } = await loadStage(db, ret.stageId);
  const spec = returnsSpecOf(cycle, stage);
  if (!spec) throw invalidInput('That return no longer exists.');
  return { ret, spec, stageName: stage.name, problem: notOpenProblem(ret, stage.name, stage.status, cycle.status) };
}

function notOpenProblem(ret: ReturnRow, stageName: string, stageStatus: string, cycleStatus: string): string | undefined {
  if (ret.status === 'returned') return `${ret.agencyName}'s return for "${stageName}" is already in. Nothing was changed.`;
  if (ret.status === 'missing' || stageStatus === 'done') return `"${stageName}" is closed, so its returns can no longer be sent here. Nothing was changed.`;
  if (stageStatus === 'cancelled' || cycleStatus === 'cancelled') return `"${stageName}" was cancelled with its cycle, so no return is needed. Nothing was changed.`;
  return undefined;
}

export type ReturnAnswer =
  | { method: 'form'; figures: Record<string, number>; narrative: string | undefined }
  | { method: 'secure-email' };

export interface ReturnOutcome {
  agencyName: string;
  stageName: string;
  progress: ReturnsProgress | undefined;
  stageDone: boolean;
}

/**
 * Records an agency's return (once: a second press finds it in and is refused), stops its reminders, updates every
 * copy of its cards and the stage's, and, when it was the last one awaited, completes the stage as if marked done.
 */
export async function recordReturn(deps: CycleDeps, profile: MemberProfile, returnId: string, answer: ReturnAnswer): Promise<ReturnOutcome> {
  const owned = await ownReturn(deps.db, profile, returnId);
  return inScope(deps, profile.partnershipId, { name: profile.displayName, memberId: profile.memberId }, async (scope) => {
    const ret = (await loadReturn(scope.tx, owned.id))!;
    assertMaySendReturn(profile, ret);
    const { cycle, stage, stages } = await loadStage(scope.tx, ret.stageId);
    const problem = notOpenProblem(ret, stage.name, stage.status, cycle.status);
    if (problem) throw invalidInput(problem);
    const returnedAt = scope.now.toJSDate();
    const claimed = await scope.tx.stageReturn.updateMany({
      where: { id: ret.id, status: 'awaited' },
      data: {
        status: 'returned', method: answer.method, returnedAt, returnedById: profile.memberId,
        ...(answer.method === 'form' ? { figures: answer.figures, narrative: answer.narrative ?? null } : {}),
      },
    });
    if (claimed.count !== 1) throw invalidInput(`${ret.agencyName}'s return for "${stage.name}" is already in. Nothing was changed.`);
    const eventId = await recordAudit(scope.tx, {
      partnershipId: cycle.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.return.received',
      subjectType: 'stage-return', subjectId: ret.id,
      // What was said stays in the StageReturn row; the audit log records only that it came and how.
      data: { stageId: stage.id, agency: ret.agencyKey, method: answer.method, ...(answer.method === 'form' ? { figures: Object.keys(answer.figures), narrative: Boolean(answer.narrative) } : {}) },
    });
    const returned = (await loadReturn(scope.tx, ret.id))!;
    scope.fx.timers(await armReturn(scope.tx, stage, returned, false, scope.calendar, scope.now));
    const view = await loadReturnView(scope.tx, returned, cycle, stage, scope.calendar, scope.now);
    scope.fx.outbox(await updateCardsAbout(scope.tx, returnSubject(ret.id), `returned@${eventId}`, settledReturnCard(view)));

    const progress = await returnsProgress(scope.tx, stage.id);
    const stageDone = progress !== undefined && progress.returned === progress.total && stage.status === 'open'
      && (await completeStage(scope, cycle, stage, stages, undefined));
    if (!stageDone) await refreshStageCards(scope, cycle, stage, `returned@${eventId}`, 'returned');
    return { agencyName: ret.agencyName, stageName: stage.name, progress: await returnsProgress(scope.tx, stage.id), stageDone };
  });
}
