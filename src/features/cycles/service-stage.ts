import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { forbidden, invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import { notifyMember } from '../../messaging/recipients.js';
import type { CycleDeps } from './context.js';
import { moveDueDate } from './due-dates.js';
import { extensionDecidedCard, extensionRequestCard } from './extension-cards.js';
import { formatDay, formatDayTime } from './format.js';
import { completeStage, type StageScope } from './lifecycle.js';
import type { Db, Tx } from '../../store/db.js';
import { approverSentence, chooseApprover, type ExtensionApprover } from './extension-approver.js';
import { canActOnStage, mayDecideExtension } from './policy.js';
import { loadStage } from './repository.js';
import { inScope } from './scope.js';
import { ownExtensionRequest, ownStageId } from './ownership.js';

const actorOf = (profile: MemberProfile) => ({ name: profile.displayName, memberId: profile.memberId });
export const refusal = (what: string, stageId?: string) =>
  forbidden(`Sorry, only the stage's owners, the cycle's lead or an admin can ${what}. Nothing was changed.`, stageId ? { type: 'stage', id: stageId } : undefined);

/** The member's partnership, once the stage (an id from a card payload) is known to be one of its own. */
async function stageInScope(deps: CycleDeps, profile: MemberProfile, stageId: string) {
  await ownStageId(deps.db, profile, stageId);
  return profile.partnershipId;
}

/** Marks a stage done. Returns false when it was already done (a double click): nothing changes twice. */
export async function markStageDone(deps: CycleDeps, profile: MemberProfile, stageId: string, note?: string): Promise<boolean> {
  const partnershipId = await stageInScope(deps, profile, stageId);
  return inScope(deps, partnershipId, actorOf(profile), async (scope) => {
    const { cycle, stage, stages } = await loadStage(scope.tx, stageId);
    if (!canActOnStage(profile, cycle, stage)) throw refusal('mark this stage done', stageId);
    return completeStage(scope, cycle, stage, stages, note?.trim() || undefined);
  });
}

function assertDateCanMove(stage: { name: string; status: string }): void {
  if (stage.status !== 'open' && stage.status !== 'pending') throw invalidInput(`"${stage.name}" is ${stage.status}; its due date can no longer move.`);
}

export const snoozeLengths = { '1d': { days: 1 }, '3d': { days: 3 }, '1w': { weeks: 1 } } as const;
export type SnoozeLength = keyof typeof snoozeLengths;

/** Quiets this stage's reminders to one person for a while. The deadline does not move. */
export async function snoozeStage(deps: CycleDeps, profile: MemberProfile, stageId: string, length: SnoozeLength): Promise<{ until: DateTime; dueOn: string; zone: string }> {
  const partnershipId = await stageInScope(deps, profile, stageId);
  return inScope(deps, partnershipId, actorOf(profile), async (scope) => {
    const { cycle, stage } = await loadStage(scope.tx, stageId);
    if (!canActOnStage(profile, cycle, stage)) throw refusal('snooze this stage', stageId);
    const until = scope.now.plus(snoozeLengths[length]);
    await scope.tx.stageSnooze.upsert({
      where: { stageId_memberId: { stageId, memberId: profile.memberId } },
      create: { stageId, memberId: profile.memberId, until: until.toJSDate() },
      update: { until: until.toJSDate() },
    });
    await recordAudit(scope.tx, { partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.stage.snoozed', subjectType: 'stage', subjectId: stageId, data: { until: until.toISO(), length } });
    return { until, dueOn: stage.dueOn, zone: scope.calendar.zone };
  });
}

/** Checks a proposed new due date: a working day, after today and after the current due date. */
export function checkProposedDate(scope: Pick<StageScope, 'calendar' | 'now'>, currentDueOn: string, proposed: string): string | undefined {
  const day = DateTime.fromISO(proposed, { zone: scope.calendar.zone });
  if (!day.isValid) return 'Pick a date.';
  if (proposed <= currentDueOn) return `Pick a date after the current due date, ${formatDay(currentDueOn, scope.calendar.zone)}.`;
  if (proposed <= scope.now.setZone(scope.calendar.zone).toISODate()!) return 'Pick a date after today.';
  if (!scope.calendar.isWorkingDay(day)) {
    return `${formatDay(proposed, scope.calendar.zone)} is not a working day; the next is ${formatDay(scope.calendar.nextWorkingDay(day).toISODate()!, scope.calendar.zone)}.`;
  }
  return undefined;
}

/** What became of a request for more time: sent (to whom, and whether they can be told now), or one was already waiting. */
export type MoreTimeOutcome =
  | { kind: 'sent'; requestId: string; approver: ExtensionApprover; sentence: string }
  | { kind: 'already-pending'; proposedDueOn: string; requesterId: string; requesterName: string; approverName?: string };

/** Asks for more time: the chair of the owning group (or the business manager) gets an approve/decline card. One request waits per stage. */
export async function requestMoreTime(deps: CycleDeps, profile: MemberProfile, stageId: string, proposedDueOn: string, reason: string): Promise<MoreTimeOutcome> {
  const partnershipId = await stageInScope(deps, profile, stageId);
  return inScope(deps, partnershipId, actorOf(profile), async (scope) => {
    // Two submissions at once (a double click, a replayed card) take turns on the stage row: the second finds the first.
    await scope.tx.$queryRaw`SELECT id FROM "CycleStage" WHERE id = ${stageId}::uuid FOR UPDATE`;
    const { cycle, stage } = await loadStage(scope.tx, stageId);
    if (!canActOnStage(profile, cycle, stage)) throw refusal('ask for more time', stageId);
    const waiting = await pendingRequestOn(scope.tx, stageId);
    if (waiting) return { kind: 'already-pending', ...waiting };
    assertDateCanMove(stage);
    const problem = checkProposedDate(scope, stage.dueOn, proposedDueOn);
    if (problem) throw invalidInput(problem);
    const group = stage.reminders.escalationGroup;
    const approver = await chooseApprover(scope.tx, partnershipId, group, profile.memberId, scope.platforms);
    const request = await scope.tx.extensionRequest.create({ data: { stageId, requestedById: profile.memberId, proposedDueOn, reason, approverId: approver.memberId ?? null } });
    await recordAudit(scope.tx, { partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.extension.requested', subjectType: 'stage', subjectId: stageId, data: { requestId: request.id, from: stage.dueOn, to: proposedDueOn, approverReachable: approver.reachable } });
    if (approver.memberId) {
      const card = extensionRequestCard({ requestId: request.id, stageName: stage.name, cycle, requesterName: profile.displayName, currentDueOn: stage.dueOn, proposedDueOn, reason, zone: scope.calendar.zone });
      scope.fx.outbox(await notifyMember(scope.tx, { memberId: approver.memberId, partnershipId, key: `extension:${request.id}:ask`, message: card, subjectKey: `extension:${request.id}`, about: `a request for more time on "${stage.name}"` }, scope.platforms));
    }
    const groupName = group ? (await scope.tx.group.findFirst({ where: { partnershipId, key: group }, select: { name: true } }))?.name : undefined;
    return { kind: 'sent', requestId: request.id, approver, sentence: approverSentence(approver, groupName) };
  });
}

/** The request for more time already waiting on a stage, if any. */
export async function pendingRequestOn(tx: Tx | Db, stageId: string): Promise<{ proposedDueOn: string; requesterId: string; requesterName: string; approverName?: string } | undefined> {
  const waiting = await tx.extensionRequest.findFirst({ where: { stageId, status: 'pending' }, include: { requestedBy: { select: { displayName: true } }, approver: { select: { displayName: true } } }, orderBy: { createdAt: 'asc' } });
  if (!waiting) return undefined;
  return { proposedDueOn: waiting.proposedDueOn, requesterId: waiting.requestedById, requesterName: waiting.requestedBy.displayName, approverName: waiting.approver?.displayName };
}

/** The chair (or an admin) approves or declines a request for more time. Approval moves the date and re-arms reminders. */
export async function decideExtension(deps: CycleDeps, profile: MemberProfile, requestId: string, approve: boolean): Promise<{ changed: boolean; stageName: string }> {
  await ownExtensionRequest(deps.db, profile, requestId);
  const partnershipId = profile.partnershipId;
  return inScope(deps, partnershipId, actorOf(profile), async (scope) => {
    const request = await scope.tx.extensionRequest.findUniqueOrThrow({ where: { id: requestId } });
    const { cycle, stage, stages } = await loadStage(scope.tx, request.stageId);
    if (!mayDecideExtension(profile, request, stage)) throw forbidden('Sorry, only the chair of the owning group, the independent chair, the business manager or an admin can approve or decline this request. Nothing was changed.', { type: 'extension_request', id: requestId });
    const status = approve ? 'approved' : 'declined';
    const claimed = await scope.tx.extensionRequest.updateMany({ where: { id: requestId, status: 'pending' }, data: { status, decidedById: profile.memberId, decidedAt: scope.now.toJSDate() } });
    if (claimed.count !== 1) return { changed: false, stageName: stage.name };
    await recordAudit(scope.tx, { partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: `cycle.extension.${status}`, subjectType: 'stage', subjectId: stage.id, data: { requestId, to: request.proposedDueOn } });
    if (approve && (stage.status === 'open' || stage.status === 'pending')) await moveDueDate(scope, cycle, stages, stage, request.proposedDueOn, 'extension');
    const requester = await scope.tx.member.findUnique({ where: { id: request.requestedById }, select: { displayName: true } });
    const decided = extensionDecidedCard({
      stageName: stage.name,
      cycle,
      requesterName: requester?.displayName ?? 'A member',
      proposedDueOn: request.proposedDueOn,
      approved: approve,
      deciderName: profile.displayName,
      decidedAt: formatDayTime(scope.now, scope.calendar.zone),
      zone: scope.calendar.zone,
    });
    scope.fx.outbox(await updateCardsAbout(scope.tx, `extension:${requestId}`, status, decided));
    scope.fx.outbox(await notifyMember(scope.tx, { memberId: request.requestedById, partnershipId, key: `extension:${requestId}:${status}`, message: decided, about: `the decision on a request for more time on "${stage.name}"` }, scope.platforms));
    return { changed: true, stageName: stage.name };
  });
}

/** Attaches a note to a stage (typically after marking it done). The note is stored, never logged. */
export async function addStageNote(deps: CycleDeps, profile: MemberProfile, stageId: string, text: string): Promise<void> {
  const partnershipId = await stageInScope(deps, profile, stageId);
  await inScope(deps, partnershipId, actorOf(profile), async (scope) => {
    const { cycle, stage } = await loadStage(scope.tx, stageId);
    if (!canActOnStage(profile, cycle, stage)) throw refusal('add a note to this stage', stageId);
    await scope.tx.cycleStage.update({ where: { id: stageId }, data: { doneNote: text } });
    await recordAudit(scope.tx, { partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'cycle.stage.noted', subjectType: 'stage', subjectId: stageId, data: { length: text.length } });
  });
}
