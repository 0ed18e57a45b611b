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
  now: DateTime;
}

export type SubmissionResult =
  /** Show these errors beside the fields and keep what was typed. */
  | { kind: 'errors'; errors: FieldErrors }
  | { kind: 'done'; notice?: Message; card?: Message };

export type ActionHandler = (request: ActionRequest) => Promise<ActionResult>;

export interface FormHandler {
  /** Rebuilds the form from its state, so a platform can read its values back. */
  build(state: string | undefined): Form;
  submit(request: SubmissionRequest): Promise<SubmissionResult>;
}
