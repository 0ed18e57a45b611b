// A return's way through: submitted by a lead, signed off or sent back by the agency's signatory, returned for more
// evidence by the business unit. Each step changes the row once (a retried or double-clicked submission finds it
// already moved), is audited, re-arms the chasers and tells the right people.
import { recordAudit } from '../../core/audit.js';
import { invalidInput } from '../../core/errors.js';
import { isPartnershipAdmin, type MemberProfile } from '../../directory/identity.js';
import type { FormValues } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { colourOf, fieldId } from './answers.js';
import { rearmReturn } from './arming.js';
import { isIn, type ReturnView, type RoundView } from './model.js';
import { redrawReturnCards, tellLeads, tellReviewers, tellSignatories } from './notify.js';
import { leadsAgency, seesAllReturns, signatoryIds, signsForAgency } from './people.js';
import { jsonOf, loadReturn, recordReturnEvent } from './repository.js';
import { inS11Scope, refuse, returnFor, type S11Scope } from './scope.js';

export interface Outcome {
  line: string;
  changed: boolean;
  ret: ReturnView;
  round: RoundView;
}

const audit = (scope: S11Scope, profile: MemberProfile, ret: ReturnView, action: string, data: Record<string, unknown> = {}) =>
  recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: profile.memberId, action, subjectType: 's11-return', subjectId: ret.id, data });

/** The improvement actions of a submitted return: one per standard short of met, kept in step with the answers. */
async function syncActions(scope: S11Scope, round: RoundView, ret: ReturnView, values: FormValues): Promise<void> {
  const wanted = round.settings.standards.filter((s) => {
    const colour = colourOf(round.settings.scale, values[fieldId(s.key, 'rating')]);
    return colour !== 'grey' && values[fieldId(s.key, 'action')] && values[fieldId(s.key, 'owner')] && values[fieldId(s.key, 'target')];
  });
  await scope.tx.s11Action.deleteMany({ where: { returnId: ret.id, doneOn: null, standardKey: { notIn: wanted.map((s) => s.key) } } });
  for (const s of wanted) {
    const data = { text: values[fieldId(s.key, 'action')]!, ownerId: values[fieldId(s.key, 'owner')]!, targetOn: values[fieldId(s.key, 'target')]! };
    await scope.tx.s11Action.upsert({ where: { returnId_standardKey: { returnId: ret.id, standardKey: s.key } }, create: { returnId: ret.id, partnershipId: ret.partnershipId, standardKey: s.key, ...data }, update: data });
  }
}

/** The lead's answers become the return; its signatory (or, with none named, the business unit) is asked to sign off. */
export async function submitReturn(deps: FeatureDeps, profile: MemberProfile, returnId: string, values: FormValues): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const { ret, round, moderatedBy } = await returnFor(scope.tx, profile, returnId, ({ ret: r }) => leadsAgency(profile, r));
    const moved = await scope.tx.s11Return.updateMany({
      where: { id: ret.id, status: { in: ['not_started', 'returned'] } },
      data: { status: 'submitted', answers: jsonOf(values), submittedAt: scope.now.toJSDate(), submittedById: profile.memberId },
    });
    if (moved.count === 0) return { line: `${ret.agencyName}'s return was already submitted: nothing changed.`, changed: false, ret, round };
    const now = (await loadReturn(scope.tx, ret.id))!;
    await syncActions(scope, round, now, values);
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'submitted', actorId: profile.memberId });
    const auditId = await audit(scope, profile, ret, 's11.return.submitted', { round: round.number });
    await rearmReturn(scope, now.id);
    const signatories = await signatoryIds(scope.tx, ret.partnershipId, ret.agencyId);
    const heading = `${profile.displayName} submitted ${ret.agencyName}'s return for ${round.title}.`;
    await redrawReturnCards(scope, round, now, moderatedBy, `submitted:${auditId}`, heading);
    if (signatories.length > 0) await tellSignatories(scope, round, now, `submitted:${auditId}`, `${heading} Please sign it off, or send it back with a comment.`, profile.displayName);
    await tellReviewers(scope, round, now, moderatedBy, `submitted:${auditId}`, heading);
    const next = signatories.length > 0 ? 'It has gone to your signatory to sign off.' : 'Your agency names no signatory, so it has gone to the business unit.';
    return { line: `Thank you: ${ret.agencyName}'s return for ${round.title} is submitted. ${next}`, changed: true, ret: now, round };
  });
}

export async function signOff(deps: FeatureDeps, profile: MemberProfile, returnId: string): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const { ret, round, moderatedBy } = await returnFor(scope.tx, profile, returnId, ({ ret: r, moderatedBy: g }) => signsForAgency(profile, r) || leadsAgency(profile, r) || seesAllReturns(profile, g));
    if (!signsForAgency(profile, ret)) throw refuse(ret, `Only ${ret.agencyName}'s signatory can sign its return off.`);
    const moved = await scope.tx.s11Return.updateMany({ where: { id: ret.id, status: 'submitted' }, data: { status: 'signed_off', signedOffAt: scope.now.toJSDate(), signedOffById: profile.memberId } });
    if (moved.count === 0) {
      // Read again: a press at the same moment (a double click) may have signed it off since `ret` was read.
      const current = (await loadReturn(scope.tx, ret.id)) ?? ret;
      return { line: current.status === 'signed_off' ? `${ret.agencyName}'s return is already signed off.` : `${ret.agencyName}'s return is not waiting for sign-off (it is ${current.status.replace('_', ' ')}).`, changed: false, ret: current, round };
    }
    const now = (await loadReturn(scope.tx, ret.id))!;
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind: 'signed-off', actorId: profile.memberId });
    const auditId = await audit(scope, profile, ret, 's11.return.signed-off', { round: round.number });
    const heading = `${profile.displayName} signed off ${ret.agencyName}'s return for ${round.title}.`;
    await redrawReturnCards(scope, round, now, moderatedBy, `signed-off:${auditId}`, heading);
    await tellLeads(scope, round, now, `signed-off:${auditId}`, heading);
    await tellReviewers(scope, round, now, moderatedBy, `signed-off:${auditId}`, heading);
    return { line: `Signed off: ${ret.agencyName}'s return for ${round.title}. The leads and the business unit are told.`, changed: true, ret: now, round };
  });
}

/**
 * Back to the agency's leads with a comment: by its signatory (sent back) or the business unit (more evidence).
 * Their submitted answers come back as the draft they carry on from.
 */
export async function sendBack(deps: FeatureDeps, profile: MemberProfile, returnId: string, comment: string, by: 'signatory' | 'business-unit'): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const { ret, round, moderatedBy } = await returnFor(scope.tx, profile, returnId, ({ ret: r }) => signsForAgency(profile, r) || leadsAgency(profile, r) || isPartnershipAdmin(profile));
    if (by === 'signatory' && !signsForAgency(profile, ret)) throw refuse(ret, `Only ${ret.agencyName}'s signatory can send its return back.`);
    if (by === 'business-unit' && !isPartnershipAdmin(profile)) throw refuse(ret, 'Only the business unit can return a submitted return for more evidence.');
    if (round.status !== 'open') throw invalidInput(`${round.title} is closed: its returns can no longer change.`);
    const from = by === 'signatory' ? ['submitted'] : ['submitted', 'signed_off'];
    const moved = await scope.tx.s11Return.updateMany({ where: { id: ret.id, status: { in: from } }, data: { status: 'returned', signedOffAt: null, signedOffById: null } });
    if (moved.count === 0) {
      // Read again: a send-back at the same moment (a double click) may have moved it since `ret` was read.
      const current = (await loadReturn(scope.tx, ret.id)) ?? ret;
      return { line: isIn(current) ? `${ret.agencyName}'s return is signed off: only the business unit can return it now.` : `${ret.agencyName}'s return is already with its leads.`, changed: false, ret: current, round };
    }
    const kind = by === 'signatory' ? 'sent-back' : 'more-evidence';
    await recordReturnEvent(scope.tx, ret.id, { at: scope.now.toJSDate(), kind, actorId: profile.memberId, detail: comment });
    const auditId = await audit(scope, profile, ret, `s11.return.${kind}`, { round: round.number });
    const now = await rearmReturn(scope, ret.id);
    const heading = by === 'signatory'
      ? `${profile.displayName} sent ${ret.agencyName}'s return back to its leads.`
      : `${profile.displayName} (business unit) returned ${ret.agencyName}'s return for more evidence.`;
    await redrawReturnCards(scope, round, now, moderatedBy, `${kind}:${auditId}`, heading);
    await tellLeads(scope, round, now, `${kind}:${auditId}`, `${heading} Open it to see the comment, change your answers and submit again: your answers are kept.`);
    return { line: `${heading} Its leads are told, with your comment.`, changed: true, ret: now, round };
  });
}
