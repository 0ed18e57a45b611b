import type { FieldErrors, Form, FormField, FormValues } from '../../messaging/message.js';
import { toPlainText, toTeamsMarkdown } from '../../messaging/markdown.js';
import { expandCardTemplate, type AdaptiveCardJson } from './render-card.js';

const FORM_VERB_PREFIX = 'form:';
/** Teams merges input values into the action's data, so no field may share the key that carries the form state. */
const STATE_KEY = 'state';
// Matches Slack's plain_text_input cap so one validator serves both platforms.
const MAX_INPUT_LENGTH = 3000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export type AdaptiveSubmission =
  | { kind: 'action'; actionId: string; value?: string }
  | { kind: 'form'; callbackId: string; state?: string; values: FormValues };

type FieldView = {
  kind: 'text' | 'choice' | 'date';
  id: string;
  label: string;
  required: boolean;
  requiredMessage: string;
  placeholder: string;
  maxLength: number;
  multiline: boolean;
  value: string;
  choices: { title: string; value: string }[];
  hint: string;
  error: string;
};

/** The form as a card; re-rendered with `values` and `errors` it keeps what was typed and shows each error under its field. */
export function renderAdaptiveForm(form: Form, opts: { values?: FormValues; errors?: FieldErrors } = {}): AdaptiveCardJson {
  const clash = form.fields.find((field) => field.id === STATE_KEY);
  if (clash) throw new Error(`Form "${form.callbackId}": field id "${STATE_KEY}" is reserved on Teams`);
  return expandCardTemplate('form', {
    title: toPlainText(form.title),
    intro: form.intro?.trim() ? toTeamsMarkdown(form.intro) : '',
    submitLabel: toPlainText(form.submitLabel) || 'Submit',
    verb: `${FORM_VERB_PREFIX}${form.callbackId}`,
    state: form.state ?? '',
    fields: form.fields.map((field) => fieldView(field, currentValue(field, opts.values), opts.errors?.[field.id])),
  });
}

function currentValue(field: FormField, values: FormValues | undefined): string {
  const value = values && Object.hasOwn(values, field.id) ? values[field.id] : field.initial;
  return value ?? '';
}

function fieldView(field: FormField, value: string, error: string | undefined): FieldView {
  const label = toPlainText(field.label) || field.id;
  const view: FieldView = {
    kind: 'text',
    id: field.id,
    label,
    required: field.required === true,
    requiredMessage: `${label} is required.`,
    placeholder: '',
    maxLength: MAX_INPUT_LENGTH,
    multiline: false,
    value,
    choices: [],
    hint: field.hint?.trim() ? toTeamsMarkdown(field.hint) : '',
    error: error?.trim() ? toPlainText(error) : '',
  };
  switch (field.kind) {
    case 'text':
    case 'longText':
      view.multiline = field.kind === 'longText';
      view.placeholder = field.placeholder ? toPlainText(field.placeholder) : '';
      view.maxLength = Math.min(field.maxLength ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH);
      return view;
    case 'choice':
      view.kind = 'choice';
      view.choices = field.options.map((option) => ({ title: toPlainText(option.label) || option.value, value: option.value }));
      view.value = view.choices.some((choice) => choice.value === value) ? value : '';
      return view;
    case 'date':
      view.kind = 'date';
      view.value = ISO_DATE.test(value) ? value : '';
      return view;
  }
}

/**
 * Parses what Teams sends when a card button is pressed: the `adaptiveCard/action` invoke value
 * ({ action: { type: 'Action.Execute', verb, data } }) or a legacy Action.Submit message value ({ verb, ...data }).
 * Input values arrive merged into `data`; empty inputs become undefined.
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
  const { [STATE_KEY]: state, ...inputs } = data;
  const values: FormValues = {};
  for (const [id, raw] of Object.entries(inputs)) {
    if (typeof raw === 'string') values[id] = raw === '' ? undefined : raw;
  }
  return {
    kind: 'form',
    callbackId: verb.slice(FORM_VERB_PREFIX.length),
    ...(typeof state === 'string' && state !== '' ? { state } : {}),
    values,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
