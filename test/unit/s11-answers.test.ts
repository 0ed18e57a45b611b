// The rules of a Section 11 return (src/features/section11/answers.ts) and the `section11:` section of a partnership
// file (schema.ts): what a lead is told beside each field, what counts a standard as done, what the review page lists,
// what carries forward to the next round, and the precise errors a partnership file gets. "Today" is fixed: the
// machine's date is never read.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePartnershipFile } from '../../src/app/partnership-file.js';
import { PartnershipConfigError } from '../../src/directory/load-config.js';
import { carriedValues, CONFIRMED, fieldId, LIMITS, missingByPage, standardDone, standardPage, standardProblems, type Part } from '../../src/features/section11/answers.js';
import { DEFAULT_CHASE, DEFAULT_SCALE, type ScaleEntry, type Standard } from '../../src/features/section11/model.js';
import { section11Policy, section11Section, section11SectionSchema } from '../../src/features/section11/schema.js';
import { DEFAULT_STANDARDS } from '../../src/features/section11/standards.js';
import { validateFields } from '../../src/forms/validate.js';
import type { FormValues } from '../../src/messaging/message.js';
import { examplePartnership } from '../support/bot-harness.js';
import { testshireFile } from '../support/testshire-file.js';

const TODAY = '2027-03-15';
const scale = DEFAULT_SCALE;
const standards = DEFAULT_STANDARDS.s11;
const s3 = standards[2]!;
const owners = [{ value: 'member-1', label: 'Nicola Brooks' }, { value: 'member-2', label: 'Stuart Pemberton' }];
const f = (part: Part, standard: Standard = s3) => fieldId(standard.key, part);

/** A standard answered as met, with evidence: nothing more is needed. */
const met = (standard: Standard): FormValues => ({ [fieldId(standard.key, 'rating')]: 'met', [fieldId(standard.key, 'evidence')]: 'Safeguarding policy reviewed by the board, Jan 2027' });
const allMet = (): FormValues => Object.assign({}, ...standards.map(met));
const problems = (values: FormValues) => standardProblems(s3, scale, values, TODAY);

describe('standardProblems: the rules across one standard’s answers, beside the field concerned', () => {
  it('asks nothing more of a met rating with evidence, nor of a not applicable one with its reason', () => {
    expect(problems(met(s3))).toEqual({});
    expect(problems({ [f('rating')]: 'not-applicable', [f('na')]: 'We commission no services for children' })).toEqual({});
  });

  it('needs evidence for every rating but not applicable', () => {
    for (const rating of ['met', 'partly-met', 'not-met']) {
      expect(problems({ [f('rating')]: rating, [f('action')]: 'Train all managers', [f('owner')]: 'member-1', [f('target')]: '2027-06-30' }), rating)
        .toEqual({ [f('evidence')]: 'Say what evidence shows this rating.' });
    }
    expect(problems({ [f('rating')]: 'met', [f('evidence')]: '   \n ' })).toEqual({ [f('evidence')]: 'Say what evidence shows this rating.' });
  });

  it('needs a reason for not applicable, and no evidence', () => {
    expect(problems({ [f('rating')]: 'not-applicable' })).toEqual({ [f('na')]: 'Say why this standard does not apply to your agency.' });
    expect(problems({ [f('rating')]: 'not-applicable', [f('na')]: '  ' })).toEqual({ [f('na')]: 'Say why this standard does not apply to your agency.' });
  });

  it('needs an improvement action for anything short of met (amber or red), with its owner and target date', () => {
    for (const rating of ['partly-met', 'not-met']) {
      expect(problems({ [f('rating')]: rating, [f('evidence')]: 'Chart of the line of accountability' }), rating)
        .toEqual({ [f('action')]: 'Anything short of met needs an improvement action.' });
    }
    const base = { [f('rating')]: 'partly-met', [f('evidence')]: 'Chart', [f('action')]: 'Name a deputy lead' };
    expect(problems(base)).toEqual({ [f('owner')]: 'Choose who owns the improvement action.', [f('target')]: 'Give the action a target date.' });
    expect(problems({ ...base, [f('owner')]: 'member-1' })).toEqual({ [f('target')]: 'Give the action a target date.' });
    expect(problems({ ...base, [f('target')]: '2027-06-30' })).toEqual({ [f('owner')]: 'Choose who owns the improvement action.' });
    expect(problems({ ...base, [f('owner')]: 'member-1', [f('target')]: '2027-06-30' })).toEqual({});
  });

  it('holds an action given on a met standard to the same owner and date', () => {
    expect(problems({ ...met(s3), [f('action')]: 'Refresh the chart yearly' })).toEqual({
      [f('owner')]: 'Choose who owns the improvement action.',
      [f('target')]: 'Give the action a target date.',
    });
  });

  it('refuses a target date before today, and takes today itself', () => {
    const base = { [f('rating')]: 'not-met', [f('evidence')]: 'None yet', [f('action')]: 'Write the policy', [f('owner')]: 'member-2' };
    expect(problems({ ...base, [f('target')]: '2027-03-14' })).toEqual({ [f('target')]: 'The target date has passed: choose today or a later date.' });
    expect(problems({ ...base, [f('target')]: '2026-12-31' })).toEqual({ [f('target')]: 'The target date has passed: choose today or a later date.' });
    expect(problems({ ...base, [f('target')]: TODAY })).toEqual({});
    expect(problems({ ...base, [f('target')]: '2027-03-16' })).toEqual({});
    // A past date with no action is still refused: it is beside the field, whatever the rating.
    expect(problems({ ...met(s3), [f('target')]: '2027-01-01' })).toEqual({ [f('target')]: 'The target date has passed: choose today or a later date.' });
  });

  it('takes one web address per line and names the first line that is not one', () => {
    const ok = 'https://intranet.walsall.example/safeguarding-policy.pdf\r\n\n  http://example.org/audit-2026  \n';
    expect(problems({ ...met(s3), [f('links')]: ok })).toEqual({});
    for (const bad of ['www.example.org/policy', 'see the intranet', 'javascript:alert(1)', 'https://example.org/a b', 'ftp://files.example.org/x']) {
      const errors = problems({ ...met(s3), [f('links')]: `https://example.org/ok\n${bad}` });
      expect(Object.keys(errors), bad).toEqual([f('links')]);
      expect(errors[f('links')], bad).toMatch(/is not a web address: put one per line, starting https:\/\//);
      expect(errors[f('links')], bad).toContain(`"${bad.slice(0, 60)}"`);
    }
    const long = `not-a-link-${'x'.repeat(200)}`;
    expect(problems({ ...met(s3), [f('links')]: long })[f('links')]).toContain(`"${long.slice(0, 60)}"`);
    expect(problems({ ...met(s3), [f('links')]: long })[f('links')]).not.toContain(long.slice(0, 61));
  });

  it('leaves a missing rating and over-long answers to the form’s own field rules', () => {
    expect(problems({})).toEqual({});
    const page = standardPage(s3, 'Walsall Council · Section 11 audit 2027 · due Wed 30 Jun 2027', scale, owners, undefined);
    const overLong = { ...met(s3), [f('evidence')]: 'e'.repeat(LIMITS.evidence + 1), [f('na')]: 'n'.repeat(LIMITS.na + 1), [f('action')]: 'a'.repeat(LIMITS.action + 1), [f('links')]: `https://example.org/${'l'.repeat(LIMITS.links)}` };
    expect(validateFields(page.fields, {})).toEqual({ [f('rating')]: 'Rating is required.' });
    expect(validateFields(page.fields, overLong)).toEqual({
      [f('evidence')]: `Evidence can have at most ${LIMITS.evidence} characters (it has ${LIMITS.evidence + 1}).`,
      [f('links')]: `Evidence links can have at most ${LIMITS.links} characters (it has ${LIMITS.links + 20}).`,
      [f('action')]: `Improvement action can have at most ${LIMITS.action} characters (it has ${LIMITS.action + 1}).`,
      [f('na')]: `Why not applicable can have at most ${LIMITS.na} characters (it has ${LIMITS.na + 1}).`,
    });
    expect(validateFields(page.fields, { ...met(s3), [f('owner')]: 'someone-else' })).toEqual({ [f('owner')]: 'Choose a member of the partnership for Action owner.' });
    expect(validateFields(page.fields, { ...met(s3), [f('target')]: '2027-02-30' })).toEqual({ [f('target')]: 'Action target date must be a real date (YYYY-MM-DD).' });
  });
});

describe('standardPage: one page of questions per standard', () => {
  it('asks for the rating on the partnership’s scale in words and letters, then evidence, links, action, owner, date and reason', () => {
    const page = standardPage(s3, 'Walsall Council · Section 11 audit 2027 · due Wed 30 Jun 2027', scale, owners, undefined);
    expect(page.title).toBe('Standard 3: Clear line of accountability');
    expect(page.intro).toContain('Walsall Council · Section 11 audit 2027 · due Wed 30 Jun 2027');
    expect(page.intro).toContain(s3.guidance);
    expect(page.intro).toContain('Evidence might include: Structure chart with the safeguarding lead; Job descriptions naming safeguarding duties.');
    expect(page.intro).not.toContain('confirm or update');
    expect(page.fields.map((x) => x.id)).toEqual(['rating', 'evidence', 'links', 'action', 'owner', 'target', 'na'].map((p) => f(p as Part)));
    const rating = page.fields[0]!;
    expect(rating).toMatchObject({ kind: 'choice', required: true, style: 'radio' });
    expect(rating.kind === 'choice' && rating.options.map((o) => o.label)).toEqual(['Met (M)', 'Partially met (P)', 'Not met (N)', 'Not applicable (X)']);
    expect(page.fields.find((x) => x.id === f('owner'))).toMatchObject({ kind: 'member', options: owners });
    expect(page.fields.find((x) => x.id === f('target'))).toMatchObject({ kind: 'date' });
    for (const [part, max] of Object.entries(LIMITS)) expect(page.fields.find((x) => x.id === f(part as Part)), part).toMatchObject({ maxLength: max });
  });

  it('uses a partnership’s own scale', () => {
    const own: ScaleEntry[] = [{ key: 'good', label: 'Good', letter: 'G', colour: 'green' }, { key: 'weak', label: 'Needs work', letter: 'W', colour: 'red' }];
    const rating = standardPage(s3, 'Walsall Council · Section 11 audit 2027 · due Wed 30 Jun 2027', own, owners, undefined).fields[0]!;
    expect(rating.kind === 'choice' && rating.options).toEqual([{ value: 'good', label: 'Good (G)' }, { value: 'weak', label: 'Needs work (W)' }]);
  });

  it('asks to confirm answers carried forward from an earlier round, naming it', () => {
    const page = standardPage(s3, 'Walsall Council · Section 11 audit 2027 · due Wed 30 Jun 2027', scale, owners, { roundTitle: 'Section 11 audit 2025', year: '2025' });
    expect(page.intro).toContain('From the 2025 round (Section 11 audit 2025): confirm or update.');
    const confirm = page.fields.at(-1)!;
    expect(confirm).toMatchObject({ kind: 'multiChoice', id: f('confirm'), label: 'Carried forward from 2025' });
    expect(confirm.kind === 'multiChoice' && confirm.options.map((o) => o.value)).toEqual([CONFIRMED]);
  });
});

describe('standardDone and missingByPage: what the review page lists, page by page', () => {
  it('counts a standard done once rated with its rules met, and (when carried forward) confirmed', () => {
    expect(standardDone(s3, scale, {}, TODAY, false)).toBe(false);
    expect(standardDone(s3, scale, { [f('rating')]: 'met' }, TODAY, false)).toBe(false);
    expect(standardDone(s3, scale, { [f('rating')]: 'excellent', [f('evidence')]: 'x' }, TODAY, false)).toBe(false);
    expect(standardDone(s3, scale, met(s3), TODAY, false)).toBe(true);
    expect(standardDone(s3, scale, met(s3), TODAY, true)).toBe(false);
    expect(standardDone(s3, scale, { ...met(s3), [f('confirm')]: CONFIRMED }, TODAY, true)).toBe(true);
    const amber = { [f('rating')]: 'partly-met', [f('evidence')]: 'x', [f('action')]: 'y', [f('owner')]: 'member-1', [f('target')]: '2027-03-15' };
    expect(standardDone(s3, scale, amber, TODAY, false)).toBe(true);
    expect(standardDone(s3, scale, amber, '2027-03-16', false)).toBe(false);
  });

  it('lists nothing when every standard is done', () => {
    expect(missingByPage(standards, scale, allMet(), TODAY, false)).toEqual({ pages: [], errors: {} });
  });

  it('lists each unfinished standard with its page and what is missing, in words, and the errors beside the fields', () => {
    const s1 = standards[0]!;
    const s6 = standards[5]!;
    const values: FormValues = {
      ...allMet(),
      [fieldId(s1.key, 'rating')]: '',
      [fieldId(s3.key, 'rating')]: 'not-met', [fieldId(s3.key, 'action')]: 'Appoint a lead', [fieldId(s3.key, 'target')]: '2027-01-04',
      [fieldId(s6.key, 'rating')]: 'not-applicable', [fieldId(s6.key, 'evidence')]: '',
    };
    const { pages, errors } = missingByPage(standards, scale, values, TODAY, false);
    expect(pages.map((p) => ({ page: p.page, standard: p.standard.number, missing: p.missing }))).toEqual([
      { page: 0, standard: '1', missing: ['a rating'] },
      { page: 2, standard: '3', missing: ["the action's owner", "the action's target date"] },
      { page: 5, standard: '6', missing: ['why not applicable'] },
    ]);
    expect(errors).toEqual({
      [fieldId(s1.key, 'rating')]: 'Choose a rating.',
      [fieldId(s3.key, 'owner')]: 'Choose who owns the improvement action.',
      [fieldId(s3.key, 'target')]: 'The target date has passed: choose today or a later date.',
      [fieldId(s6.key, 'na')]: 'Say why this standard does not apply to your agency.',
    });
  });

  it('asks for each carried-forward standard to be confirmed, even when its answers are complete', () => {
    const values = { ...allMet(), [fieldId(standards[1]!.key, 'confirm')]: CONFIRMED };
    const { pages, errors } = missingByPage(standards, scale, values, TODAY, true);
    expect(pages.map((p) => p.page)).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(pages[0]!.missing).toEqual(['confirm the answers carried forward']);
    expect(errors[fieldId(standards[0]!.key, 'confirm')]).toBe('Tick to confirm the answers carried forward, or change them.');
    expect(errors[fieldId(standards[1]!.key, 'confirm')]).toBeUndefined();
  });

  it('lists a standard with no rating as just "a rating" (its other answers are judged once rated)', () => {
    const values = { ...allMet(), [f('rating')]: undefined as unknown as string, [f('target')]: '2020-01-01' };
    const { pages, errors } = missingByPage(standards, scale, values, TODAY, false);
    expect(pages.map((p) => [p.page, p.missing])).toEqual([[2, ['a rating']]]);
    expect(errors).toEqual({ [f('rating')]: 'Choose a rating.' });
  });
});

describe('carriedValues: last round’s answers for the new round', () => {
  it('keeps every answer of the round’s standards but the confirmation, and drops empty ones and other standards', () => {
    const previous: FormValues = {
      ...met(standards[0]!),
      [fieldId(standards[0]!.key, 'confirm')]: CONFIRMED,
      [fieldId(standards[0]!.key, 'links')]: '',
      [f('rating')]: 'partly-met', [f('evidence')]: 'Chart', [f('action')]: 'Deputy lead', [f('owner')]: 'member-1', [f('target')]: '2025-09-30',
      'old-standard:rating': 'met',
      'comment': 'not a standard answer',
    };
    expect(carriedValues(standards, previous)).toEqual({
      ...met(standards[0]!),
      [f('rating')]: 'partly-met', [f('evidence')]: 'Chart', [f('action')]: 'Deputy lead', [f('owner')]: 'member-1', [f('target')]: '2025-09-30',
    });
    expect(carriedValues(standards, {})).toEqual({});
  });

  it('carries a target date that has since passed: the page asks for a new one until it is updated', () => {
    const carried = carriedValues([s3], { [f('rating')]: 'not-met', [f('evidence')]: 'x', [f('action')]: 'y', [f('owner')]: 'member-1', [f('target')]: '2025-09-30' });
    expect(missingByPage([s3], scale, { ...carried, [f('confirm')]: CONFIRMED }, TODAY, true).errors).toEqual({ [f('target')]: 'The target date has passed: choose today or a later date.' });
  });
});

// Answers a lead might give on one page: each part present, blank or absent, with dates around today and good or bad links.
const rating = fc.constantFrom(undefined, '', ...DEFAULT_SCALE.map((s) => s.key));
const words = fc.constantFrom(undefined, '', '   ', 'Board minutes, March 2027', 'x');
const target = fc.constantFrom(undefined, '', '2026-12-31', '2027-03-14', TODAY, '2027-03-16', '2028-01-01');
const links = fc.constantFrom(undefined, '', 'https://example.org/a', 'https://example.org/a\nhttp://example.org/b', 'https://example.org/a\nintranet page', 'www.example.org');
const owner = fc.constantFrom(undefined, '', 'member-1', 'member-2');
const pageAnswers = fc.record({ rating, evidence: words, links, action: words, owner, target, na: words }, { requiredKeys: [] });

describe('any combination of answers on a page (property)', () => {
  it('either has no problems or has errors only on fields of that page, each one the rules call for', () => {
    fc.assert(
      fc.property(fc.constantFrom(...standards), pageAnswers, (standard, answers) => {
        const values: FormValues = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined).map(([part, v]) => [fieldId(standard.key, part as Part), v as string]));
        const errors = standardProblems(standard, scale, values, TODAY);
        const onPage = new Set(standardPage(standard, 'Walsall Council · Section 11 audit 2027 · due Wed 30 Jun 2027', scale, owners, undefined).fields.map((x) => x.id));
        for (const id of Object.keys(errors)) expect(onPage.has(id), id).toBe(true);
        // The same rules, said another way.
        const has = (v: string | undefined) => v !== undefined && v.trim() !== '';
        const colour = DEFAULT_SCALE.find((s) => s.key === answers.rating)?.colour;
        const badLinks = (answers.links ?? '').split('\n').some((l) => l.trim() !== '' && !/^https?:\/\/\S+$/.test(l.trim()));
        const expected = new Set<Part>();
        if (colour && colour !== 'grey' && !has(answers.evidence)) expected.add('evidence');
        if (colour === 'grey' && !has(answers.na)) expected.add('na');
        if ((colour === 'amber' || colour === 'red') && !has(answers.action)) expected.add('action');
        if (has(answers.action) && !has(answers.owner)) expected.add('owner');
        if ((has(answers.action) && !has(answers.target)) || (has(answers.target) && answers.target! < TODAY)) expected.add('target');
        if (badLinks) expected.add('links');
        expect(new Set(Object.keys(errors))).toEqual(new Set([...expected].map((p) => fieldId(standard.key, p))));
        // Done exactly when rated and nothing is wrong; and then the review page does not list it.
        const done = standardDone(standard, scale, values, TODAY, false);
        expect(done).toBe(colour !== undefined && expected.size === 0);
        expect(missingByPage([standard], scale, values, TODAY, false).pages.length === 0).toBe(done);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- the `section11:` section of a partnership file ----

const issues = (section: unknown) => {
  const result = section11SectionSchema.safeParse(section);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const standard = (key: string, name = `Standard ${key}`) => ({ key, name, guidance: 'What good looks like.' });
const round = (over: Record<string, unknown> = {}) => ({ key: 'section-11', title: 'Section 11 audit {year}', recurs: { every: { years: 2 }, from: '2028-04-03' }, dueAfter: { months: 4 }, ...over });

describe('section11SectionSchema', () => {
  it('is optional, and accepts the Walsall example’s section', () => {
    expect(section11SectionSchema.parse(undefined)).toEqual({});
    const walsall = parse(readFileSync(examplePartnership('walsall'), 'utf8')) as { section11: unknown };
    expect(issues(walsall.section11)).toEqual([]);
  });

  it('checks the scale: at least two ratings, one green, each key and letter its own', () => {
    const entry = (key: string, letter: string, colour: string) => ({ key, label: key, letter, colour });
    expect(issues({ scale: [entry('met', 'M', 'green')] })).toEqual(['scale: list at least two ratings']);
    expect(issues({ scale: [entry('good', 'G', 'amber'), entry('poor', 'P', 'red')] })).toEqual(['scale: one rating must be green: what "met" is called']);
    expect(issues({ scale: [entry('met', 'M', 'green'), entry('mostly', 'M', 'amber')] })).toEqual(['scale: each rating needs its own letter (the heat map prints it)']);
    expect(issues({ scale: [entry('met', 'M', 'green'), entry('met', 'N', 'red')] })).toEqual(['scale.1.key: the rating "met" is listed twice']);
    expect(issues({ scale: [entry('met', 'm', 'green'), entry('not-met', 'NM', 'purple')] })).toEqual([
      'scale.0.letter: must be one capital letter or digit, e.g. M',
      'scale.1.letter: must be one capital letter or digit, e.g. M',
      expect.stringMatching(/^scale\.1\.colour: /),
    ]);
    expect(issues({ scale: [entry('met', 'M', 'green'), entry('not-met', 'N', 'red')] })).toEqual([]);
  });

  it('names a standard key listed twice, and a key that is not one', () => {
    expect(issues({ standards: { s11: [standard('s1'), standard('s2'), standard('s1')] } })).toEqual(['standards.s11.2.key: the standard "s1" is listed twice']);
    expect(issues({ standards: { 'care-act': [standard('Standard 1')] } })).toEqual(['standards.care-act.0.key: "Standard 1" is not a standard key: lower-case letters, digits and dashes, e.g. s1']);
    expect(issues({ standards: { s11: [] } })).toEqual(['standards.s11: list at least one standard']);
    expect(issues({ standards: { schools: [standard('s1')] } })).toEqual([expect.stringMatching(/Unrecognized key: "schools"/)]);
  });

  it('names a round key listed twice, a bad dueAfter, a bad time and a bad recurs:', () => {
    expect(issues({ rounds: [round(), round({ title: 'Again' })] })).toEqual(['rounds.1.key: the round "section-11" is listed twice']);
    expect(issues({ rounds: [round({ dueAfter: { weeks: 6 } })] })).toEqual(['rounds.0.dueAfter: must be { months: N } or { workingDays: N }']);
    expect(issues({ sendAt: '9:30' })).toEqual(['sendAt: "9:30" is not a time written HH:mm, e.g. "09:30"']);
    expect(issues({ chaseEvery: 0, remindBefore: [5, 1.5] })).toEqual(['remindBefore.1: must be a whole number', 'chaseEvery: must be at least 1']);
    expect(issues({ rounds: [round({ recurs: { every: { fortnights: 1 }, from: '2028-04-03' } })] })).toEqual([
      'rounds.0.recurs.every: Unrecognized key: "fortnights"',
      'rounds.0.recurs.every: give exactly one of months, weeks, years, e.g. { months: 3 }',
    ]);
    expect(issues({ rounds: [round({ recurs: { every: { years: 2 } } })] })).toEqual(['rounds.0.recurs.from: give the first date as from: YYYY-MM-DD']);
    expect(issues({ rounds: [round({ recurs: { from: '2028-04-03' } })] })).toEqual(['rounds.0.recurs: say when it recurs: one of every, rule, dates or meetings']);
  });
});

describe('section11Section.crossCheck: the groups, agencies and members it names exist', () => {
  const file = parse(testshireFile) as object;
  const messages = (section: unknown) => section11Section.crossCheck!(section, file).map((p) => `${p.path.join('.')}: ${p.message}`);

  it('finds nothing wrong with names that exist', () => {
    expect(messages({ moderatedBy: 'practice-review-group', boardGroup: 'practice-review-group', rounds: [round({ agencies: ['testshire-council'] })] })).toEqual([]);
    expect(messages(undefined)).toEqual([]);
  });

  it('names an unknown group or agency, with a "did you mean" when one is close', () => {
    expect(messages({ moderatedBy: 'practise-review-group', boardGroup: 'executive-board', rounds: [round({ agencies: ['testshire-council', 'testshire-counsil', 'police'] })] })).toEqual([
      'section11.moderatedBy: there is no group "practise-review-group"; did you mean "practice-review-group"?',
      'section11.boardGroup: there is no group "executive-board"',
      'section11.rounds.0.agencies.1: there is no agency "testshire-counsil"; did you mean "testshire-council"?',
      'section11.rounds.0.agencies.2: there is no agency "police"',
    ]);
  });

  it('checks a round’s recurs: against the directory (members in turn, meetings per year)', () => {
    expect(messages({ rounds: [round({ recurs: { every: { years: 1 }, from: '2028-04-03', leadsInTurn: ['sam-patel', 'jo-smyth'] } })] })).toEqual([
      'section11.rounds.0.recurs.leadsInTurn.1: unknown member "jo-smyth" (did you mean "jo-smith"?)',
    ]);
    expect(messages({ rounds: [round({ recurs: { meetings: 'per-year', from: '2028-04-03' } })] })).toEqual([
      "section11.rounds.0.recurs.meetings: meetings: per-year reads the meetingsPerYear of the round's group: give the round a group",
    ]);
  });

  it('reports each problem at its line in the file, as the bot does at start', () => {
    const text = `${testshireFile}section11:
  moderatedBy: practise-review-group
  scale:
    - { key: met, label: Met, letter: M, colour: green }
    - { key: met, label: Not met, letter: N, colour: red }
`;
    let lines: string[] = [];
    try {
      parsePartnershipFile(text, 'test.yaml');
    } catch (error) {
      if (!(error instanceof PartnershipConfigError)) throw error;
      lines = error.message.split('\n');
    }
    expect(lines).toEqual([
      'test.yaml:25:16 section11.moderatedBy: there is no group "practise-review-group"; did you mean "practice-review-group"?',
      'test.yaml:28:14 section11.scale[1].key: the rating "met" is listed twice',
    ]);
  });
});

describe('section11Policy', () => {
  it('is the defaults where the file says nothing', () => {
    for (const sections of [{}, undefined, null, { section11: {} }, { section11: 'nonsense' }]) {
      expect(section11Policy(sections)).toEqual({ scale: DEFAULT_SCALE, standards: {}, ...DEFAULT_CHASE, rounds: [] });
    }
    expect(DEFAULT_CHASE).toEqual({ sendAt: '09:30', remindBefore: [10, 5, 1], chaseEvery: 5, escalate: { board: { workingDays: 5 }, chair: { workingDays: 10 } } });
  });

  it('reads the Walsall example: its moderating and board groups and its recurring round', () => {
    const policy = section11Policy(parsePartnershipFile(readFileSync(examplePartnership('walsall'), 'utf8'), 'walsall.yaml'));
    expect(policy).toMatchObject({ moderatedBy: 'performance-quality-assurance', boardGroup: 'executive-group', scale: DEFAULT_SCALE, standards: {}, ...DEFAULT_CHASE });
    expect(policy.rounds).toEqual([{ key: 'section-11', title: 'Section 11 audit {year}', variant: 's11', recurs: { pattern: { kind: 'every', unit: 'years', interval: 2 }, from: '2028-04-03' }, dueAfter: { months: 4 } }]);
  });

  it('numbers standards by position unless numbered, sorts reminders latest first without repeats, keeps partial escalation', () => {
    const section = section11SectionSchema.parse({
      standards: { s175: [standard('lead'), { ...standard('policy'), number: '2a', evidence: ['Policy'] }] },
      remindBefore: [1, 10, 5, 10],
      escalate: { chair: { workingDays: 15 } },
      rounds: [round({ agencies: ['testshire-council'] })],
    });
    const policy = section11Policy({ section11: section });
    expect(policy.standards).toEqual({
      s175: [
        { key: 'lead', number: '1', name: 'Standard lead', guidance: 'What good looks like.', evidence: [] },
        { key: 'policy', number: '2a', name: 'Standard policy', guidance: 'What good looks like.', evidence: ['Policy'] },
      ],
    });
    expect(policy.remindBefore).toEqual([10, 5, 1]);
    expect(policy.escalate).toEqual({ board: { workingDays: 5 }, chair: { workingDays: 15 } });
    expect(policy.rounds).toEqual([expect.objectContaining({ key: 'section-11', variant: 's11', agencies: ['testshire-council'], dueAfter: { months: 4 } })]);
  });
});
