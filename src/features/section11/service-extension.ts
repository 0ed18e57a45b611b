// More time for one agency's return: asked for by its lead, approved or declined by the business unit. Approval moves
// the return's due day and its chasers with it.
import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import { updateCardsAbout } from '../../messaging/outbox.js';
import { notifyMembers } from '../../messaging/recipients.js';
import type { FeatureDeps } from '../contract.js';
import { rearmReturn } from './arming.js';
import { extensionCard, privateTo } from './cards.js';
import { noticeTo, redrawReturnCards, tellLeads } from './notify.js';
import { extensionSubject, isIn } from './model.js';
import { businessUnitIds, leadsAgency } from './people.js';
import { recordReturnEvent } from './repository.js';
import { inS11Scope, refuseOnReturn, returnFor, returnItem, type S11Scope } from './scope.js';
import type { Outcome } from './service-return.js';

export function untilProblem(scope: Pick<S11Scope, 'now' | 'calendar'>, dueOn: string, untilOn: string): string | undefined {
  if (untilOn <= dueOn) return `Choose a day after the current due date, ${formatDay(dueOn, scope.calendar.zone)}.`;
  const day = DateTime.fromISO(untilOn, { zone: scope.calendar.zone }).set({ hour: 12 });
  if (!scope.calendar.isWorkingDay(day)) {
    // The working day before, unless that is not after the due date (e.g. a weekend just after it): then the one after.
    const before = scope.calendar.workingDayOnOrBefore(day).toISODate()!;
    const offered = before > dueOn ? before : scope.calendar.workingDayOnOrAfter(day).toISODate()!;
    return `${formatDay(untilOn, scope.calendar.zone)} is not a working day: try ${formatDay(offered, scope.calendar.zone)}.`;
  }
  return undefined;
}

export async function requestExtension(deps: FeatureDeps, profile: MemberProfile, returnId: string, untilOn: string, reason: string): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const { ret, round } = await returnFor(scope.tx, profile, returnId, ({ ret: r }) => leadsAgency(profile, r));
    if (isIn(ret)) throw invalidInput(`${ret.agencyName}'s return is already in: it needs no more time.`);
    const problem = untilProblem(scope, ret.dueOn, untilOn);
    if (problem) throw invalidInput(problem);
    const pending = await scope.tx.s11Extension.findFirst({ where: { returnId: ret.id, status: 'pending' } });
    if (pending) return { line: `You already asked for more time (until ${formatDay(pending.untilOn, scope.calendar.zone)}): the business unit has not answered yet.`, changed: false, ret, round };
    const ext = await scope.tx.s11Extension.create({ data: { returnId: ret.id, requestedById: profile.memberId, untilOn, reason } });
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'extension-requested', actorId: profile.memberId, detail: `until ${formatDay(untilOn, scope.calendar.zone)}` });
    await recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: profile.memberId, action: 's11.extension.requested', subjectType: 's11-return', subjectId: ret.id, data: { until: untilOn } });
    const card = extensionCard(round, ret, { id: ext.id, untilOn, reason, status: 'pending', by: profile.displayName }, scope.calendar.zone);
    const admins = await businessUnitIds(scope.tx, ret.partnershipId);
    scope.fx.outbox(await notifyMembers(scope.tx, admins.map((memberId) => ({
      memberId, partnershipId: ret.partnershipId, key: `s11-extension:${ext.id}:${memberId}`, message: privateTo([memberId], card), subjectKey: extensionSubject(ext.id), about: `more time for ${ret.agencyName}`,
    })), scope.platforms));
    return { line: `Asked: more time for ${ret.agencyName}'s return, until ${formatDay(untilOn, scope.calendar.zone)}. The business unit will approve or decline it; until then it is due ${formatDay(ret.dueOn, scope.calendar.zone)}.`, changed: true, ret, round };
  });
}

/** The business unit's answer; the first answer stands (a second press or another admin changes nothing). */
export async function decideExtension(deps: FeatureDeps, profile: MemberProfile, extensionId: string, approve: boolean): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const unseen = 'That request is not one you can see.';
    const { item: ext, ret, round } = await returnItem(scope.tx, profile, extensionId, (id) => scope.tx.s11Extension.findUnique({ where: { id } }), 's11-extension', unseen);
    if (!isPartnershipAdmin(profile)) await refuseOnReturn(scope.tx, profile, ret, round, { type: 's11-extension', id: ext.id }, unseen, 'Only the business unit can approve or decline more time.');
    const status = approve ? 'approved' : 'declined';
    const moved = await scope.tx.s11Extension.updateMany({ where: { id: ext.id, status: 'pending' }, data: { status, decidedById: profile.memberId, decidedAt: scope.now.toJSDate() } });
    const requester = (await scope.tx.member.findUnique({ where: { id: ext.requestedById }, select: { displayName: true } }))?.displayName ?? 'A lead';
    if (moved.count === 0) return { line: `That request was already ${ext.status}.`, changed: false, ret, round };
    if (approve) await scope.tx.s11Return.update({ where: { id: ret.id }, data: { dueOn: ext.untilOn } });
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: `extension-${status}`, actorId: profile.memberId, detail: `until ${formatDay(ext.untilOn, scope.calendar.zone)}` });
    const auditId = await recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: profile.memberId, action: `s11.extension.${status}`, subjectType: 's11-return', subjectId: ret.id, data: { until: ext.untilOn } });
    const now = await rearmReturn(scope, ret.id);
    const card = extensionCard(round, now, { id: ext.id, untilOn: ext.untilOn, reason: ext.reason, status, by: requester, decidedBy: profile.displayName }, scope.calendar.zone);
    scope.fx.outbox(await updateCardsAbout(scope.tx, extensionSubject(ext.id), `${status}:${auditId}`, card));
    const heading = approve
      ? `More time approved by ${profile.displayName}: ${ret.agencyName}'s return is now due ${formatDay(ext.untilOn, scope.calendar.zone)}.`
      : `${profile.displayName} declined the request for more time: ${ret.agencyName}'s return is still due ${formatDay(ret.dueOn, scope.calendar.zone)}.`;
    await redrawReturnCards(scope, round, now, round.settings.moderatedBy, `extension:${auditId}`, heading);
    await tellLeads(scope, round, now, `extension:${auditId}`, heading);
    const others = (await businessUnitIds(scope.tx, ret.partnershipId)).filter((id) => id !== profile.memberId);
    if (others.length > 0) await noticeTo(scope, ret.partnershipId, others, `s11-extension:${ext.id}:${status}`, heading);
    return { line: heading, changed: true, ret: now, round };
  });
}
