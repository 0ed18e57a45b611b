/*
 * The kinds of identifying detail the guard recognises, each a test over free text. Every pattern is tuned against
 * test/fixtures/identifying-corpus.ts: realistic partnership summaries full of agency names, dates, counts and
 * statute numbers must pass, so each rule asks for more than a shape (a checksum, HMRC's prefix rules, a street word).
 */
import { parse } from 'postcode';

export interface IdentifyingKind {
  /** How the message names it: "This looks like it contains …". */
  what: string;
  test(text: string): boolean;
}

const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;

// 10 or 11 digits from 0 (or +44 and 9 or 10), in groups split by one space, hyphen or bracket: not a date or a sum.
const UK_PHONE = /(?:\+44\s?(?:\(0\)\s?)?|(?<![\d.,/:-])\(?0)[1-9](?:[\s)-]{0,2}\d){8,9}(?!\d)/g;

function hasPhoneNumber(text: string): boolean {
  // Freephone helplines (0800, 0808) belong to services, not to anyone in a case.
  return [...text.matchAll(UK_PHONE)].some((m) => !/^(?:0|440?)80/.test(m[0].replace(/\D/g, '')));
}

const NHS_CANDIDATE = /(?<![\d/.-])(\d{3})([\s-]?)(\d{3})\2(\d{4})(?![\d/-])/g;

/** The NHS number check digit: weights 10 to 2 over the first nine digits; 11 means 0, 10 means no such number. */
export function isNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits) || /^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

function hasNhsNumber(text: string): boolean {
  // Phone numbers (a helpline's too) are not read again as NHS numbers, one in eleven of which would pass the check.
  const withoutPhones = text.replace(UK_PHONE, ' ');
  return [...withoutPhones.matchAll(NHS_CANDIDATE)].some((m) => isNhsNumber(`${m[1]}${m[3]}${m[4]}`));
}

// HMRC: neither prefix letter D, F, I, Q, U or V; the second not O; never BG, GB, KN, NK, NT, TN or ZZ; suffix A to D.
const NI_UPPER = /\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?\d(?:\s?\d){5}\s?[A-D]\b/g;
const NI_RUN = /\b([a-ceghj-pr-tw-z][a-ceghj-npr-tw-z])\d{6}[a-d]\b/gi;
const NI_SPACED_ANY_CASE = new RegExp(NI_UPPER.source, 'gi');
const NI_NAMED = /\b(?:NI|NINO|national insurance)\b/i;
const NI_NEVER = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

function hasNiNumber(text: string): boolean {
  // Spaced, it must be in capitals ("on 20 03 27 a" is a date) unless the text says it is one; run together, any case.
  const matches = [...text.matchAll(NI_UPPER), ...text.matchAll(NI_RUN), ...(NI_NAMED.test(text) ? text.matchAll(NI_SPACED_ANY_CASE) : [])];
  return matches.some((m) => !NI_NEVER.has(m[1]!.toUpperCase()));
}

const POSTCODE_CANDIDATE = /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/gi;
// Royal Mail's letter rules, stricter than the library's shape check: no Q, V or X first, no I, J or Z second, and
// the last two letters never C, I, K, M, O or V.
const POSTCODE_LETTERS = /^[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/;
const ORDINAL = /\d(?:st|nd|rd|th)$/;

function hasPostcode(text: string): boolean {
  for (const [candidate] of text.matchAll(POSTCODE_CANDIDATE)) {
    // "Q2 2nd", "M4 3rd": a lower-case ordinal is a count, not an inward code.
    if (ORDINAL.test(candidate)) continue;
    const parsed = parse(candidate);
    if (parsed.valid && POSTCODE_LETTERS.test(parsed.postcode)) return true;
  }
  return false;
}

const SUFFIXES = 'Road|Street|Avenue|Close|Lane|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|Walk|Rise|Hill|Park|Square|Mews|Row|Parade|View|Rd|St|Ave|Ln|Dr';
// A house number (14, 14a, 12-14), up to four capitalised words, a street word: "14 Oak Road", "3a St Mary's Close".
const STREET = new RegExp(`(?<![\\d.,:/£$%-])\\b\\d{1,3}[A-Za-z]?(?:\\s?[-–]\\s?\\d{1,3}[A-Za-z]?)?,?\\s+((?:[A-Z][A-Za-z'’-]*\\.?\\s+){1,4})(${SUFFIXES})\\b`, 'g');
const FLAT = /\b(?:[Ff]lat|[Aa]partment|Apt\.?)\s+\d{1,4}[A-Za-z]?,?\s+[A-Z][a-z]/;
// A street word after these is an institution or a kind of place: "3 Family Court hearings", "2 Car Park spaces".
const NOT_STREETS: Record<string, readonly string[]> = {
  Court: ['Family', 'Crown', 'County', 'Magistrates', "Magistrates'", 'Youth', 'High', 'Coroners', "Coroner's", 'Supreme', 'Appeal', 'Civil', 'Criminal', 'Juvenile', 'Tribunal'],
  Place: ['Safe', 'Safer', 'Meeting'],
  Park: ['Car', 'Business', 'Retail', 'Industrial', 'Science', 'Theme', 'National', 'Country', 'Holiday', 'Skate'],
  Way: ['Best', 'Better', 'Right', 'Same', 'Other', 'One', 'Two', 'Three'],
  View: ['Point', 'Overview', 'Single', 'Shared', 'Family', 'Child'],
  Walk: ['Sponsored', 'Charity', 'Safety', 'Learning'],
};

function hasStreetAddress(text: string): boolean {
  if (FLAT.test(text)) return true;
  for (const m of text.matchAll(STREET)) {
    const suffix = m[2]!;
    const before = m[1]!.trim().split(/\s+/).at(-1)!.replace(/\.$/, '');
    if (NOT_STREETS[suffix]?.includes(before)) continue;
    // "St" and "Dr" before a capitalised word are a saint or a doctor: "2 GP Dr Patel", "the 3 St John Ambulance".
    if ((suffix === 'St' || suffix === 'Dr') && /^\.?\s+[A-Z]/.test(text.slice(m.index + m[0].length))) continue;
    return true;
  }
  return false;
}

// A first name ("Kacey-Leigh"), optionally a surname ("O'Connor", "McDonald", "Smith-Jones").
const FIRST = "[A-Z][a-z]+(?:-[A-Z][a-z]+)?";
const SURNAME = "[A-Z][A-Za-z'’-]*[a-z]";
const AGE_WORDS = String.raw`(?:born\b|DOB\b|d\.o\.b\b|date of birth\b|aged?\s+\d{1,3}\b|(?:a\s+)?\d{1,3}[\s-]*(?:years?|yrs?)[\s-]+old\b|\d{1,3}\s*(?:yo|y\/o)\b)`;
// A name, a comma or bracket, "was"/"is"/"who is", then born / DOB / aged N / age N / N years old.
const NAME_WITH_BIRTH = new RegExp(String.raw`\b(${FIRST})\b(?:\s+(${SURNAME})\b)?\s*[,(]?\s*(?:(?:who\s+)?(?:was|is)\s+)?${AGE_WORDS}`, 'g');
// First name and surname with an age set off by commas or brackets, or said outright: "Amelia Jones, 15,", "(34)", "is 14 and".
const NAME_WITH_BARE_AGE = new RegExp(
  String.raw`\b(${FIRST})\s+(${SURNAME})\b\s*(?:,\s*\d{1,2}\s*[,.;]|\(\s*\d{1,2}\s*\)|,?\s+(?:is|was)\s+\d{1,2}(?=\s*(?:[.,;]|$|\s+(?:and|but|now|when|at)\b)))`,
  'g',
);
// A relative by role, then a first name and an age: "her mum, Sarah, 29,", "brother Jack (9)". Only the role may be lower case.
const RELATIVES = ['mum', 'mother', 'dad', 'father', 'stepmum', 'stepdad', 'stepmother', 'stepfather', 'brother', 'sister', 'partner', 'boyfriend', 'girlfriend', 'grandmother', 'grandfather', 'nan', 'grandad', 'aunt', 'uncle', 'cousin', 'son', 'daughter'];
const RELATIVE_WITH_AGE = new RegExp(
  String.raw`\b(?:${RELATIVES.map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`).join('|')})\b,?\s+(${FIRST}),?\s*(?:\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\b)`,
  'g',
);
// A date of birth given outright, with or without a name: "born 03/04/2019", "DOB: 3 April 2019", "date of birth is the 3rd".
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*';
const BIRTH_DATE = new RegExp(
  String.raw`\b(?:(?:DOB|d\.o\.b\.?|date of birth)(?:\s+(?:is|was))?(?:\s+the)?\s*:?\s*\d|born(?:\s+on)?\s*:?\s*(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+${MONTH}\s+\d{4}|\d{4}\b(?!\s*(?:and|or|-|to)\s*\d)))`,
  'i',
);
// Capitalised words that start a sentence about groups of people, or a role, not a person: "Children aged 5 and under".
const NOT_NAMES = new Set([
  'Children', 'Child', 'Young', 'People', 'Adults', 'Adult', 'Babies', 'Baby', 'Girls', 'Boys', 'Girl', 'Boy', 'Pupils', 'Pupil', 'Students',
  'Student', 'Those', 'All', 'Most', 'Some', 'Many', 'Few', 'Families', 'Family', 'Parents', 'Parent', 'Patients', 'Patient', 'Residents',
  'Victims', 'Victim', 'Women', 'Men', 'Referrals', 'Cases', 'Infants', 'Infant', 'Teenagers', 'Teenager', 'Carers', 'Survivors',
  'Persons', 'Individuals', 'Learners', 'Where', 'When', 'Of', 'Anyone', 'Everyone', 'Toddlers', 'Siblings', 'Sibling', 'Mothers',
  'Fathers', 'Males', 'Females', 'Youths', 'Offenders', 'Cohort', 'Under', 'Over', 'Aged', 'Including', 'Only', 'Around', 'About',
  'Approximately', 'Nearly', 'Each', 'Both', 'Neither', 'Any', 'No', 'None', 'Eligible', 'Care', 'Leavers', 'Looked',
  'Applicants', 'Claimants', 'Drivers', 'Workers', 'Staff', 'Trainees', 'Apprentices', 'Members', 'Volunteers', 'Mum', 'Dad',
]);
// Second words that make the pair an agency, team or thing with a count beside it: "Wiltshire Police (42)".
const NOT_SURNAMES = new Set([
  'Police', 'Council', 'Hospital', 'Hospitals', 'Trust', 'School', 'Schools', 'Academy', 'College', 'Service', 'Services', 'Team',
  'Teams', 'Board', 'Partnership', 'Authority', 'Unit', 'Centre', 'Center', 'Group', 'Practice', 'Surgery', 'Health', 'Care',
  'Borough', 'County', 'City', 'Housing', 'Probation', 'Court', 'Hub', 'Panel', 'Review', 'Reviews', 'Meeting', 'Meetings',
  'Network', 'Forum', 'Agency', 'Agencies', 'Department', 'Directorate', 'Office', 'Ward', 'Clinic', 'Nursery', 'Nurseries',
  'Foundation', 'Commissioner', 'Safeguarding', 'Children', 'Adults', 'Families', 'Plan', 'Plans', 'Act', 'Section', 'Stage',
  'Quarter', 'Year', 'Week', 'Day', 'Month', 'Referrals', 'Contacts', 'Assessments', 'Visits', 'Cases', 'Audit', 'Audits',
  'Visiting', 'Visitors', 'Nursing', 'Midwifery', 'Education', 'Justice', 'Work', 'Workers', 'Help', 'Support', 'Protection',
]);

function hasNameWithBirth(text: string): boolean {
  return BIRTH_DATE.test(text) || namedAge(NAME_WITH_BIRTH, text) || namedAge(NAME_WITH_BARE_AGE, text) || namedAge(RELATIVE_WITH_AGE, text);
}

const isName = (word: string) => !NOT_NAMES.has(word) && !NOT_SURNAMES.has(word);

function namedAge(pattern: RegExp, text: string): boolean {
  const re = new RegExp(pattern);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (isName(m[1]!) && (m[2] === undefined || isName(m[2]))) return true;
    // "Mum Jane, aged 34": the word after a role may be the name, so look again from it.
    re.lastIndex = m.index + m[1]!.length;
  }
  return false;
}

/** In the order the message lists them. */
export const IDENTIFYING_KINDS: readonly IdentifyingKind[] = [
  { what: 'an email address', test: (text) => EMAIL.test(text) },
  { what: 'a phone number', test: hasPhoneNumber },
  { what: 'what may be an NHS number', test: hasNhsNumber },
  { what: 'a National Insurance number', test: hasNiNumber },
  { what: 'a postcode', test: hasPostcode },
  { what: 'a street address', test: hasStreetAddress },
  { what: 'a name with a date of birth or age', test: hasNameWithBirth },
];
