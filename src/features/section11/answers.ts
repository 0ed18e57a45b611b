// A return's answers: one page of questions per standard, the rules across a standard's answers, and what is still
// missing before the return can be submitted. Answers are FormValues keyed `<standard>:<part>`.
import type { FieldErrors, FieldOption, FormField, FormValues } from '../../messaging/message.js';
import type { FormPage } from '../../forms/paged-form.js';
import type { RatingColour, ScaleEntry, Standard } from './model.js';

export const PARTS = ['rating', 'evidence', 'links', 'action', 'owner', 'target', 'na', 'confirm'] as const;
export type Part = (typeof PARTS)[number];

export const fieldId = (standard: string, part: Part) => `${standard}:${part}`;

export const LIMITS = { evidence: 2000, links: 1000, action: 600, na: 300 } as const;
export const CONFIRMED = 'yes';

/** The round's earlier answers a page was filled from: "from the 2024 round: confirm or update". */
export interface CarriedFrom {
  roundTitle: string;
  year: string;
}

export const colourOf = (scale: readonly ScaleEntry[], key: string | undefined): RatingColour | undefined => scale.find((s) => s.key === key)?.colour;
const shortOfMet = (colour: RatingColour | undefined) => colour === 'amber' || colour === 'red';

/** "Met (M)": the letter beside the word, so a rating never depends on colour alone. */
export const ratingLabel = (s: ScaleEntry) => `${s.label} (${s.letter})`;

/** One standard's page. `whose`: the return it belongs to, in a line; `owners`: who may own its action (undefined: the partnership's members). */
export function standardPage(standard: Standard, whose: string, scale: readonly ScaleEntry[], owners: FieldOption[] | undefined, carried: CarriedFrom | undefined): FormPage {
  const id = (part: Part) => fieldId(standard.key, part);
  const fields: FormField[] = [
    { kind: 'choice', id: id('rating'), label: 'Rating', required: true, style: 'radio', options: scale.map((s) => ({ value: s.key, label: ratingLabel(s) })) },
    { kind: 'longText', id: id('evidence'), label: 'Evidence', hint: 'What shows this: documents, audits, figures (not needed when not applicable)', maxLength: LIMITS.evidence },
    { kind: 'longText', id: id('links'), label: 'Evidence links', hint: 'One web address per line (https://…)', maxLength: LIMITS.links },
    { kind: 'longText', id: id('action'), label: 'Improvement action', hint: 'Needed for anything short of met', maxLength: LIMITS.action },
    { kind: 'member', id: id('owner'), label: 'Action owner', ...(owners ? { options: owners } : {}) },
    { kind: 'date', id: id('target'), label: 'Action target date' },
    { kind: 'text', id: id('na'), label: 'Why not applicable', hint: 'Needed when not applicable', maxLength: LIMITS.na },
  ];
  if (carried) fields.push({ kind: 'multiChoice', id: id('confirm'), label: `Carried forward from ${carried.year}`, options: [{ value: CONFIRMED, label: 'I have checked these answers: they stand for this round' }] });
  const prompts = standard.evidence.length > 0 ? `\nEvidence might include: ${standard.evidence.join('; ')}.` : '';
  const carriedNote = carried ? `\n_From the ${carried.year} round (${carried.roundTitle}): confirm or update._` : '';
  return { title: `Standard ${standard.number}: ${standard.name}`, short: `Standard ${standard.number}`, intro: `_${whose}_\n${standard.guidance}${prompts}${carriedNote}`, fields };
}

const present = (v: string | undefined) => v !== undefined && v.trim() !== '';
const badLink = (line: string) => !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(line);

/** The rules across one standard's answers (each field's own rules, such as length, are checked by the form). */
export function standardProblems(standard: Standard, scale: readonly ScaleEntry[], values: FormValues, today: string): FieldErrors {
  const id = (part: Part) => fieldId(standard.key, part);
  const v = (part: Part) => values[id(part)];
  const errors: FieldErrors = {};
  const colour = colourOf(scale, v('rating'));
  if (colour && colour !== 'grey' && !present(v('evidence'))) errors[id('evidence')] = 'Say what evidence shows this rating.';
  if (colour === 'grey' && !present(v('na'))) errors[id('na')] = 'Say why this standard does not apply to your agency.';
  if (shortOfMet(colour) && !present(v('action'))) errors[id('action')] = 'Anything short of met needs an improvement action.';
  if (present(v('action'))) {
    if (!present(v('owner'))) errors[id('owner')] = 'Choose who owns the improvement action.';
    if (!present(v('target'))) errors[id('target')] = 'Give the action a target date.';
  }
  const target = v('target');
  if (present(target) && target! < today) errors[id('target')] = 'The target date has passed: choose today or a later date.';
  const links = (v('links') ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const wrong = links.find(badLink);
  if (wrong !== undefined) errors[id('links')] = `"${wrong.slice(0, 60)}" is not a web address: put one per line, starting https://`;
  return errors;
}

/** Rated, its rules met, and (when carried forward) confirmed: what counts a standard as done. */
export function standardDone(standard: Standard, scale: readonly ScaleEntry[], values: FormValues, today: string, carried: boolean): boolean {
  if (!colourOf(scale, values[fieldId(standard.key, 'rating')])) return false;
  if (carried && values[fieldId(standard.key, 'confirm')] !== CONFIRMED) return false;
  return Object.keys(standardProblems(standard, scale, values, today)).length === 0;
}

export interface MissingOnPage {
  page: number;
  standard: Standard;
  missing: string[];
}

/** What stops the return being submitted, page by page, in words and as errors beside the fields. */
export function missingByPage(standards: readonly Standard[], scale: readonly ScaleEntry[], values: FormValues, today: string, carried: boolean): { pages: MissingOnPage[]; errors: FieldErrors } {
  const pages: MissingOnPage[] = [];
  const errors: FieldErrors = {};
  standards.forEach((standard, page) => {
    const rating = fieldId(standard.key, 'rating');
    const problems: FieldErrors = colourOf(scale, values[rating]) ? standardProblems(standard, scale, values, today) : { [rating]: 'Choose a rating.' };
    const confirm = fieldId(standard.key, 'confirm');
    if (carried && values[confirm] !== CONFIRMED) problems[confirm] = 'Tick to confirm the answers carried forward, or change them.';
    if (Object.keys(problems).length === 0) return;
    Object.assign(errors, problems);
    pages.push({ page, standard, missing: Object.keys(problems).map((key) => partWords[key.slice(key.indexOf(':') + 1) as Part]) });
  });
  return { pages, errors };
}

const partWords: Record<Part, string> = {
  rating: 'a rating',
  evidence: 'evidence',
  links: 'the links',
  action: 'an improvement action',
  owner: "the action's owner",
  target: "the action's target date",
  na: 'why not applicable',
  confirm: 'confirm the answers carried forward',
};

/** The answers of the standards in a round, carried forward: every answer but the confirmation, which is asked afresh. */
export function carriedValues(standards: readonly Standard[], previous: FormValues): FormValues {
  const values: FormValues = {};
  for (const s of standards) {
    for (const part of PARTS) {
      const value = previous[fieldId(s.key, part)];
      if (part !== 'confirm' && value !== undefined && value !== '') values[fieldId(s.key, part)] = value;
    }
  }
  return values;
}
