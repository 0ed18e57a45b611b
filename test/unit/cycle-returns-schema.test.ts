import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePartnershipFile } from '../../src/app/partnership-file.js';
import { PartnershipConfigError } from '../../src/directory/load-config.js';
import { identifyingDetailsProblem } from '../../src/forms/identifying-details.js';
import { plansIn } from '../../src/features/cycles/schema.js';

// A stage's `returns:` in the partnership file: what it becomes, and the precise errors for what is wrong in it.
const fixture = join(import.meta.dirname, '../support/partnerships/riverside-returns.yaml');
const valid = await readFile(fixture, 'utf8');

function edit(from: string, to: string): string {
  if (!valid.includes(from)) throw new Error(`fixture has no "${from}"`);
  return valid.replace(from, to);
}

function problemLines(text: string): string[] {
  try {
    parsePartnershipFile(text, 'riverside.yaml');
  } catch (error) {
    if (error instanceof PartnershipConfigError) return error.message.split('\n').filter((line) => line.includes('returns'));
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

const returnsBlock = `        returns:
          from: all
          as: form
          figures:
            - { key: referrals, label: Referrals received this quarter }
            - { key: open-cases, label: Open cases at quarter end }
`;

describe('returns: in a plan stage', () => {
  it('reads the figures, the narrative (on by default for a form) and who is asked', () => {
    const [plan] = plansIn(parsePartnershipFile(valid, 'riverside.yaml'));
    expect(plan!.stages[0]!.returns).toEqual({
      from: { kind: 'all' },
      as: 'form',
      figures: [{ key: 'referrals', label: 'Referrals received this quarter' }, { key: 'open-cases', label: 'Open cases at quarter end' }],
      narrative: true,
    });
    expect(plan!.stages[1]!.returns).toBeUndefined();
  });

  it('takes a group, named agencies, or a secure-email tick', () => {
    const byGroup = plansIn(parsePartnershipFile(edit(returnsBlock, '        returns: { from: { group: pqa }, as: secure-email }\n'), 'riverside.yaml'));
    expect(byGroup[0]!.stages[0]!.returns).toEqual({ from: { kind: 'group', group: 'pqa' }, as: 'secure-email', figures: [], narrative: false });
    const named = plansIn(parsePartnershipFile(edit(returnsBlock, '        returns: { from: { agencies: [riverside-police] } }\n'), 'riverside.yaml'));
    expect(named[0]!.stages[0]!.returns).toEqual({ from: { kind: 'agencies', agencies: ['riverside-police'] }, as: 'form', figures: [], narrative: true });
  });

  it('names an unknown agency key and suggests the likely one, with its line', () => {
    const lines = problemLines(edit(returnsBlock, '        returns: { from: { agencies: [riverside-police, riverside-helth] } }\n'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^riverside\.yaml:\d+:\d+ plans\[0\]\.stages\[0\]\.returns\.from\.agencies\[1\]: unknown agency "riverside-helth" \(did you mean "riverside-health"\?\)$/);
  });

  it('names an unknown group, and refuses "@group" in a plan that is not applied to several groups', () => {
    const bad = problemLines(edit(returnsBlock, '        returns: { from: { group: pqa-adults } }\n'));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/plans\[0\]\.stages\[0\]\.returns\.from\.group: unknown group "pqa-adults"/);
    const each = problemLines(edit(returnsBlock, '        returns: { from: { group: "@group" } }\n'));
    expect(each).toHaveLength(1);
    expect(each[0]).toMatch(/returns\.from\.group: "@group" stands for each group of a plan with forEachGroup; this plan has none, so name a group/);
  });

  it('refuses figures or a narrative on a secure-email return, and a form that asks for nothing', () => {
    const figures = problemLines(edit('          as: form\n', '          as: secure-email\n'));
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatch(/returns\.figures: figures are asked for on a form: use as: form, or leave figures out/);
    const empty = problemLines(edit(returnsBlock, '        returns: { from: all, narrative: false }\n'));
    expect(empty[0]).toMatch(/returns\.narrative: the form would ask for nothing: give figures, keep the narrative, or use as: secure-email/);
  });

  it('refuses a `from` that is not all, a group or agencies, and a method it does not know', () => {
    expect(problemLines(edit('          from: all\n', '          from: everyone\n'))[0]).toMatch(/returns\.from: give all, \{ group: <key> \} or \{ agencies: \[<key>, \.\.\.\] \}/);
    expect(problemLines(edit('          as: form\n', '          as: post\n'))[0]).toMatch(/returns\.as: "post" is not allowed here; use one of: form, secure-email/);
  });
});

describe('the identifying-details guard on a narrative', () => {
  it.each([
    ['Contact j.smith@example.org for the detail', 'an email address'],
    ['Ring the social worker on 07700 900123', 'a phone number'],
    ['Family moved to SN1 2JH in March', 'a postcode'],
    ['NHS number 943 476 5919 was checked', 'what may be an NHS number'],
    ['Discharge of Amelia Jones, 15, was delayed', 'a name with a date of birth or age'],
    ['Mum Jane Smith (34) declined the visit', 'a name with a date of birth or age'],
    ['Jane Smith age 7 attends the nursery', 'a name with a date of birth or age'],
    ['Jane, 7 years old, was seen at school', 'a name with a date of birth or age'],
    ['The child was born 03/04/2019 in hospital', 'a name with a date of birth or age'],
    ['Jayden Smith, aged 4, was referred twice', 'a name with a date of birth or age'],
    ['Case notes for Maya (DOB 01/02/2020) were shared', 'a name with a date of birth or age'],
  ])('rejects %j: %s', (text, what) => {
    expect(identifyingDetailsProblem(text)).toContain(what);
    expect(identifyingDetailsProblem(text)).toContain('Use case references only');
  });

  it.each([
    'Referrals rose by 12% in Q3; Child A and Child B were stepped down to early help.',
    'Children aged 5 and under make up 40% of new plans.',
    'Case ref 2027-0042 is under review; 1,204 contacts this quarter.',
  ])('accepts %j', (text) => {
    expect(identifyingDetailsProblem(text)).toBeUndefined();
  });
});
