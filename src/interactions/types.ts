import type { DateTime } from 'luxon';
import type { MemberProfile, PlatformIdentity } from '../directory/identity.js';
import type { FieldErrors, Form, FormValues, Message } from '../messaging/message.js';

/** A button pressed on a card. */
export interface ActionRequest {
  identity: PlatformIdentity;
  profile?: MemberProfile;
  actionId: string;
  value?: string;
  now: DateTime;
}

export type ActionResult =
  /** Open a form (Slack modal; Teams: the card turns into the form). */
  | { kind: 'form'; form: Form }
  /** A private answer to the person who pressed (a refusal, a confirmation); the card stays as it was. */
  | { kind: 'notice'; message: Message }
  /** The pressed card now reads like this (every other copy is updated through the outbox). */
  | { kind: 'card'; card: Message; notice?: Message };

export interface SubmissionRequest {
  identity: PlatformIdentity;
  profile?: MemberProfile;
  callbackId: string;
  state?: string;
  values: FormValues;
  intent?: SubmissionIntent;
  now: DateTime;
}

/**
 * submit: the form's main button (the default); back: to the previous page, unvalidated; close: left unfinished
 * (keep a draft); reload: show the latest saved answers (after someone else changed them).
 */
export type SubmissionIntent = 'submit' | 'back' | 'close' | 'reload';

export type SubmissionResult =
  /** Show these errors beside the fields of the open page and keep what was typed. `form`: the page to re-render them on, when the platform must redraw it. */
  | { kind: 'errors'; errors: FieldErrors; form?: Form }
  /** Show this form in place of the open one: the next or previous page, or the same page updated (e.g. with a notice). */
  | { kind: 'page'; form: Form; errors?: FieldErrors }
  /** The form goes away unfinished (its draft is kept); `notice` tells the person what happened. */
  | { kind: 'close'; notice?: Message }
  | { kind: 'done'; notice?: Message; card?: Message };

export type ActionHandler = (request: ActionRequest) => Promise<ActionResult>;

/** Someone asks to see a form again (an "Open form" button): it is rebuilt for them, with their draft restored. */
export interface FormOpenRequest {
  identity: PlatformIdentity;
  profile: MemberProfile;
  state?: string;
  now: DateTime;
}

export interface FormHandler {
  /** Rebuilds the form from its state, so a platform can read its values back (a form whose pages live in the database loads them). */
  build(state: string | undefined): Form | Promise<Form>;
  submit(request: SubmissionRequest): Promise<SubmissionResult>;
  /** The whole form to show (options loaded, draft restored); without it `build` is shown. */
  open?(request: FormOpenRequest): Promise<Form>;
}
