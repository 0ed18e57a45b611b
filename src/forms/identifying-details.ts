/*
 * A guard against identifying details in free text sent through the bot (a return's narrative, a dispute): chat carries
 * case references only. It recognises emails, UK phone numbers, NHS numbers (by their check digit), National Insurance
 * numbers, postcodes, street addresses, and a name next to a date of birth or an age (identifying-patterns.ts). It is a
 * net, not a filter: it never changes the text, it says what to take out and why. A person who knows better can
 * confirm a false positive (identifying-confirm.ts).
 */
import type { FieldErrors, FormValues } from '../messaging/message.js';
import { IDENTIFYING_KINDS } from './identifying-patterns.js';

/** Kept short enough to read beside a field in a Slack modal. */
const MESSAGE_MAX = 200;

/** The kinds of identifying detail in `text`, in words ("a postcode"); empty when there are none. */
export function identifyingDetailsFound(text: string): string[] {
  return IDENTIFYING_KINDS.filter((kind) => kind.test(text)).map((kind) => kind.what);
}

/** What in `text` looks like it identifies someone, and why it cannot be sent, for the person who typed it; undefined when nothing does. */
export function identifyingDetailsProblem(text: string): string | undefined {
  const found = identifyingDetailsFound(text);
  if (found.length === 0) return undefined;
  const rest = ` Use case references only: take ${found.length === 1 ? 'it' : 'them'} out and send again. Case details belong in the case system, not in chat.`;
  const full = `This looks like it contains ${joinAnd(found)}.${rest}`;
  if (full.length <= MESSAGE_MAX) return full;
  return `This looks like it contains ${found.length} kinds of identifying detail, such as ${found[0]}.${rest}`;
}

/** Adds the guard's note to `errors` for each of these fields that holds text and has no other error yet; returns `errors`. */
export function guardIdentifyingDetails(values: FormValues, fieldIds: readonly string[], errors: FieldErrors): FieldErrors {
  for (const id of fieldIds) {
    const value = values[id]?.trim();
    const problem = value && !errors[id] ? identifyingDetailsProblem(value) : undefined;
    if (problem) errors[id] = problem;
  }
  return errors;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
