// Platform-neutral messages and forms. Features say *what*; platforms/slack and platforms/teams say *how*.
import type { PersonalView } from './personal-view.js';

export type ActionStyle = 'primary' | 'danger' | 'default';

/** A button. `id` is stable across updates of the same card; `value` is a small opaque payload (<= 2000 chars). */
export interface MessageAction {
  id: string;
  label: string;
  style?: ActionStyle;
  value?: string;
  /** An external link instead of a callback. */
  url?: string;
  /** Ask "are you sure?" before the action runs. */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export interface Fact {
  label: string;
  value: string;
}

/** One block of a message, rendered in order. */
export type MessageSection =
  | { kind: 'text'; text: string }
  | { kind: 'facts'; facts: Fact[] }
  | { kind: 'list'; title?: string; items: ListItem[] }
  | { kind: 'actions'; actions: MessageAction[] }
  | { kind: 'context'; text: string }
  | { kind: 'divider' }
  | { kind: 'table'; title?: string; columns: TableColumn[]; rows: TableRow[] }
  /** A picture: base64 PNG bytes. `alt` is read out by screen readers (and shown where the picture cannot be). */
  | { kind: 'image'; png: string; alt: string; title?: string }
  /**
   * A file to download: base64 bytes. Slack uploads it into the same conversation; Teams shows a short-lived
   * download link. `name` and `title` can show in notifications: keep personal details out of them.
   */
  | { kind: 'file'; name: string; mimeType: AttachmentMimeType; data: string; title?: string };

export type AttachmentMimeType = 'text/csv' | 'image/png';

export interface TableColumn {
  label: string;
  align?: 'left' | 'right';
}

/** One row; a missing cell shows as empty. A tone is always shown with a sign or word, never by colour alone. */
export interface TableRow {
  cells: TableCell[];
}

export interface TableCell {
  text: string;
  tone?: StatusTone;
}

export interface ListItem {
  title: string;
  detail?: string;
  /** Short state label such as "Open", "Done", "Overdue". */
  status?: string;
  tone?: StatusTone;
}

export type StatusTone = 'good' | 'warning' | 'attention' | 'neutral' | 'accent';

/**
 * A card. `text` is the plain-text fallback used by notifications and screen readers.
 * Text uses a tiny markdown subset understood by both platforms: *bold*, _italic_, `code`, and line breaks.
 */
export interface Message {
  title?: string;
  text: string;
  sections: MessageSection[];
  /** Who may see it. Absent: anyone in the conversation it is sent to. */
  audience?: MessageAudience;
  /**
   * The message is this form: Teams shows the form card itself; where a message cannot hold inputs (Slack), the
   * text and sections show instead (build it with openFormMessage: an "Open form" button).
   */
  form?: Form;
  /**
   * Some members see their own version of this card (e.g. the lead sees Edit). Teams fetches it for them whenever they
   * view the card (Universal Actions `refresh`, up to 60 people); everyone else sees the card as sent. Slack has no
   * per-viewer cards and ignores this: there, a feature sends each member their personal version where that matters.
   */
  personalView?: PersonalView;
}

/**
 * Only these members may see the message: the outbox refuses any target but a direct chat with one of them.
 * Notifications and lock screens show `safeText` and nothing else (never `text`, the title or a section),
 * so it must say no more than "You have a new confidential update".
 */
export interface MessageAudience {
  kind: 'private';
  memberIds: string[];
  safeText: string;
}

/** One option of a choice. Values are stable ids (at most 150 characters, no commas: several choices travel comma-joined). */
export interface FieldOption {
  value: string;
  label: string;
}

interface FieldCommon {
  id: string;
  label: string;
  required?: boolean;
  initial?: string;
  hint?: string;
  /** Shown for any rule the value breaks, instead of the default message for that rule. */
  errorText?: string;
}

export type TextField = FieldCommon & { kind: 'text' | 'longText'; placeholder?: string; minLength?: number; maxLength?: number };
/** An http or https address. */
export type UrlField = FieldCommon & { kind: 'url'; placeholder?: string };
export type NumberField = FieldCommon & { kind: 'number'; min?: number; max?: number; integer?: boolean; placeholder?: string };
/** One of the options: radio buttons (a short list) or a drop-down (the default). */
export type ChoiceField = FieldCommon & { kind: 'choice'; options: FieldOption[]; style?: 'radio' | 'select' };
/** Any number of the options; the value is their values joined with commas. */
export type MultiChoiceField = FieldCommon & { kind: 'multiChoice'; options: FieldOption[]; minSelected?: number; maxSelected?: number };
/** YYYY-MM-DD. */
export type DateField = FieldCommon & { kind: 'date' };
/** A member of the partnership; the value is the member id. Without `options` the forms engine fills them from the directory. */
export type MemberField = FieldCommon & { kind: 'member'; options?: FieldOption[] };

export type FormField = TextField | UrlField | NumberField | ChoiceField | MultiChoiceField | DateField | MemberField;

/** A banner above the fields, e.g. "Changed by Sam Patel at 14:02: reload". `reload` adds a button that loads the latest answers. */
export interface FormNotice {
  text: string;
  tone?: 'info' | 'warning';
  reload?: { label: string };
}

/**
 * A form: a Slack modal or a Teams Adaptive Card with inputs. `callbackId` routes the submission; `state` comes back with it.
 * One page of a longer form carries `progress` and `back`; its last page is a read-only `summary` of every answer.
 */
export interface Form {
  callbackId: string;
  title: string;
  submitLabel: string;
  intro?: string;
  fields: FormField[];
  state?: string;
  /** "Step 2 of 3". */
  progress?: { page: number; of: number };
  /**
   * A Cancel button where the form has no way out of its own (a Teams card; a Slack modal has its own Cancel): sends
   * nothing typed, with intent `close`; answer with `close` and the card to show instead of the form.
   */
  cancel?: { label: string };
  /** A Back button: sends what was typed on this page, unvalidated, with intent `back`. */
  back?: { label: string };
  /** Read-only label/value rows (the review page). */
  summary?: Fact[];
  notice?: FormNotice;
  /** Unfinished answers are kept as a draft when the form is left: Slack reports the modal closing, Teams gets a "Save for later" button. */
  keepsDraft?: boolean;
}

export type FormValues = Record<string, string | undefined>;
/** Field id -> message. Empty means valid. */
export type FieldErrors = Record<string, string>;
