/*
 * The guard's way out for a false positive: a flagged field's form comes back with a tick box ("I have checked: these
 * are not identifying details"); sent with it ticked, the text goes through and the feature records who confirmed
 * it, and for which fields, in the audit log. Never the text itself.
 */
import { recordAudit } from '../core/audit.js';
import type { SubmissionResult } from '../interactions/types.js';
import type { FieldErrors, Form, FormField, FormValues, MultiChoiceField } from '../messaging/message.js';
import type { Tx } from '../store/db.js';
import { identifyingDetailsProblem } from './identifying-details.js';
import { splitChoices } from './validate.js';

/** The confirm field's id. */
export const CONFIRM_NOT_IDENTIFYING = 'confirmNotIdentifying';
/** The value of its one option. */
export const CONFIRM_NOT_IDENTIFYING_VALUE = 'checked';

export const isConfirmedNotIdentifying = (values: FormValues): boolean => splitChoices(values[CONFIRM_NOT_IDENTIFYING]).includes(CONFIRM_NOT_IDENTIFYING_VALUE);

/**
 * The identifying-details guard over these fields (those holding text with no other error yet). Unticked, each field
 * it flags gets its note in `errors` and is listed in `flagged`; ticked, they are no errors but are listed in
 * `confirmed`, for the feature to audit once the submission is saved. Returns `errors` (changed in place) too.
 */
export function guardWithConfirm(values: FormValues, fieldIds: readonly string[], errors: FieldErrors): { errors: FieldErrors; flagged: string[]; confirmed: string[] } {
  const ticked = isConfirmedNotIdentifying(values);
  const flagged: string[] = [];
  const confirmed: string[] = [];
  for (const id of fieldIds) {
    const value = values[id]?.trim();
    const problem = value && !errors[id] ? identifyingDetailsProblem(value) : undefined;
    if (!problem) continue;
    if (ticked) confirmed.push(id);
    else {
      errors[id] = problem;
      flagged.push(id);
    }
  }
  return { errors, flagged, confirmed };
}

/** The tick box, ticked or not. */
export function confirmNotIdentifyingField(ticked = false): MultiChoiceField {
  return {
    kind: 'multiChoice',
    id: CONFIRM_NOT_IDENTIFYING,
    label: 'Not identifying?',
    options: [{ value: CONFIRM_NOT_IDENTIFYING_VALUE, label: 'I have checked: these are not identifying details' }],
    hint: 'Only when the note about identifying details is wrong. Your confirmation is recorded in the audit log with your name (not what you typed).',
    ...(ticked ? { initial: CONFIRM_NOT_IDENTIFYING_VALUE } : {}),
  };
}

/**
 * `form` showing what was typed (`values`), with the tick box last when a field was flagged or confirmed (or the
 * person had ticked it already). Without either it is `form` with the typed values only.
 */
export function withConfirmField(form: Form, flaggedOrConfirmed: readonly string[], values: FormValues): Form {
  const fields = form.fields.filter((f) => f.id !== CONFIRM_NOT_IDENTIFYING).map((f) => (values[f.id] !== undefined ? ({ ...f, initial: values[f.id] } as FormField) : f));
  const ticked = isConfirmedNotIdentifying(values);
  if (flaggedOrConfirmed.length === 0 && !ticked) return { ...form, fields };
  return { ...form, fields: [...fields, confirmNotIdentifyingField(ticked)] };
}

/**
 * `form` with the tick box (unticked), for a form handler's `build`: platforms read back only the fields `build`
 * lists, so a tick would otherwise be lost.
 */
export function withConfirmFieldToRead(form: Form): Form {
  return { ...form, fields: [...form.fields.filter((f) => f.id !== CONFIRM_NOT_IDENTIFYING), confirmNotIdentifyingField()] };
}

/**
 * The answer to a submission with errors, showing the tick box when guardWithConfirm flagged or let through a field.
 * With a field flagged the form comes back as a page, drawn again: Slack shows errors only on the blocks of the open
 * modal, and the tick box may not be one of them yet.
 */
export function answerWithConfirm(form: Form, errors: FieldErrors, guard: { flagged: readonly string[]; confirmed: readonly string[] }, values: FormValues): SubmissionResult {
  const shown = withConfirmField(form, [...guard.flagged, ...guard.confirmed], values);
  return guard.flagged.length > 0 ? { kind: 'page', form: shown, errors } : { kind: 'errors', errors, form: shown };
}

export interface ConfirmedFalsePositive {
  partnershipId: string;
  /** The display name of who confirmed. */
  actor: string;
  actorMemberId: string;
  /** The feature's audit action, e.g. `disputes.identifying.confirmed`. */
  action: string;
  /** What was saved: the dispute, risk or return the text went into. */
  subjectType: string;
  subjectId: string;
  /** The field ids confirmed (never their text). */
  fields: readonly string[];
}

/** Records who confirmed that flagged text was not identifying, and in which fields. Nothing when no field was confirmed. */
export async function auditConfirmedFalsePositive(tx: Tx, entry: ConfirmedFalsePositive): Promise<void> {
  if (entry.fields.length === 0) return;
  await recordAudit(tx, {
    partnershipId: entry.partnershipId,
    actor: entry.actor,
    actorMemberId: entry.actorMemberId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data: { fields: [...entry.fields] },
  });
}
