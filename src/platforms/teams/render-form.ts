import type { SubmissionIntent } from '../../interactions/types.js';
import type { FieldErrors, Form, FormField, FormValues } from '../../messaging/message.js';
import { toPlainText } from '../../messaging/markdown.js';
import { teamsMarkdown, teamsPlainText } from './teams-text.js';
import { errorSummaryText } from '../../forms/validate.js';
import { fieldView } from './form-fields.js';
import { expandCardTemplate, type AdaptiveCardJson } from './render-card.js';

const FORM_VERB_PREFIX = 'form:';
/** Teams merges input values into the action's data, so no field may share the keys that carry the form state and the button's intent. */
const STATE_KEY = 'state';
const INTENT_KEY = 'intent';
const INTENTS: readonly SubmissionIntent[] = ['submit', 'back', 'close', 'reload'];
export const SAVE_FOR_LATER_LABEL = 'Save for later';

export type AdaptiveSubmission =
  | { kind: 'action'; actionId: string; value?: string }
  | { kind: 'form'; callbackId: string; state?: string; values: FormValues; intent?: SubmissionIntent };

/**
 * The form as a card; re-rendered with `values` and `errors` it keeps what was typed and shows each error under its
 * field. A page of a longer form shows its step, Back, "Save for later" and, on the review page, the answers.
 */
export function renderAdaptiveForm(form: Form, opts: { values?: FormValues; errors?: FieldErrors } = {}): AdaptiveCardJson {
  const clash = form.fields.find((field) => field.id === STATE_KEY || field.id === INTENT_KEY);
  if (clash) throw new Error(`Form "${form.callbackId}": field id "${clash.id}" is reserved on Teams`);
  const verb = `${FORM_VERB_PREFIX}${form.callbackId}`;
  const state = form.state ?? '';
  const clientChecks = !form.back && !form.keepsDraft;
  const summary = (form.summary ?? []).map((row) => ({ title: teamsPlainText(row.label), value: teamsMarkdown(row.value) }));
  const card = expandCardTemplate('form', {
    title: teamsPlainText(form.title),
    progress: form.progress ? `Step ${form.progress.page} of ${form.progress.of}` : '',
    noticeText: form.notice?.text.trim() ? teamsMarkdown(form.notice.text) : '',
    noticeStyle: form.notice?.tone === 'warning' ? 'warning' : 'emphasis',
    reloadLabel: form.notice?.reload ? toPlainText(form.notice.reload.label) : '',
    intro: form.intro?.trim() ? teamsMarkdown(form.intro) : '',
    verb,
    state,
    fields: form.fields.map((field) => fieldView(field, currentValue(field, opts.values), opts.errors?.[field.id], clientChecks)),
    summary,
    hasSummary: summary.length > 0,
    errorSummary: errorSummary(form, opts.errors),
    actions: formActions(form, verb, state),
  });
  return withoutNulls(card) as AdaptiveCardJson;
}

/** Said next to the buttons, where the person who pressed one is looking: the errors may be further up a long card. */
function errorSummary(form: Form, errors: FieldErrors | undefined): string {
  return errorSummaryText(form.fields.filter((field) => errors?.[field.id]?.trim()).length);
}

function formActions(form: Form, verb: string, state: string): AdaptiveCardJson[] {
  const actions: AdaptiveCardJson[] = [
    { type: 'Action.Execute', title: toPlainText(form.submitLabel) || 'Submit', verb, style: 'positive', data: { [STATE_KEY]: state } },
  ];
  // Both send what was typed (so nothing on the page is lost) without client-side checks (see fieldView).
  if (form.back) actions.push({ type: 'Action.Execute', title: toPlainText(form.back.label) || 'Back', verb, data: { [STATE_KEY]: state, [INTENT_KEY]: 'back' } });
  if (form.keepsDraft) actions.push({ type: 'Action.Execute', title: SAVE_FOR_LATER_LABEL, verb, data: { [STATE_KEY]: state, [INTENT_KEY]: 'close' } });
  if (form.cancel) actions.push({ type: 'Action.Execute', title: toPlainText(form.cancel.label) || 'Cancel', verb, associatedInputs: 'none', data: { [STATE_KEY]: state, [INTENT_KEY]: 'close' } });
  return actions;
}

function currentValue(field: FormField, values: FormValues | undefined): string {
  const value = values && Object.hasOwn(values, field.id) ? values[field.id] : field.initial;
  return value ?? '';
}

/** The template leaves `null` for settings a field does not use (an Input.Number without a minimum); Teams wants them absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/**
 * Parses what Teams sends when a card button is pressed: the `adaptiveCard/action` invoke value
 * ({ action: { type: 'Action.Execute', verb, data } }) or a legacy Action.Submit message value ({ verb, ...data }).
 * Input values arrive merged into `data`; Teams leaves empty inputs out, and empty strings become undefined.
 */
export function readAdaptiveAction(activityValue: unknown): AdaptiveSubmission | undefined {
  if (!isRecord(activityValue)) return undefined;
  let verb: unknown;
  let data: Record<string, unknown>;
  const action = activityValue['action'];
  if (isRecord(action) && action['type'] === 'Action.Execute') {
    verb = action['verb'];
    data = isRecord(action['data']) ? action['data'] : {};
  } else {
    const { verb: legacyVerb, ...rest } = activityValue;
    verb = legacyVerb;
    data = rest;
  }
  if (typeof verb !== 'string' || verb === '') return undefined;
  if (!verb.startsWith(FORM_VERB_PREFIX)) {
    const value = data['value'];
    return { kind: 'action', actionId: verb, ...(typeof value === 'string' ? { value } : {}) };
  }
  const { [STATE_KEY]: state, [INTENT_KEY]: intent, ...inputs } = data;
  const values: FormValues = {};
  for (const [id, raw] of Object.entries(inputs)) {
    if (typeof raw === 'string') values[id] = raw === '' ? undefined : raw;
    else if (typeof raw === 'number' && Number.isFinite(raw)) values[id] = String(raw);
  }
  return {
    kind: 'form',
    callbackId: verb.slice(FORM_VERB_PREFIX.length),
    ...(typeof state === 'string' && state !== '' ? { state } : {}),
    values,
    ...(typeof intent === 'string' && (INTENTS as readonly string[]).includes(intent) && intent !== 'submit' ? { intent: intent as SubmissionIntent } : {}),
  };
}

/** Every field of `form` with what was sent for it: Teams leaves emptied inputs out, and an absent answer is a cleared one. */
export function formValuesFrom(form: Pick<Form, 'fields'>, values: FormValues): FormValues {
  return Object.fromEntries(form.fields.map((field) => [field.id, values[field.id]]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
