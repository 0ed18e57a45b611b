import { answerWithConfirm, auditConfirmedFalsePositive, guardWithConfirm, withConfirmFieldToRead } from '../../forms/identifying-confirm.js';
import { withMemberOptions } from '../../forms/member-options.js';
import { validateFields } from '../../forms/validate.js';
import type { FormHandler } from '../../interactions/types.js';
import type { FieldErrors, Form, FormField, FormValues, Message } from '../../messaging/message.js';
import type { Db } from '../../store/db.js';
import type { FeatureDeps } from '../contract.js';
import { DISPUTE_LIMITS, describeLimit, disputeForms, startingStage, type DisputePolicy } from './model.js';
import { policyOf } from './people.js';
import { disputePolicy } from './schema.js';
import { raiseDispute } from './service-raise.js';

const FREE_TEXT = ['subject', 'caseRef', 'tried', 'outcomeSought'] as const;

function fields(policy: DisputePolicy, agencies: { value: string; label: string }[]): FormField[] {
  const urgentStage = policy.stages[startingStage(policy, true)]!;
  return [
    { kind: 'choice', id: 'otherAgency', label: 'The other agency', required: true, style: 'select', options: agencies },
    { kind: 'member', id: 'otherParty', label: 'The person you disagree with', required: true, hint: 'They get a card to agree an outcome with you.' },
    { kind: 'text', id: 'subject', label: 'What the disagreement is about', required: true, maxLength: DISPUTE_LIMITS.subject, placeholder: 'e.g. the threshold decision on a referral' },
    { kind: 'text', id: 'caseRef', label: 'Case reference (if about a case)', maxLength: DISPUTE_LIMITS.caseRef, placeholder: 'e.g. CR-2031' },
    { kind: 'longText', id: 'tried', label: 'What has been tried so far', required: true, maxLength: DISPUTE_LIMITS.tried },
    { kind: 'longText', id: 'outcomeSought', label: 'The outcome you are seeking', required: true, maxLength: DISPUTE_LIMITS.outcomeSought },
    {
      kind: 'choice', id: 'urgency', label: 'Urgency', required: true, style: 'radio', initial: 'standard',
      hint: `Standard starts at stage 1 (${policy.stages[0]!.name}). Immediate risk starts at ${urgentStage.name}${policy.urgent.limit ? ` with ${describeLimit(policy.urgent.limit)} per stage` : ''}.`,
      options: [
        { value: 'standard', label: 'Standard' },
        { value: 'immediate', label: 'A child is at immediate risk' },
      ],
    },
  ];
}

function shell(fieldList: FormField[], typed: FormValues = {}): Form {
  return {
    callbackId: disputeForms.raise,
    title: 'Raise a disagreement',
    submitLabel: 'Raise',
    cancel: { label: 'Cancel' },
    intro: 'Resolve it at the lowest level you can: the other person gets a card to agree an outcome with you, and it escalates stage by stage if time runs out. Case references only: no names, dates of birth or addresses.',
    fields: fieldList.map((f) => ({ ...f, ...(typed[f.id] !== undefined ? { initial: typed[f.id] } : {}) }) as FormField),
  };
}

async function agencyOptions(db: Db, partnershipId: string, ownAgencyId: string | undefined) {
  const agencies = await db.agency.findMany({ where: { partnershipId, active: true, ...(ownAgencyId ? { id: { not: ownAgencyId } } : {}) }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  return agencies.map((a) => ({ value: a.id, label: a.name }));
}

/** The raise form with the partnership's agencies and members, keeping anything already typed. */
export async function raiseForm(deps: FeatureDeps, partnershipId: string, typed: FormValues = {}, ownAgencyId?: string): Promise<Form> {
  const policy = await policyOf(deps.db, partnershipId);
  const form = shell(fields(policy, await agencyOptions(deps.db, partnershipId, ownAgencyId)), typed);
  return { ...form, fields: await withMemberOptions(deps.db, partnershipId, form.fields) };
}

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

/** The person chosen must be with the agency chosen (one named without an agency may be with any). */
async function agencyMismatch(db: Db, memberId: string, agencyId: string): Promise<string | undefined> {
  const member = await db.member.findUnique({ where: { id: memberId }, select: { displayName: true, agencyId: true, agency: { select: { name: true } } } });
  if (!member?.agencyId || member.agencyId === agencyId) return undefined;
  const chosen = await db.agency.findUnique({ where: { id: agencyId }, select: { name: true } });
  return `${member.displayName} is with ${member.agency?.name ?? 'another agency'}, not ${chosen?.name ?? 'the agency chosen'}: choose someone there, or change the agency.`;
}

export function raiseFormHandler(deps: FeatureDeps): FormHandler {
  return {
    build: () => withConfirmFieldToRead(shell(fields({ ...disputePolicy({}) }, []))),
    open: (request) => raiseForm(deps, request.profile.partnershipId, {}, request.profile.agency?.id),
    async submit(s) {
      const profile = s.profile!;
      if (s.intent === 'close') return { kind: 'close', notice: note('Nothing was raised.') };
      const form = await raiseForm(deps, profile.partnershipId, s.values, profile.agency?.id);
      const errors: FieldErrors = validateFields(form.fields, s.values);
      const v = (id: string) => (s.values[id] ?? '').trim();
      const guard = guardWithConfirm(s.values, FREE_TEXT, errors);
      if (!errors.otherParty && v('otherParty') === profile.memberId) errors.otherParty = 'Choose the other person, not yourself.';
      if (!errors.otherParty && !errors.otherAgency) {
        const problem = await agencyMismatch(deps.db, v('otherParty'), v('otherAgency'));
        if (problem) errors.otherParty = problem;
      }
      if (Object.keys(errors).length > 0) return answerWithConfirm(form, errors, guard, s.values);
      const d = await raiseDispute(deps, profile, {
        otherPartyId: v('otherParty'), otherAgencyId: v('otherAgency') || undefined, subject: v('subject'), tried: v('tried'), outcomeSought: v('outcomeSought'),
        caseRef: v('caseRef') || undefined, urgent: v('urgency') === 'immediate',
      });
      await auditConfirmedFalsePositive(deps.db, {
        partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId,
        action: 'disputes.identifying.confirmed', subjectType: 'dispute', subjectId: d.id, fields: guard.confirmed,
      });
      const line = `Raised: dispute #${d.number}. ${d.otherParty.name} has been told and can agree an outcome with you from their card.`;
      // The details went to the raiser's own chat (raiseDispute): a form opened in a channel or group chat would show them to everyone there.
      // No separate notice: the card with the details is that message (Slack shows it as a DM; Teams in the chat).
      return { kind: 'done', card: note(`${line} The details are in your direct chat with me.`) };
    },
  };
}
