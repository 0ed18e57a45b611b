import type { StatusTone } from './message.js';

/** A sign shown in front of a toned cell's own words on both platforms, so a tone never rests on colour alone. */
export const TONE_MARK: Record<StatusTone, string> = {
  good: '✅',
  warning: '⚠️',
  attention: '❗',
  accent: '🔹',
  neutral: '',
};

/** The cell's words with the tone's sign in front (just the sign when there are no words). */
export function withToneMark(text: string, tone: StatusTone | undefined): string {
  const mark = TONE_MARK[tone ?? 'neutral'];
  return mark && text ? `${mark} ${text}` : mark || text;
}
