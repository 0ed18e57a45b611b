import { REMINDER_KINDS, type ReminderKind } from './model.js';

/**
 * What "Ask for more time" carries from the reminder card it sits on into its form: the stage, and which card it was
 * (its kind and title), so Cancel (and Send) give back that same card rather than one rebuilt with another title.
 * A bare stage id (cards sent before this) still works: the card is then rebuilt from the stage as it is now.
 */
export interface MoreTimeRef {
  stageId: string;
  card?: { kind: ReminderKind; title: string };
}

export function moreTimeValue(ref: MoreTimeRef): string {
  return ref.card ? JSON.stringify({ stage: ref.stageId, kind: ref.card.kind, title: ref.card.title }) : ref.stageId;
}

export function readMoreTimeValue(value: string | undefined): MoreTimeRef {
  if (!value?.startsWith('{')) return { stageId: value ?? '' };
  try {
    const parsed = JSON.parse(value) as { stage?: unknown; kind?: unknown; title?: unknown };
    const stageId = typeof parsed.stage === 'string' ? parsed.stage : '';
    const kind = REMINDER_KINDS.find((k) => k === parsed.kind);
    return kind && typeof parsed.title === 'string' && parsed.title ? { stageId, card: { kind, title: parsed.title } } : { stageId };
  } catch {
    return { stageId: '' };
  }
}
