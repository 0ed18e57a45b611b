// Platform-neutral messages and forms. Features say *what*; platforms/slack and platforms/teams say *how*.

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
  | { kind: 'divider' };

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
}

export type FormField =
  | { kind: 'text'; id: string; label: string; required?: boolean; placeholder?: string; maxLength?: number; initial?: string; hint?: string }
  | { kind: 'longText'; id: string; label: string; required?: boolean; placeholder?: string; maxLength?: number; initial?: string; hint?: string }
  | { kind: 'choice'; id: string; label: string; required?: boolean; options: { value: string; label: string }[]; initial?: string; hint?: string }
  | { kind: 'date'; id: string; label: string; required?: boolean; initial?: string; hint?: string };

/** A form: a Slack modal or a Teams Adaptive Card with inputs. `callbackId` routes the submission; `state` comes back with it. */
export interface Form {
  callbackId: string;
  title: string;
  submitLabel: string;
  intro?: string;
  fields: FormField[];
  state?: string;
}

export type FormValues = Record<string, string | undefined>;
/** Field id -> message. Empty means valid. */
export type FieldErrors = Record<string, string>;
