// Moderation (peer challenge): the moderating group sets a moderated rating per standard and feedback for the agency;
// the agency sees it beside its own ratings and can respond.
import { recordAudit } from '../../core/audit.js';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { FeatureDeps } from '../contract.js';
import { isIn, type Moderation } from './model.js';
import { noticeTo, redrawReturnCards, tellFeedback } from './notify.js';
import { chairAndBusinessManagerIds, leadsAgency, seesAllReturns } from './people.js';
import { jsonOf, loadReturn, recordReturnEvent } from './repository.js';
import { inS11Scope, refuse, returnFor } from './scope.js';
import type { Outcome } from './service-return.js';

export async function moderate(deps: FeatureDeps, profile: MemberProfile, returnId: string, ratings: Record<string, string>, feedback: string): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const { ret, round, moderatedBy } = await returnFor(scope.tx, profile, returnId, ({ moderatedBy: g }) => seesAllReturns(profile, g));
    if (!isIn(ret)) throw invalidInput(`${ret.agencyName}'s return is not in yet: it can be moderated once it is submitted.`);
    if (round.status !== 'open') throw invalidInput(`${round.title} is closed: its returns can no longer change.`);
    const unknown = Object.entries(ratings).find(([standard, rating]) => !round.settings.standards.some((s) => s.key === standard) || !round.settings.scale.some((s) => s.key === rating));
    if (unknown) throw invalidInput('That moderation names a standard or rating this round does not have.');
    const moderation: Moderation = { ratings, feedback, byId: profile.memberId, at: scope.now.toISO()! };
    await scope.tx.s11Return.update({ where: { id: ret.id }, data: { moderation: jsonOf(moderation) } });
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'moderated', actorId: profile.memberId });
    const auditId = await recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: profile.memberId, action: 's11.return.moderated', subjectType: 's11-return', subjectId: ret.id, data: { round: round.number, changed: Boolean(ret.moderation) } });
    const now = (await loadReturn(scope.tx, ret.id))!;
    const heading = `${profile.displayName} ${ret.moderation ? 'changed the moderation of' : 'moderated'} ${ret.agencyName}'s return for ${round.title}.`;
    await redrawReturnCards(scope, round, now, moderatedBy, `moderated:${auditId}`, heading);
    await tellFeedback(scope, round, now, `moderated:${auditId}`, `${heading} Here are the moderated ratings beside yours, and the feedback. You can respond.`);
    return { line: `${heading} The agency's leads have the feedback.`, changed: true, ret: now, round };
  });
}

export async function respond(deps: FeatureDeps, profile: MemberProfile, returnId: string, response: string): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const { ret, round, moderatedBy } = await returnFor(scope.tx, profile, returnId, ({ ret: r, moderatedBy: g }) => leadsAgency(profile, r) || seesAllReturns(profile, g));
    if (!leadsAgency(profile, ret)) throw refuse(ret, `Only ${ret.agencyName}'s leads can respond to its feedback.`);
    if (!ret.moderation) throw invalidInput(`${ret.agencyName}'s return has no feedback yet to respond to.`);
    await scope.tx.s11Return.update({ where: { id: ret.id }, data: { response } });
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'responded', actorId: profile.memberId });
    const auditId = await recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: profile.memberId, action: 's11.return.responded', subjectType: 's11-return', subjectId: ret.id, data: { round: round.number } });
    const now = (await loadReturn(scope.tx, ret.id))!;
    const heading = `${profile.displayName} responded to the feedback on ${ret.agencyName}'s return.`;
    await redrawReturnCards(scope, round, now, moderatedBy, `responded:${auditId}`, heading);
    await noticeTo(scope, ret.partnershipId, await chairAndBusinessManagerIds(scope.tx, ret.partnershipId, moderatedBy), `s11:${ret.id}:responded:${auditId}`, `${heading} Type \`s11 status ${round.number}\` or open the return's card to read it.`);
    return { line: `Thank you: your response is recorded and the PQA chair and the business unit are told.`, changed: true, ret: now, round };
  });
}
