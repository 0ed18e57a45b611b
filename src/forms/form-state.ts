import { FORM_STATE_MAX } from './limits.js';

/** What a paged form carries through the platform (Slack private_metadata, Teams action data). */
export interface PagedFormState {
  subject: string;
  page: number;
  /** The draft version the page was loaded at (0: no draft yet). */
  version: number;
}

export function encodeFormState(state: PagedFormState): string {
  const encoded = JSON.stringify({ s: state.subject, p: state.page, v: state.version });
  // Routing data that does not fit would break the submission, so this fails loudly when the form is opened.
  if (encoded.length > FORM_STATE_MAX) throw new RangeError(`form subject is too long for the form state (${encoded.length} > ${FORM_STATE_MAX})`);
  return encoded;
}

/** Undefined when the state is not one of ours (a stale or tampered form). */
export function decodeFormState(raw: string | undefined): PagedFormState | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { s?: unknown; p?: unknown; v?: unknown };
    if (typeof parsed.s !== 'string' || !Number.isInteger(parsed.p) || !Number.isInteger(parsed.v)) return undefined;
    return { subject: parsed.s, page: Math.max(0, parsed.p as number), version: Math.max(0, parsed.v as number) };
  } catch {
    return undefined;
  }
}
