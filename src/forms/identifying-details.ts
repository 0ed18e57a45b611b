/*
 * A simple guard against identifying details in free text sent through the bot (a return's narrative, a dispute): chat carries
 * case references only. It rejects what is easy to recognise: email addresses, UK phone numbers, NHS-number-like
 * runs of ten digits, UK postcodes, and a name next to "born", "DOB" or "aged N". It is a net, not a filter: it
 * never changes the text, it says what to take out.
 */
import type { FieldErrors, FormValues } from '../messaging/message.js';

const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;
const UK_PHONE = /(?:\+44\s?\(?0?\)?\s?|\b0)\d(?:[\s-]?\d){8,9}\b/;
const TEN_DIGITS = /\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b/;
const POSTCODE = /\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b/i;
// A capitalised word (a name), then optionally a surname, a comma or bracket, "was"/"is", then born / DOB / aged N /
// age N / N years old, or just an age set off by commas or brackets ("Amelia Jones, 15," "Jane Smith (34)").
const NAME_WITH_BIRTH = /\b([A-Z][a-z]+)(?:\s+[A-Z][a-z'-]+)?\s*[,(]?\s*(?:(?:was|is)\s+)?(?:born\b|DOB\b|d\.o\.b\b|date of birth\b|aged?\s+\d{1,3}\b|\d{1,3}\s*(?:years?|yrs?)\s+old\b)/;
const NAME_WITH_BARE_AGE = /\b([A-Z][a-z]+)\s+[A-Z][a-z'-]+\s*(?:,\s*\d{1,2}\s*,|\(\s*\d{1,2}\s*\))/;
// A date of birth given outright, with or without a name: "born 03/04/2019", "DOB: 3 April 2019".
const BIRTH_DATE = /\b(?:born(?:\s+on)?|DOB|d\.o\.b\.?|date of birth)\s*:?\s*\d{1,4}[/.\- ]/i;
// Capitalised words that start a sentence about groups of people, not a person: "Children aged 5 and under".
const NOT_NAMES = new Set([
  'Children', 'Child', 'Young', 'People', 'Adults', 'Adult', 'Babies', 'Baby', 'Girls', 'Boys', 'Pupils', 'Students', 'Those', 'All',
  'Most', 'Some', 'Many', 'Few', 'Families', 'Parents', 'Patients', 'Residents', 'Victims', 'Women', 'Men', 'Referrals', 'Cases',
  'Infants', 'Teenagers', 'Carers', 'Survivors', 'Persons', 'Individuals', 'Learners', 'Where', 'When', 'Of', 'Anyone', 'Everyone',
]);

/** What in `text` looks like it identifies someone, in words for the person who typed it; undefined when nothing does. */
export function identifyingDetailsProblem(text: string): string | undefined {
  const found: string[] = [];
  if (EMAIL.test(text)) found.push('an email address');
  if (UK_PHONE.test(text)) found.push('a phone number');
  else if (TEN_DIGITS.test(text)) found.push('what may be an NHS number');
  if (POSTCODE.test(text)) found.push('a postcode');
  const birth = NAME_WITH_BIRTH.exec(text) ?? NAME_WITH_BARE_AGE.exec(text);
  if ((birth && !NOT_NAMES.has(birth[1]!)) || BIRTH_DATE.test(text)) found.push('a name with a date of birth or age');
  if (found.length === 0) return undefined;
  return `This looks like it contains ${joinAnd(found)}. Use case references only: take ${found.length === 1 ? 'it' : 'them'} out and send again.`;
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
