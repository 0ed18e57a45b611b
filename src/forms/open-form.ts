import type { Form, Message } from '../messaging/message.js';
import { SLACK_BUTTON_VALUE_MAX } from './limits.js';

/** The button that opens a form where a form cannot be shown straight away (a Slack DM has no trigger to open a modal). */
export const OPEN_FORM_ACTION = 'form.open';

/** What the "Open form" button carries: the form's callback id and state. Undefined when they do not fit a button. */
export function openFormValue(form: Pick<Form, 'callbackId' | 'state'>): string | undefined {
  const value = JSON.stringify({ f: form.callbackId, s: form.state ?? '' });
  return value.length <= SLACK_BUTTON_VALUE_MAX ? value : undefined;
}

export function readOpenFormValue(value: string | undefined): { callbackId: string; state?: string } | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as { f?: unknown; s?: unknown };
    if (typeof parsed.f !== 'string' || parsed.f === '') return undefined;
    return { callbackId: parsed.f, ...(typeof parsed.s === 'string' && parsed.s !== '' ? { state: parsed.s } : {}) };
  } catch {
    return undefined;
  }
}

/** A card with one button that opens `form` (its draft, if any, is restored when it opens). */
export function openFormMessage(form: Form, label = 'Open form'): Message {
  const value = openFormValue(form);
  const text = `*${form.title}*: press ${label} to fill it in.`;
  if (!value) return { text: `${form.title}: this form can only be opened from the slash command.`, sections: [] };
  return {
    title: form.title,
    // The notification line, also where the form itself shows (Teams): it must not mention the button.
    text: `${form.title}: a form for you to fill in.`,
    sections: [{ kind: 'text', text }, { kind: 'actions', actions: [{ id: OPEN_FORM_ACTION, label, style: 'primary', value }] }],
  };
}
