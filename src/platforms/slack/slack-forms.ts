import type { App, ViewClosedAction, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { PlatformIdentity } from '../../directory/identity.js';
import { formUnavailableText, type InboundPort } from '../../interactions/inbound-port.js';
import { isDatabaseUnavailable } from '../../store/db-errors.js';
import type { SubmissionIntent } from '../../interactions/types.js';
import type { FieldErrors, Form, Message } from '../../messaging/message.js';
import { readSlackViewValues, renderSlackModal, slackFieldErrors } from './render-form.js';
import { errorLogFields } from '../../core/error-log.js';

const SAVE_FAILED = 'Sorry, that could not be saved. Nothing was changed; please try again.';

type SlackIdentity = Extract<PlatformIdentity, { platform: 'slack' }>;

const identityOf = (body: { user: { id: string; team_id?: string }; team?: { id: string } | null }): SlackIdentity => ({
  platform: 'slack',
  userId: body.user.id,
  teamId: body.team?.id ?? body.user.team_id,
});

/** A private message to the person, in their DM with the bot (a modal has nowhere else to answer). */
function tellInDm(port: InboundPort, key: string, identity: SlackIdentity, message: Message): Promise<void> {
  return port.reply({ key, target: { platform: 'slack', kind: 'channel', channel: identity.userId, teamId: identity.teamId }, message });
}

/** Modal submissions (errors, the next page, done) and closings (the draft is kept). */
export function handleSlackForms(bolt: App, port: InboundPort): void {
  bolt.view<ViewSubmitAction>({ type: 'view_submission' }, async ({ ack, body, view }) => {
    const identity = identityOf(body);
    const state = view.private_metadata || undefined;
    const form = await port.formFor(view.callback_id, state);
    if (!form) {
      await ack();
      return;
    }
    try {
      const result = await port.submitForm(identity, view.callback_id, state, readSlackViewValues(form, view.state.values));
      if (result.kind === 'errors') {
        await ack(slackFieldErrors(onlyFieldsOf(form, result.errors)));
        return;
      }
      if (result.kind === 'page') {
        // The modal stack holds 3 views: pages replace the open view instead of pushing new ones.
        await ack({ response_action: 'update', view: renderSlackModal(result.form, { errors: result.errors }) });
        return;
      }
      await ack();
      const message = result.notice ?? (result.kind === 'done' ? result.card : undefined);
      if (message) await tellInDm(port, `slack:view:${view.id}:${view.hash}`, identity, message);
    } catch (error) {
      port.logger.error({ ...errorLogFields(error), callbackId: view.callback_id }, 'slack form failed');
      // The modal stays open with everything typed; the message says why (the database away) when that is the reason.
      const text = isDatabaseUnavailable(error) ? formUnavailableText : SAVE_FAILED;
      await ack(slackFieldErrors({ [form.fields[0]?.id ?? 'form']: text })).catch(() => undefined);
    }
  });

  // Only forms that keep a draft ask for this (notify_on_close): what was typed on the open page joins the draft.
  bolt.view<ViewClosedAction>({ type: 'view_closed' }, async ({ ack, body, view }) => {
    await ack();
    const identity = identityOf(body);
    const state = view.private_metadata || undefined;
    const form = await port.formFor(view.callback_id, state);
    if (!form?.keepsDraft) return;
    try {
      const result = await port.submitForm(identity, view.callback_id, state, readSlackViewValues(form, view.state.values), 'close');
      if (result.kind === 'close' && result.notice) await tellInDm(port, `slack:view-closed:${view.id}:${view.hash}`, identity, result.notice);
    } catch (error) {
      port.logger.error({ ...errorLogFields(error), callbackId: view.callback_id }, 'slack form draft not saved');
    }
  });
}

/** Back or Reload pressed inside a modal: the same view is redrawn with the page the form answers with. */
export async function pageModalInPlace(
  port: InboundPort,
  client: WebClient,
  identity: SlackIdentity,
  view: ViewOutput,
  intent: Extract<SubmissionIntent, 'back' | 'reload'>,
): Promise<void> {
  const state = view.private_metadata || undefined;
  const form = await port.formFor(view.callback_id, state);
  if (!form) return;
  const result = await port.submitForm(identity, view.callback_id, state, readSlackViewValues(form, view.state.values), intent);
  let next: Form | undefined;
  if (result.kind === 'page') next = result.form;
  else if (result.kind === 'errors' && result.form) next = result.form;
  if (next) {
    const errors = result.kind === 'page' || result.kind === 'errors' ? result.errors : undefined;
    await client.views.update({ view_id: view.id, hash: view.hash, view: renderSlackModal(next, { errors }) });
    return;
  }
  const message = result.kind === 'close' || result.kind === 'done' ? result.notice : undefined;
  if (message) await tellInDm(port, `slack:view-button:${view.id}:${view.hash}`, identity, message);
}

/** Slack rejects errors for blocks that are not in the open view. */
function onlyFieldsOf(form: Form, errors: FieldErrors): FieldErrors {
  const ids = new Set(form.fields.map((f) => f.id));
  const kept = Object.fromEntries(Object.entries(errors).filter(([id]) => ids.has(id)));
  if (Object.keys(kept).length > 0 || Object.keys(errors).length === 0) return kept;
  return { [form.fields[0]?.id ?? 'form']: Object.values(errors)[0]! };
}
