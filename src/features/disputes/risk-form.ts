import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay } from '../../core/day-format.js';
import { guardWithConfirm } from '../../forms/identifying-confirm.js';
import { validateFields } from '../../forms/validate.js';
import type { FieldErrors, FieldOption, Form, FormField, FormValues } from '../../messaging/message.js';
import { RISK_LIMITS, RISK_SCALE, type RiskView } from './model.js';
import { IMPACT_WORDS, LIKELIHOOD_WORDS } from './risk-cards.js';
import { riskFormIds } from './risk-policy.js';

/** Where an added risk comes from: a dispute (its card's "Add to risk register"), or nowhere in particular. */
export interface AddRiskOptions {
  disputeId?: string;
  disputeNumber?: number;
}

/** What the add form shows besides its fields' rules: what was typed, the members to pick from, the owner to start with. */
export interface FormFill {
  typed?: FormValues;
  members?: FieldOption[];
  ownerId?: string;
}

export function encodeAddState(options: AddRiskOptions): string {
  return options.disputeId ? JSON.stringify({ d: options.disputeId, n: options.disputeNumber }) : '';
}

/** The dispute named by an add form's state; checked against the partnership again on submission. */
export function readAddState(state: string | undefined): AddRiskOptions {
  if (!state) return {};
  try {
    const parsed = JSON.parse(state) as { d?: unknown; n?: unknown };
    return typeof parsed.d === 'string' ? { disputeId: parsed.d, ...(typeof parsed.n === 'number' ? { disputeNumber: parsed.n } : {}) } : {};
  } catch {
    return {};
  }
}

const scale = (words: readonly string[]): FieldOption[] => RISK_SCALE.map((n) => ({ value: String(n), label: `${n} – ${words[n - 1]}` }));
const initialOf = (fill: FormFill, id: string, fallback?: string) => (fill.typed && Object.hasOwn(fill.typed, id) ? fill.typed[id] : fallback);
const CASE_REFS = 'Case references only: no names, dates of birth, addresses or contact details.';

function scoreFields(fill: FormFill, current?: Pick<RiskView, 'impact' | 'likelihood'>): FormField[] {
  return [
    { kind: 'choice', id: 'impact', label: 'Impact if it happens', required: true, style: 'radio', options: scale(IMPACT_WORDS), initial: initialOf(fill, 'impact', current ? String(current.impact) : undefined) },
    { kind: 'choice', id: 'likelihood', label: 'Likelihood', required: true, style: 'radio', options: scale(LIKELIHOOD_WORDS), initial: initialOf(fill, 'likelihood', current ? String(current.likelihood) : undefined) },
  ];
}

const mitigationField = (fill: FormFill, current?: string): FormField => ({
  kind: 'longText', id: 'mitigation', label: 'Mitigation', required: true, maxLength: RISK_LIMITS.mitigation,
  placeholder: 'What is being done to reduce it, and by whom', hint: CASE_REFS, initial: initialOf(fill, 'mitigation', current),
});

const reviewField = (fill: FormFill, label: string): FormField => ({
  kind: 'date', id: 'reviewOn', label, required: true, hint: 'A working day, today or later. The owner is reminded before it.', initial: initialOf(fill, 'reviewOn'),
});

/** The add form; on a dispute's card it names the dispute. Fill in `members` before showing it (riskActions does). */
export function addRiskForm(options: AddRiskOptions, fill: FormFill = {}): Form {
  const from = options.disputeNumber ? ` It will be linked to dispute #${options.disputeNumber}.` : '';
  return {
    callbackId: riskFormIds.add,
    title: 'Add to the risk register',
    submitLabel: 'Add risk',
    cancel: { label: 'Cancel' },
    state: encodeAddState(options),
    intro: `A risk to the partnership meeting its duties, scored by impact and likelihood (1 to 5 each) and reviewed by its owner and the Executive.${from}`,
    fields: [
      {
        kind: 'text', id: 'risk', label: 'Risk', required: true, maxLength: RISK_LIMITS.risk,
        placeholder: 'e.g. Health partners cannot attend strategy meetings from April', hint: `One line. ${CASE_REFS}`, initial: initialOf(fill, 'risk'),
      },
      ...scoreFields(fill),
      { kind: 'member', id: 'ownerId', label: 'Owner', required: true, hint: 'Reminded before each review date.', ...(fill.members ? { options: fill.members } : {}), initial: initialOf(fill, 'ownerId', fill.ownerId) },
      mitigationField(fill),
      reviewField(fill, 'Review date'),
    ],
  };
}

/** Recording a review: the score and mitigation as they stand now, and the next review date. */
export function reviewRiskForm(risk: Pick<RiskView, 'id' | 'number' | 'risk' | 'impact' | 'likelihood' | 'mitigation'>, fill: FormFill = {}): Form {
  return {
    callbackId: riskFormIds.review,
    title: `Review risk #${risk.number}`,
    submitLabel: 'Record review',
    cancel: { label: 'Cancel' },
    state: risk.id,
    intro: `*${risk.risk}*\nChange the score or the mitigation if they have changed, and set the next review date.`,
    fields: [...scoreFields(fill, risk), mitigationField(fill, risk.mitigation), reviewField(fill, 'Next review date')],
  };
}

/** Why a review date cannot be used, or undefined: already past, or not a working day (the reminders go on working days). */
export function reviewDateProblem(reviewOn: string, calendar: WorkingCalendar, now: DateTime): string | undefined {
  const zone = calendar.zone;
  const today = now.setZone(zone).toISODate()!;
  if (reviewOn < today) return `${formatDay(reviewOn, zone)} has passed; give today or a later date.`;
  const day = DateTime.fromISO(reviewOn, { zone }).set({ hour: 12 });
  if (calendar.isWorkingDay(day)) return undefined;
  const before = calendar.addWorkingDays(day, -1).toISODate()!;
  const after = formatDay(calendar.nextWorkingDay(day).toISODate()!, zone);
  return before >= today ? `${formatDay(reviewOn, zone)} is not a working day: give ${formatDay(before, zone)} or ${after}.` : `${formatDay(reviewOn, zone)} is not a working day: give ${after}.`;
}

/**
 * Every problem with a submission, keyed by field: each field's own rules, then identifying details in the free text
 * (risk, mitigation; `flagged`, or `confirmed` when the person ticked that they are not) and the review date.
 */
export function riskAnswerCheck(form: Form, values: FormValues, calendar: WorkingCalendar, now: DateTime): { errors: FieldErrors; flagged: string[]; confirmed: string[] } {
  const guard = guardWithConfirm(values, ['risk', 'mitigation'], validateFields(form.fields, values));
  const { errors } = guard;
  const reviewOn = values.reviewOn?.trim();
  const dateProblem = reviewOn && !errors.reviewOn ? reviewDateProblem(reviewOn, calendar, now) : undefined;
  if (dateProblem) errors.reviewOn = dateProblem;
  return guard;
}

/** riskAnswerCheck's errors: empty when all is well. */
export function riskAnswerErrors(form: Form, values: FormValues, calendar: WorkingCalendar, now: DateTime): FieldErrors {
  return riskAnswerCheck(form, values, calendar, now).errors;
}

/** The answers of a checked submission. */
export function scoreAnswers(values: FormValues): { impact: number; likelihood: number; mitigation: string; reviewOn: string } {
  return { impact: Number(values.impact), likelihood: Number(values.likelihood), mitigation: (values.mitigation ?? '').trim(), reviewOn: (values.reviewOn ?? '').trim() };
}
