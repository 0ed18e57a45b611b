import type { DateTime } from 'luxon';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { answerWithConfirm, auditConfirmedFalsePositive, withConfirmFieldToRead } from '../../forms/identifying-confirm.js';
import { memberOptions } from '../../forms/member-options.js';
import type { ActionHandler, ActionRequest, FormHandler } from '../../interactions/types.js';
import type { Form, FormValues, Message } from '../../messaging/message.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { addedCard, closedCard, reviewedCard } from './risk-cards.js';
import { addRiskForm, readAddState, reviewRiskForm, riskAnswerCheck, scoreAnswers, type AddRiskOptions } from './risk-form.js';
import { riskButtons, riskFormIds } from './risk-policy.js';
import { inDisputeScope, visibleDispute } from './scope.js';
import { addRisk, closeRisk, mayReview, recordReview, reopenRisk, riskFor } from './risk-service.js';
import { policyOf } from './people.js';
import { RISK_LIMITS } from './model.js';

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

function riskIdOf(request: ActionRequest): string {
  if (!request.value) throw invalidInput('That button is missing its risk.');
  return request.value;
}

/** The add form with the partnership's members to pick the owner from (the person adding, to start with). */
export async function openAddRiskForm(deps: FeatureDeps, profile: MemberProfile, options: AddRiskOptions, typed?: FormValues): Promise<Form> {
  return addRiskForm(options, { members: await memberOptions(deps.db, profile.partnershipId), ownerId: profile.memberId, ...(typed ? { typed } : {}) });
}

/** The review form for a risk the member may review; anyone else is refused before it opens. */
export async function openReviewForm(deps: FeatureDeps, profile: MemberProfile, ref: { id: string } | { number: number }, typed?: FormValues): Promise<Form> {
  const risk = await riskFor(deps.db, profile, ref);
  await mayReview(deps.db, profile, risk, await policyOf(deps.db, profile.partnershipId));
  if (risk.status !== 'open') throw invalidInput(`Risk #${risk.number} is closed, so there is nothing to review.`);
  return reviewRiskForm(risk, typed ? { typed } : {});
}

/** The options a dispute's "Add to risk register" button stands for: its id, checked to be this partnership's. */
async function fromDispute(deps: FeatureDeps, profile: MemberProfile, disputeId: string | undefined): Promise<AddRiskOptions & { subject?: string }> {
  if (!disputeId) return {};
  // Only a dispute this member may see: a crafted id reads as no dispute at all, never as its number.
  const dispute = await inDisputeScope(deps, profile.partnershipId, (scope) => visibleDispute(scope, profile, { id: disputeId }));
  return { disputeId: dispute.id, disputeNumber: dispute.number, subject: dispute.subject };
}

/** Add (from a dispute's card), Record review and Close on risk cards, and Undo after closing. */
export function riskActions(deps: FeatureDeps): Record<string, ActionHandler> {
  return {
    [riskButtons.add]: async (r) => {
      const { subject, ...options } = await fromDispute(deps, r.profile!, r.value);
      // A start for the risk's words, from what the dispute is about; the person makes it a risk statement.
      const typed = subject ? { risk: `Unresolved disagreement: ${subject}`.slice(0, RISK_LIMITS.risk) } : undefined;
      return { kind: 'form', form: await openAddRiskForm(deps, r.profile!, options, typed) };
    },
    [riskButtons.review]: async (r) => ({ kind: 'form', form: await openReviewForm(deps, r.profile!, { id: riskIdOf(r) }) }),
    [riskButtons.close]: async (r) => {
      const profile = r.profile!;
      const { risk, changed } = await closeRisk(deps, profile, { id: riskIdOf(r) });
      const zone = (await partnershipCalendar(deps.db, profile.partnershipId)).zone;
      const card = closedCard(risk, changed ? profile.displayName : undefined, zone);
      if (!changed) return { kind: 'card', card, notice: note(`Risk #${risk.number} was already closed.`) };
      // The pressed copy alone offers Undo; every other copy just reads "Closed".
      return { kind: 'card', card: { ...card, sections: [...card.sections, { kind: 'actions', actions: [{ id: riskButtons.reopen, label: 'Undo', value: risk.id }] }] } };
    },
    [riskButtons.reopen]: async (r) => {
      const { risk, changed } = await reopenRisk(deps, r.profile!, riskIdOf(r));
      return { kind: 'notice', message: note(changed ? `Undone: risk #${risk.number} is back on the register and its review reminders are on again.` : `Risk #${risk.number} is already open; nothing was changed.`) };
    },
  };
}

async function checked(deps: FeatureDeps, profile: MemberProfile, form: Form, values: FormValues, now: DateTime) {
  return riskAnswerCheck(form, values, await partnershipCalendar(deps.db, profile.partnershipId), now);
}

/** Who confirmed that text flagged as identifying in a risk was not, once the risk is saved. */
function auditConfirmed(deps: FeatureDeps, profile: MemberProfile, riskId: string, fields: readonly string[]) {
  return auditConfirmedFalsePositive(deps.db, {
    partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId,
    action: 'disputes.risk.identifying.confirmed', subjectType: 'risk', subjectId: riskId, fields,
  });
}

/** The add and review forms: errors beside the fields with everything typed kept; on success a confirmation card. */
export function riskForms(deps: FeatureDeps): Record<string, FormHandler> {
  const add: FormHandler = {
    build: (state) => withConfirmFieldToRead(addRiskForm(readAddState(state))),
    open: ({ profile, state }) => openAddRiskForm(deps, profile, readAddState(state)),
    async submit(s) {
      if (s.intent === 'close') return { kind: 'close', notice: note('Nothing was added to the risk register.') };
      const profile = s.profile!;
      const options = await fromDispute(deps, profile, readAddState(s.state).disputeId);
      const form = await openAddRiskForm(deps, profile, options, s.values);
      const guard = await checked(deps, profile, form, s.values, s.now);
      if (Object.keys(guard.errors).length > 0) return answerWithConfirm(form, guard.errors, guard, s.values);
      const risk = await addRisk(deps, profile, { ...scoreAnswers(s.values), risk: (s.values.risk ?? '').trim(), ownerId: s.values.ownerId!, ...(options.disputeId ? { disputeId: options.disputeId } : {}) });
      await auditConfirmed(deps, profile, risk.id, guard.confirmed);
      const card = addedCard(risk, risk.owner.id === profile.memberId, (await partnershipCalendar(deps.db, profile.partnershipId)).zone);
      return { kind: 'done', notice: card, card };
    },
  };
  const review: FormHandler = {
    // Enough to read a submission back (the ids are what matter); the form shown is built from the risk.
    build: (state) => withConfirmFieldToRead({ ...reviewRiskForm({ id: state ?? '', number: 0, risk: '', impact: 3, likelihood: 3, mitigation: '' }), title: 'Review a risk', intro: undefined }),
    open: ({ profile, state }) => openReviewForm(deps, profile, { id: state ?? '' }),
    async submit(s) {
      if (s.intent === 'close') return { kind: 'close', notice: note('No review was recorded.') };
      const profile = s.profile!;
      const form = await openReviewForm(deps, profile, { id: s.state ?? '' }, s.values);
      const guard = await checked(deps, profile, form, s.values, s.now);
      if (Object.keys(guard.errors).length > 0) return answerWithConfirm(form, guard.errors, guard, s.values);
      const risk = await recordReview(deps, profile, { id: s.state ?? '' }, scoreAnswers(s.values));
      await auditConfirmed(deps, profile, risk.id, guard.confirmed);
      const card = reviewedCard(risk, profile.displayName, s.now.toJSDate(), (await partnershipCalendar(deps.db, profile.partnershipId)).zone);
      return { kind: 'done', notice: card, card };
    },
  };
  return { [riskFormIds.add]: add, [riskFormIds.review]: review };
}
