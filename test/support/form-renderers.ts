// The Slack and Teams form renderers behind one test-facing shape, so one contract suite runs against both:
// render a form, list what a person would see, and "type and press" the way each platform reports it back.
import type { KnownBlock, ModalView } from '@slack/types';
import type { SubmissionIntent } from '../../src/interactions/types.js';
import type { FieldErrors, Form, FormValues } from '../../src/messaging/message.js';
import { checkBlockKitLimits } from '../../src/platforms/slack/block-limits.js';
import { readSlackViewValues, renderSlackModal, slackFormIntent } from '../../src/platforms/slack/render-form.js';
import { formValuesFrom, readAdaptiveAction, renderAdaptiveForm } from '../../src/platforms/teams/render-form.js';
import { adaptiveCardProblems } from './card-validation.js';
import { slackViewStateValues } from './slack-requests.js';
import { teamsCardActionData } from './teams-activities.js';
import { allNodes } from './teams-activities.js';

type Json = Record<string, any>;

export interface RenderedInput {
  id: string;
  /** The platform's element type, e.g. `radio_buttons` or `Input.ChoiceSet`. */
  type: string;
  /** The value shown in it, comma-joined for several. */
  value?: string;
}

/** What the platform sends back when a button is pressed (or a Slack modal is closed). */
export interface Pressed {
  callbackId: string;
  state?: string;
  values: FormValues;
  intent: SubmissionIntent;
}

export interface FormRenderer {
  name: 'slack' | 'teams';
  render(form: Form, opts?: { values?: FormValues; errors?: FieldErrors }): unknown;
  /** Broken platform limits (Slack) or Adaptive Card SDK problems (Teams). */
  problems(rendered: unknown): string[];
  inputs(rendered: unknown): RenderedInput[];
  /** Every piece of text on it (titles, labels, banners, facts, button labels). */
  texts(rendered: unknown): string[];
  buttons(rendered: unknown): string[];
  /** Types `typed` over what is shown and presses the button for `intent`; undefined when there is no such button. */
  press(form: Form, rendered: unknown, typed: FormValues, intent: SubmissionIntent): Pressed | undefined;
}

const walk = (node: unknown): Json[] => allNodes(node);

const slackValue = (element: Json): string | undefined => {
  if (element['initial_options']) return element['initial_options'].map((o: Json) => o['value']).join(',');
  return element['initial_option']?.['value'] ?? element['initial_date'] ?? element['initial_value'];
};

export const slackRenderer: FormRenderer = {
  name: 'slack',
  render: (form, opts) => renderSlackModal(form, opts),
  problems: (view) => checkBlockKitLimits(view),
  inputs: (view) =>
    ((view as ModalView).blocks as Json[])
      .filter((b) => b['type'] === 'input')
      .map((b) => ({ id: b['block_id'], type: b['element']['type'], value: slackValue(b['element']) })),
  texts: (view) => {
    const v = view as ModalView;
    const texts = walk(v.blocks).flatMap((n) => (typeof n['text'] === 'string' ? [n['text'] as string] : []));
    return [v.title.text, v.submit?.text ?? '', v.close?.text ?? '', ...texts];
  },
  buttons: (view) => [
    ...walk((view as ModalView).blocks).filter((n) => n['type'] === 'button').map((b) => b['text']['text'] as string),
    (view as ModalView).submit?.text ?? '',
  ],
  press(form, rendered, typed, intent) {
    const view = rendered as ModalView;
    const values = readSlackViewValues(form, slackViewStateValues(view, typed));
    const pressed = { callbackId: view.callback_id!, state: view.private_metadata, values };
    if (intent === 'submit') return { ...pressed, intent };
    // Closing the modal is reported only when the view asked for it.
    if (intent === 'close') return view.notify_on_close ? { ...pressed, intent } : undefined;
    const button = walk(view.blocks as KnownBlock[]).find((n) => n['type'] === 'button' && slackFormIntent(n['action_id']) === intent);
    return button ? { ...pressed, intent } : undefined;
  },
};

const teamsInputs = (card: unknown) => walk(card).filter((n) => typeof n['type'] === 'string' && n['type'].startsWith('Input.'));
const teamsActions = (card: unknown) => walk(card).filter((n) => n['type'] === 'Action.Execute');

export const teamsRenderer: FormRenderer = {
  name: 'teams',
  render: (form, opts) => renderAdaptiveForm(form, opts),
  problems: (card) => adaptiveCardProblems(card),
  inputs: (card) => teamsInputs(card).map((i) => ({ id: i['id'], type: i['type'], value: i['value'] === undefined || i['value'] === '' ? undefined : String(i['value']) })),
  texts: (card) => {
    const facts = walk(card).filter((n) => n['type'] === 'FactSet').flatMap((f) => f['facts'].flatMap((fact: Json) => [fact['title'], fact['value']]));
    return [...walk(card).flatMap((n) => [n['text'], n['label'], n['title']].filter((t): t is string => typeof t === 'string')), ...facts];
  },
  buttons: (card) => teamsActions(card).map((a) => a['title'] as string),
  press(form, card, typed, intent) {
    const pressed = teamsCardActionData(card, { intent, typed });
    if (!pressed) return undefined;
    const parsed = readAdaptiveAction({ action: { type: 'Action.Execute', ...pressed }, trigger: 'manual' });
    if (parsed?.kind !== 'form') return undefined;
    return { callbackId: parsed.callbackId, state: parsed.state, values: formValuesFrom(form, parsed.values), intent: parsed.intent ?? 'submit' };
  },
};

export const formRenderers = [slackRenderer, teamsRenderer];
