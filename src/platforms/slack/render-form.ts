import type { ActionsBlock, InputBlock, KnownBlock, ModalView } from '@slack/types';
import type { Fact, FieldErrors, Form, FormField, FormValues } from '../../messaging/message.js';
import { toSlackMrkdwn } from '../../messaging/markdown.js';
import type { SubmissionIntent } from '../../interactions/types.js';
import { errorSummaryText } from '../../forms/validate.js';
import { SLACK_LIMITS } from './block-limits.js';
import { slackBlockId, slackInputElement } from './form-inputs.js';
import { fitBlocks, slackMrkdwn, slackPlain, type RankedBlock } from './render-message.js';

export { readSlackViewValues, slackBlockId } from './form-inputs.js';

/** The buttons inside a modal that page or reload it (block_actions in a view, answered with views.update). */
export const SLACK_FORM_BUTTONS = { back: 'form.back', reload: 'form.reload' } as const;

export function slackFormIntent(actionId: string): Extract<SubmissionIntent, 'back' | 'reload'> | undefined {
  if (actionId === SLACK_FORM_BUTTONS.back) return 'back';
  if (actionId === SLACK_FORM_BUTTONS.reload) return 'reload';
  return undefined;
}

const ESSENTIAL = 3 as const;
const CONTENT = 2 as const;
const SUMMARY_ROW = 1 as const;

/**
 * The form as a modal. A page of a longer form shows "Step n of m", a Back button and, when the form keeps a draft,
 * asks Slack to report the modal closing (view_closed) so what was typed is saved. `errors` (after a page change,
 * where Slack's own error display cannot be used) show under their fields.
 */
export function renderSlackModal(form: Form, opts: { values?: FormValues; privateMetadata?: string; errors?: FieldErrors } = {}): ModalView {
  const metadata = opts.privateMetadata ?? form.state ?? '';
  // Cutting routing data would break the submission, so these fail loudly instead of degrading.
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new RangeError(`Form "${form.callbackId}" state exceeds ${SLACK_LIMITS.privateMetadata} characters`);
  if (form.callbackId.length > SLACK_LIMITS.callbackId) throw new RangeError(`Form callbackId exceeds ${SLACK_LIMITS.callbackId} characters`);

  const ranked: RankedBlock[] = [];
  if (form.progress) ranked.push({ block: context(`Step ${form.progress.page} of ${form.progress.of}`), dropRank: ESSENTIAL });
  const errorSummary = errorSummaryText(form.fields.filter((field) => opts.errors?.[field.id]?.trim()).length);
  if (errorSummary) ranked.push({ block: section(`:warning: *${errorSummary}*`), dropRank: ESSENTIAL });
  if (form.notice?.text.trim()) {
    const icon = form.notice.tone === 'warning' ? ':warning: ' : ':information_source: ';
    ranked.push({ block: section(icon + form.notice.text), dropRank: ESSENTIAL });
    if (form.notice.reload) ranked.push({ block: buttons([[SLACK_FORM_BUTTONS.reload, form.notice.reload.label]]), dropRank: ESSENTIAL });
  }
  if (form.intro?.trim()) ranked.push({ block: section(form.intro), dropRank: CONTENT });
  for (const field of form.fields) {
    ranked.push({ block: renderInput(field, initialValue(field, opts.values)), dropRank: ESSENTIAL });
    const error = opts.errors?.[field.id];
    if (error?.trim()) ranked.push({ block: context(`:warning: ${error}`), dropRank: ESSENTIAL });
  }
  for (const text of packedRows(form.summary ?? [])) ranked.push({ block: section(text), dropRank: SUMMARY_ROW });
  if (form.back) ranked.push({ block: buttons([[SLACK_FORM_BUTTONS.back, form.back.label]]), dropRank: ESSENTIAL });

  const view: ModalView = {
    type: 'modal',
    callback_id: form.callbackId,
    title: { type: 'plain_text', text: slackPlain(form.title, SLACK_LIMITS.modalTitle) || '…' },
    submit: { type: 'plain_text', text: slackPlain(form.submitLabel, SLACK_LIMITS.modalButton) || 'Submit' },
    // Closing a form that keeps a draft saves what was typed: the button says so, as Teams' "Save for later" does.
    close: { type: 'plain_text', text: form.keepsDraft ? 'Save for later' : 'Cancel' },
    blocks: fitBlocks(ranked, SLACK_LIMITS.modalBlocks),
  };
  if (form.keepsDraft) view.notify_on_close = true;
  if (metadata) view.private_metadata = metadata;
  return view;
}

/** Review rows, several to a section (up to Slack's 3,000 characters), so a long form's answers fit in 100 blocks. */
function packedRows(rows: readonly Fact[]): string[] {
  const packed: string[] = [];
  for (const row of rows) {
    const text = `*${row.label}*\n${row.value}`;
    const last = packed.length - 1;
    if (last >= 0 && toSlackMrkdwn(`${packed[last]}\n\n${text}`).length <= SLACK_LIMITS.sectionText) packed[last] = `${packed[last]}\n\n${text}`;
    else packed.push(text);
  }
  return packed;
}

function initialValue(field: FormField, values: FormValues | undefined): string | undefined {
  if (values && Object.hasOwn(values, field.id)) return values[field.id];
  return field.initial;
}

function renderInput(field: FormField, value: string | undefined): KnownBlock {
  const label = slackPlain(field.label, SLACK_LIMITS.inputLabel) || field.id;
  const element = slackInputElement(field, value);
  // A member picker with nobody to pick cannot be a select (Slack needs at least one option).
  if (!element) return section(`*${label}*\nThere is nobody to choose from yet.`);
  const block: InputBlock = { type: 'input', block_id: slackBlockId(field.id), label: { type: 'plain_text', text: label }, optional: !field.required, element };
  if (field.hint?.trim()) block.hint = { type: 'plain_text', text: slackPlain(field.hint, SLACK_LIMITS.inputHint) };
  return block;
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: slackMrkdwn(text, SLACK_LIMITS.sectionText) } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: slackMrkdwn(text, SLACK_LIMITS.contextText) }] });

function buttons(list: [actionId: string, label: string][]): ActionsBlock {
  return {
    type: 'actions',
    elements: list.map(([action_id, label]) => ({ type: 'button' as const, action_id, text: { type: 'plain_text' as const, text: slackPlain(label, SLACK_LIMITS.buttonText) || 'Go' } })),
  };
}

/** The `ack` body that shows each message under its input in the open modal. */
export function slackFieldErrors(errors: FieldErrors): { response_action: 'errors'; errors: Record<string, string> } {
  const mapped: Record<string, string> = {};
  for (const [fieldId, message] of Object.entries(errors)) mapped[slackBlockId(fieldId)] = message;
  return { response_action: 'errors', errors: mapped };
}
