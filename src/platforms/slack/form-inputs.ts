// One Block Kit input element per neutral field kind, and reading a modal's state back into neutral values.
import type { InputBlock, Option, PlainTextOption } from '@slack/types';
import type { FieldOption, FormField, FormValues } from '../../messaging/message.js';
import { SLACK_LIMITS, truncate } from './block-limits.js';
import { slackPlain } from './render-message.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;
/** Slack's radio buttons and checkboxes hold at most 10 options; longer lists become a drop-down. */
const RADIO_MAX_OPTIONS = 10;
const OPTION_GROUPS_MAX = 100;

/** Block ids must fit Slack's limit; reading values back uses the same mapping, so the cut is harmless. */
export function slackBlockId(fieldId: string): string {
  return fieldId.slice(0, SLACK_LIMITS.blockId);
}

type Element = InputBlock['element'];

/** The input element for a field showing `value`; undefined for a picker with nothing to pick. */
export function slackInputElement(field: FormField, value: string | undefined): Element | undefined {
  const action_id = slackBlockId(field.id);
  const placeholder = 'placeholder' in field && field.placeholder?.trim() ? { placeholder: { type: 'plain_text' as const, text: slackPlain(field.placeholder, SLACK_LIMITS.placeholder) } } : {};
  switch (field.kind) {
    case 'text':
    case 'longText': {
      const maxLength = Math.min(field.maxLength ?? SLACK_LIMITS.plainTextInputMaxLength, SLACK_LIMITS.plainTextInputMaxLength);
      // The typed value, not a summary of it: cut to what the input accepts without an ellipsis.
      const initial = value ? { initial_value: value.slice(0, maxLength) } : {};
      return { type: 'plain_text_input', action_id, multiline: field.kind === 'longText', max_length: maxLength, ...placeholder, ...initial };
    }
    case 'url':
      return { type: 'url_text_input', action_id, ...placeholder, ...(value ? { initial_value: value } : {}) };
    case 'number': {
      // Range and whole-number rules are checked by the shared validator, so its words (and errorText) are what people see.
      const initial = value && NUMBER.test(value.trim()) ? { initial_value: value.trim() } : {};
      return { type: 'number_input', action_id, is_decimal_allowed: !field.integer, ...placeholder, ...initial };
    }
    case 'date':
      return { type: 'datepicker', action_id, ...(value && ISO_DATE.test(value) ? { initial_date: value } : {}) };
    case 'choice': {
      const options = field.options.map(slackOption);
      const selected = options.find((option) => option.value === value);
      if (field.style === 'radio' && options.length <= RADIO_MAX_OPTIONS) {
        return { type: 'radio_buttons', action_id, options, ...(selected ? { initial_option: selected } : {}) };
      }
      return { type: 'static_select', action_id, ...optionList(options), ...(selected ? { initial_option: selected } : {}) };
    }
    case 'member': {
      const options = (field.options ?? []).map(slackOption);
      if (options.length === 0) return undefined;
      const selected = options.find((option) => option.value === value);
      return { type: 'static_select', action_id, ...optionList(options), ...(selected ? { initial_option: selected } : {}) };
    }
    case 'multiChoice': {
      const options = field.options.map(slackOption);
      const chosen = new Set((value ?? '').split(',').map((v) => v.trim()));
      const initial = options.filter((option) => chosen.has(option.value ?? ''));
      // One option is a tick box ("I have checked…"), not a list to pick from.
      if (options.length === 1) return { type: 'checkboxes', action_id, options, ...(initial.length > 0 ? { initial_options: initial } : {}) };
      return {
        type: 'multi_static_select',
        action_id,
        ...optionList(options),
        ...(initial.length > 0 ? { initial_options: initial } : {}),
        ...(field.maxSelected !== undefined ? { max_selected_items: Math.max(field.maxSelected, 1) } : {}),
      };
    }
  }
}

function slackOption(option: FieldOption): PlainTextOption {
  return { text: { type: 'plain_text', text: slackPlain(option.label, SLACK_LIMITS.optionText) || option.value }, value: option.value };
}

/**
 * A select holds 100 options; longer lists (a partnership's members) are split into alphabetical groups of 100,
 * up to 100 groups. Options beyond 10,000 are left out.
 */
function optionList(options: PlainTextOption[]): { options: PlainTextOption[] } | { option_groups: { label: { type: 'plain_text'; text: string }; options: PlainTextOption[] }[] } {
  if (options.length <= SLACK_LIMITS.options) return { options };
  const groups = [];
  for (let i = 0; i < options.length && groups.length < OPTION_GROUPS_MAX; i += SLACK_LIMITS.options) {
    const chunk = options.slice(i, i + SLACK_LIMITS.options);
    const label = `${truncate(chunk[0]!.text.text, 36)} – ${truncate(chunk[chunk.length - 1]!.text.text, 36)}`;
    groups.push({ label: { type: 'plain_text' as const, text: label }, options: chunk });
  }
  return { option_groups: groups };
}

type SlackStateValue = {
  value?: string | null;
  selected_option?: Option | null;
  selected_options?: Option[] | null;
  selected_date?: string | null;
};

/** Reads a modal's `view.state.values` back into neutral values; empty inputs become undefined. */
export function readSlackViewValues(form: { fields: readonly FormField[] }, stateValues: Record<string, Record<string, unknown>>): FormValues {
  const values: FormValues = {};
  for (const field of form.fields) {
    const block = stateValues[slackBlockId(field.id)];
    const entry = (block ? (block[slackBlockId(field.id)] ?? Object.values(block)[0]) : undefined) as SlackStateValue | undefined;
    let raw: string | null | undefined;
    if (entry?.selected_options) raw = entry.selected_options.map((o) => o.value ?? '').filter((v) => v !== '').join(',');
    else if (entry && 'selected_option' in entry) raw = entry.selected_option?.value;
    else if (entry && 'selected_date' in entry) raw = entry.selected_date;
    else raw = entry?.value;
    values[field.id] = raw === null || raw === undefined || raw === '' ? undefined : raw;
  }
  return values;
}
