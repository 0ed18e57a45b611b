import type { Clock } from '../core/clock.js';
import { BotError } from '../core/errors.js';
import { storableText } from '../core/storable-text.js';
import type { PlatformIdentity } from '../directory/identity.js';
import { profileLoader, type MemberIdResolver } from '../directory/member-lookup.js';
import type { Db } from '../store/db.js';
import type { Form, FormValues } from '../messaging/message.js';
import { OPEN_FORM_ACTION, readOpenFormValue } from '../forms/open-form.js';
import { auditRefusal } from './refusal-audit.js';
import type { ActionHandler, ActionRequest, ActionResult, FormHandler, SubmissionRequest, SubmissionResult } from './types.js';

const notAMemberMessage = { text: 'Only members of the partnership can use these buttons. Ask your business manager to add you.', sections: [] };
const notAMember: ActionResult = { kind: 'notice', message: notAMemberMessage };

/** Buttons and forms from either platform, routed by action id (`stage.done`) and form callback id. */
export class InteractionRouter {
  private readonly actions = new Map<string, ActionHandler>();
  private readonly forms = new Map<string, FormHandler>();

  private readonly profileOf: ReturnType<typeof profileLoader>;

  constructor(private readonly deps: { db: Db; clock: Clock; resolveMemberId?: MemberIdResolver }) {
    this.profileOf = profileLoader(deps.db, deps.resolveMemberId);
    this.onAction(OPEN_FORM_ACTION, (request) => this.openForm(request));
  }

  onAction(actionId: string, handler: ActionHandler): this {
    if (this.actions.has(actionId)) throw new Error(`action "${actionId}" is registered twice`);
    this.actions.set(actionId, handler);
    return this;
  }

  onForm(callbackId: string, handler: FormHandler): this {
    if (this.forms.has(callbackId)) throw new Error(`form "${callbackId}" is registered twice`);
    this.forms.set(callbackId, handler);
    return this;
  }

  /** The form behind a callback id, so a platform adapter can read a submission's values. */
  async formFor(callbackId: string, state: string | undefined): Promise<Form | undefined> {
    return this.forms.get(callbackId)?.build(state);
  }

  /** The "Open form" button: the form is rebuilt for whoever pressed it, with any draft restored. */
  private async openForm(request: ActionRequest): Promise<ActionResult> {
    const target = readOpenFormValue(request.value);
    const handler = target ? this.forms.get(target.callbackId) : undefined;
    if (!target || !handler) return { kind: 'notice', message: { text: 'That form is no longer in use.', sections: [] } };
    const form = handler.open
      ? await handler.open({ identity: request.identity, profile: request.profile!, state: target.state, now: request.now })
      : await handler.build(target.state);
    return { kind: 'form', form };
  }

  async runAction(identity: PlatformIdentity, actionId: string, value: string | undefined): Promise<ActionResult> {
    const handler = this.actions.get(actionId);
    if (!handler) return { kind: 'notice', message: { text: 'That button is no longer in use. Type `help` to see what I can do.', sections: [] } };
    const profile = await this.profileOf(identity);
    if (!profile) {
      await auditRefusal(this.deps.db, { identity, what: actionId, refusal: { reason: 'not-a-member' } });
      return notAMember;
    }
    try {
      return await handler({ identity, profile, actionId, value, now: this.deps.clock.now() });
    } catch (error) {
      // Refusals and bad input are answered politely to the person who pressed; nothing was changed.
      if (error instanceof BotError) {
        if (error.refusal) await auditRefusal(this.deps.db, { identity, profile, what: actionId, refusal: error.refusal });
        return { kind: 'notice', message: { text: error.userMessage, sections: [{ kind: 'text', text: error.userMessage }] } };
      }
      throw error;
    }
  }

  async submitForm(
    identity: PlatformIdentity,
    callbackId: string,
    state: string | undefined,
    values: FormValues,
    intent: SubmissionRequest['intent'] = 'submit',
  ): Promise<SubmissionResult> {
    const handler = this.forms.get(callbackId);
    if (!handler) return { kind: 'done', notice: { text: 'That form is no longer in use.', sections: [] } };
    const profile = await this.profileOf(identity);
    if (!profile) {
      await auditRefusal(this.deps.db, { identity, what: callbackId, refusal: { reason: 'not-a-member' } });
      return { kind: 'done', notice: notAMemberMessage };
    }
    try {
      return await handler.submit({ identity, profile, callbackId, state, values: storableValues(values), intent, now: this.deps.clock.now() });
    } catch (error) {
      if (error instanceof BotError) {
        if (error.refusal) await auditRefusal(this.deps.db, { identity, profile, what: callbackId, refusal: error.refusal });
        return { kind: 'done', notice: { text: error.userMessage, sections: [{ kind: 'text', text: error.userMessage }] } };
      }
      throw error;
    }
  }

}

/** Answers as PostgreSQL can store them: a NUL typed or pasted into a field is dropped rather than failing the save. */
function storableValues(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).map(([id, value]) => [storableText(id), value === undefined ? value : storableText(value)]));
}
