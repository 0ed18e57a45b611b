import { formatDay } from '../../core/day-format.js';
import { answerWithConfirm, guardWithConfirm, withConfirmFieldToRead } from '../../forms/identifying-confirm.js';
import { splitChoices, validateFields } from '../../forms/validate.js';
import type { FormHandler } from '../../interactions/types.js';
import type { FieldErrors, FieldOption, Form, FormField, Message } from '../../messaging/message.js';
import type { Db } from '../../store/db.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import type { FeatureDeps } from '../contract.js';
import { nationalBody, REVIEW_LIMITS, REVIEW_TYPES, reviewForms, reviewTypeNames, type ReviewType } from './model.js';
import { notifyReview } from './service-notify.js';

const GUARDED = ['caseRef', 'summary'] as const;
const CASE_REF = /^[A-Za-z0-9][A-Za-z0-9/_.-]*$/;

function fields(agencies: FieldOption[]): FormField[] {
  return [
    { kind: 'choice', id: 'type', label: 'Type', required: true, style: 'radio', options: REVIEW_TYPES.map((t) => ({ value: t, label: reviewTypeNames[t] })) },
    { kind: 'text', id: 'caseRef', label: 'Case reference', required: true, maxLength: REVIEW_LIMITS.caseRef, placeholder: 'e.g. CSPR-2027-004', hint: 'The reference in the case system: letters, digits and - / _ . only.' },
    { kind: 'date', id: 'awareOn', label: 'The day the partnership became aware (for a DHR: the police notification)', required: true, hint: 'Day 0: the clocks count working days from the day after.' },
    { kind: 'date', id: 'nationalNotifiedOn', label: 'National notification made on (Panel and Ofsted; Home Office for a DHR)', hint: 'Leave empty if it has not been made yet: the group can record it later.' },
    { kind: 'multiChoice', id: 'agencies', label: 'Agencies involved', options: agencies, hint: 'Their safeguarding leads are asked to send a chronology by the secure route.' },
    {
      kind: 'choice', id: 'jointWith', label: 'May it also need another kind of review?', style: 'select', initial: 'none',
      options: [{ value: 'none', label: 'No' }, ...REVIEW_TYPES.filter((t) => t !== 'learning').map((t) => ({ value: t, label: `Also: ${reviewTypeNames[t]}` }))],
      hint: 'A joint case: the chairs agree at the outset which process leads.',
    },
    { kind: 'longText', id: 'summary', label: 'Brief summary (no names, dates of birth or addresses)', required: true, maxLength: REVIEW_LIMITS.summary, hint: 'Case details belong in the case system; this goes only to the group\'s members.' },
  ];
}

function shell(fieldList: FormField[]): Form {
  return {
    callbackId: reviewForms.notify,
    title: 'Notify a case review',
    submitLabel: 'Send to the group',
    cancel: { label: 'Cancel' },
    intro: 'Goes privately to the Practice Review Group (or the group your partnership names for the type), with the statutory clocks. Case references only.',
    fields: fieldList,
  };
}

async function agencyOptions(db: Db, partnershipId: string): Promise<FieldOption[]> {
  const rows = await db.agency.findMany({ where: { partnershipId, active: true }, select: { id: true, name: true } });
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' })).map((a) => ({ value: a.id, label: a.name }));
}

export async function notifyForm(deps: FeatureDeps, partnershipId: string): Promise<Form> {
  return shell(fields(await agencyOptions(deps.db, partnershipId)));
}

const note = (text: string): Message => ({ text, sections: [{ kind: 'text', text }] });

/** Rules beyond each field's own: dates in order and not in the future, the reference's shape, a joint case with another type. */
function crossFieldErrors(v: (id: string) => string, errors: FieldErrors, today: string, zone: string): void {
  const type = v('type') as ReviewType;
  if (!errors.caseRef && v('caseRef') && !CASE_REF.test(v('caseRef'))) errors.caseRef = 'Use the case system\'s reference: letters, digits and - / _ . only, no spaces.';
  if (!errors.awareOn && v('awareOn') > today) errors.awareOn = `That is after today (${formatDay(today, zone)}): give the day the partnership became aware.`;
  const notified = v('nationalNotifiedOn');
  if (notified && !errors.nationalNotifiedOn) {
    if (type && !nationalBody[type]) errors.nationalNotifiedOn = `A ${reviewTypeNames[type].toLowerCase()} has no national notification: leave this empty.`;
    else if (notified > today) errors.nationalNotifiedOn = 'That is after today: record it once it has been made.';
    else if (v('awareOn') && notified < v('awareOn')) errors.nationalNotifiedOn = 'That is before the partnership became aware: check both dates.';
  }
  if (!errors.jointWith && v('jointWith') === type) errors.jointWith = 'Choose a different kind of review, or No.';
}

export function notifyFormHandler(deps: FeatureDeps): FormHandler {
  return {
    build: () => withConfirmFieldToRead(shell(fields([]))),
    open: (request) => notifyForm(deps, request.profile.partnershipId),
    async submit(s) {
      const profile = s.profile!;
      if (s.intent === 'close') return { kind: 'close', notice: note('Nothing was sent.') };
      const form = await notifyForm(deps, profile.partnershipId);
      const errors: FieldErrors = validateFields(form.fields, s.values);
      const v = (id: string) => (s.values[id] ?? '').trim();
      const calendar = await partnershipCalendar(deps.db, profile.partnershipId);
      crossFieldErrors(v, errors, s.now.setZone(calendar.zone).toISODate()!, calendar.zone);
      const guard = guardWithConfirm(s.values, GUARDED, errors);
      if (Object.keys(errors).length > 0) return answerWithConfirm(form, errors, guard, s.values);
      const type = v('type') as ReviewType;
      const joint = v('jointWith');
      const { review, groupName, members } = await notifyReview(deps, profile, {
        type, caseRef: v('caseRef'), awareOn: v('awareOn'), nationalNotifiedOn: v('nationalNotifiedOn') || undefined,
        agencyIds: splitChoices(s.values.agencies), jointWith: joint && joint !== 'none' ? (joint as ReviewType) : undefined, summary: v('summary'),
        confirmedFields: guard.confirmed,
      });
      const line = `Sent privately to the ${groupName} (${members} member${members === 1 ? '' : 's'}): review #${review.number}, case ${review.caseRef}. The clocks are running from ${formatDay(review.awareOn, calendar.zone)}.`;
      return { kind: 'done', card: note(`${line} Type \`review status ${review.number}\` to follow it.`) };
    },
  };
}
