// One neutral field as the data the form template turns into an Adaptive Card input.
import type { FormField } from '../../messaging/message.js';
import { toPlainText } from '../../messaging/markdown.js';
import { teamsMarkdown, teamsPlainText } from './teams-text.js';

// Matches Slack's plain_text_input cap so one validator serves both platforms.
const MAX_INPUT_LENGTH = 3000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;
/** Radio buttons / checkboxes for short lists; longer ones become a drop-down (with type-ahead for long lists). */
const EXPANDED_MAX = 10;
const FILTERED_FROM = 15;

/** Template data for one input. `null` settings are dropped from the card. */
export interface FieldView {
  kind: 'text' | 'number' | 'choice' | 'date';
  id: string;
  label: string;
  required: boolean;
  errorMessage: string;
  placeholder: string;
  maxLength: number | null;
  multiline: boolean;
  textStyle: 'text' | 'Url';
  min: number | null;
  max: number | null;
  numberValue: number | null;
  choiceStyle: 'compact' | 'expanded' | 'filtered';
  multiSelect: boolean;
  choices: { title: string; value: string }[];
  value: string;
  hint: string;
  error: string;
}

/**
 * `clientChecks`: let Teams check required inputs and number ranges before sending. Off on forms with Back or
 * "Save for later": Teams runs those checks for every button that sends the inputs, and going back must work
 * with a half-filled page. The server's validator checks every submission either way.
 */
export function fieldView(field: FormField, value: string, error: string | undefined, clientChecks: boolean): FieldView {
  const label = toPlainText(field.label) || field.id;
  const required = field.required === true;
  const view: FieldView = {
    kind: 'text',
    id: field.id,
    label: required && !clientChecks ? `${label} (required)` : label,
    required: required && clientChecks,
    errorMessage: field.errorText?.trim() ? toPlainText(field.errorText) : `${label} is required.`,
    placeholder: 'placeholder' in field && field.placeholder ? toPlainText(field.placeholder) : '',
    maxLength: null,
    multiline: false,
    textStyle: 'text',
    min: null,
    max: null,
    numberValue: null,
    choiceStyle: 'compact',
    multiSelect: false,
    choices: [],
    value,
    hint: field.hint?.trim() ? teamsMarkdown(field.hint) : '',
    error: error?.trim() ? teamsPlainText(error) : '',
  };
  switch (field.kind) {
    case 'text':
    case 'longText':
      view.multiline = field.kind === 'longText';
      view.maxLength = Math.min(field.maxLength ?? MAX_INPUT_LENGTH, MAX_INPUT_LENGTH);
      return view;
    case 'url':
      view.textStyle = 'Url';
      view.maxLength = MAX_INPUT_LENGTH;
      return view;
    case 'number':
      view.kind = 'number';
      view.numberValue = NUMBER.test(value.trim()) ? Number(value.trim()) : null;
      if (clientChecks) {
        view.min = field.min ?? null;
        view.max = field.max ?? null;
        if (!field.errorText?.trim() && (field.min !== undefined || field.max !== undefined)) view.errorMessage = `${label}: enter a number from ${field.min ?? 'any'} to ${field.max ?? 'any'}.`;
      }
      return view;
    case 'date':
      view.kind = 'date';
      view.value = ISO_DATE.test(value) ? value : '';
      return view;
    case 'choice':
    case 'member':
    case 'multiChoice': {
      const options = field.options ?? [];
      view.kind = 'choice';
      view.choices = options.map((option) => ({ title: toPlainText(option.label) || option.value, value: option.value }));
      const known = new Set(options.map((o) => o.value));
      view.multiSelect = field.kind === 'multiChoice';
      view.value = view.multiSelect ? value.split(',').map((v) => v.trim()).filter((v) => known.has(v)).join(',') : known.has(value) ? value : '';
      const expanded = (field.kind === 'multiChoice' || (field.kind === 'choice' && field.style === 'radio')) && options.length <= EXPANDED_MAX;
      view.choiceStyle = expanded ? 'expanded' : options.length >= FILTERED_FROM && !view.multiSelect ? 'filtered' : 'compact';
      return view;
    }
  }
}
