import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { FieldErrors, Form, FormField, FormValues } from '../../messaging/message.js';
import { SLACK_LIMITS } from './block-limits.js';
import { fitBlocks, slackMrkdwn, slackPlain, type RankedBlock } from './render-message.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Block ids must fit Slack's limit; reading values back uses the same mapping, so the cut is harmless. */
export function slackBlockId(fieldId: string): string {
  return fieldId.slice(0, SLACK_LIMITS.blockId);
}

export function renderSlackModal(form: Form, opts: { values?: FormValues; privateMetadata?: string } = {}): ModalView {
  const metadata = opts.privateMetadata ?? form.state ?? '';
  // Cutting routing data would break the submission, so these fail loudly instead of degrading.
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new RangeError(`Form "${form.callbackId}" state exceeds ${SLACK_LIMITS.privateMetadata} characters`);
  if (form.callbackId.length > SLACK_LIMITS.callbackId) throw new RangeError(`Form callbackId exceeds ${SLACK_LIMITS.callbackId} characters`);

  const ranked: RankedBlock[] = [];
  if (form.intro?.trim()) {
    ranked.push({ block: { type: 'section', text: { type: 'mrkdwn', text: slackMrkdwn(form.intro, SLACK_LIMITS.sectionText) } }, dropRank: 2 });
  }
  for (const field of form.fields) ranked.push({ block: renderInput(field, initialValue(field, opts.values)), dropRank: 3 });

  const view: ModalView = {
    type: 'modal',
    callback_id: form.callbackId,
    title: { type: 'plain_text', text: slackPlain(form.title, SLACK_LIMITS.modalTitle) || '…' },
    submit: { type: 'plain_text', text: slackPlain(form.submitLabel, SLACK_LIMITS.modalButton) || 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: fitBlocks(ranked, SLACK_LIMITS.modalBlocks),
  };
  if (metadata) view.private_metadata = metadata;
  return view;
}

function initialValue(field: FormField, values: FormValues | undefined): string | undefined {
  if (values && Object.hasOwn(values, field.id)) return values[field.id];
  return field.initial;
}

function renderInput(field: FormField, value: string | undefined): InputBlock {
  const block: InputBlock = {
    type: 'input',
    block_id: slackBlockId(field.id),
    label: { type: 'plain_text', text: slackPlain(field.label, SLACK_LIMITS.inputLabel) || field.id },
    optional: !field.required,
    element: renderElement(field, value),
  };
  if (field.hint?.trim()) block.hint = { type: 'plain_text', text: slackPlain(field.hint, SLACK_LIMITS.inputHint) };
  return block;
}

function renderElement(field: FormField, value: string | undefined): InputBlock['element'] {
  const action_id = slackBlockId(field.id);
  switch (field.kind) {
    case 'text':
    case 'longText': {
      const maxLength = Math.min(field.maxLength ?? SLACK_LIMITS.plainTextInputMaxLength, SLACK_LIMITS.plainTextInputMaxLength);
      return {
        type: 'plain_text_input',
        action_id,
        multiline: field.kind === 'longText',
        max_length: maxLength,
        ...(field.placeholder?.trim() ? { placeholder: { type: 'plain_text' as const, text: slackPlain(field.placeholder, SLACK_LIMITS.placeholder) } } : {}),
        // The typed value, not a summary of it: cut to what the input accepts without an ellipsis.
        ...(value ? { initial_value: value.slice(0, maxLength) } : {}),
      };
    }
    case 'choice': {
      const options: PlainTextOption[] = field.options.slice(0, SLACK_LIMITS.options).map((option) => ({
        text: { type: 'plain_text', text: slackPlain(option.label, SLACK_LIMITS.optionText) || option.value },
        value: option.value,
      }));
      const selected = options.find((option) => option.value === value);
      return { type: 'static_select', action_id, options, ...(selected ? { initial_option: selected } : {}) };
    }
    case 'date':
      return { type: 'datepicker', action_id, ...(value && ISO_DATE.test(value) ? { initial_date: value } : {}) };
  }
}

type SlackStateValue = { type?: string; value?: string | null; selected_option?: { value?: string } | null; selected_date?: string | null };

/** Reads a submitted modal's `view.state.values` back into neutral values; empty inputs become undefined. */
export function readSlackViewValues(form: Form, stateValues: Record<string, Record<string, any>>): FormValues {
  const values: FormValues = {};
  for (const field of form.fields) {
    const block = stateValues[slackBlockId(field.id)];
    const entry: SlackStateValue | undefined = block ? (block[slackBlockId(field.id)] ?? Object.values(block)[0]) : undefined;
    let raw: string | null | undefined;
    if (field.kind === 'choice') raw = entry?.selected_option?.value;
    else if (field.kind === 'date') raw = entry?.selected_date;
    else raw = entry?.value;
    values[field.id] = raw === null || raw === '' ? undefined : raw;
  }
  return values;
}

/** The `ack` body that shows each message under its input in the open modal. */
export function slackFieldErrors(errors: FieldErrors): { response_action: 'errors'; errors: Record<string, string> } {
  const mapped: Record<string, string> = {};
  for (const [fieldId, message] of Object.entries(errors)) mapped[slackBlockId(fieldId)] = message;
  return { response_action: 'errors', errors: mapped };
}
