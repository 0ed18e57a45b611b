// The identifying-details guard, kind by kind: what it catches and the lookalikes it lets through, then the way out
// for a false positive (the tick box, and the audit line that records who ticked it). The measured rates over a
// corpus of realistic texts are in identifying-details-corpus.test.ts.
import { describe, expect, it } from 'vitest';
import { identifyingDetailsFound, identifyingDetailsProblem, guardIdentifyingDetails } from '../../src/forms/identifying-details.js';
import { isNhsNumber } from '../../src/forms/identifying-patterns.js';
import {
  CONFIRM_NOT_IDENTIFYING, CONFIRM_NOT_IDENTIFYING_VALUE, auditConfirmedFalsePositive, guardWithConfirm, withConfirmField, withConfirmFieldToRead,
} from '../../src/forms/identifying-confirm.js';
import type { Form } from '../../src/messaging/message.js';
import type { Tx } from '../../src/store/db.js';
import { formRenderers } from '../support/form-renderers.js';

const table: { kind: string; caught: string[]; passed: string[] }[] = [
  {
    kind: 'an email address',
    caught: ['Contact j.smith@example.org for the detail', 'mum emailed from jane.smith84@example.com', 'aunt at auntie.sue@example.co.uk'],
    passed: ['<@U0123ABC> can you look at this?', 'Use the partnership mailbox on the website', 'Sent @ 10:30 by secure email'],
  },
  {
    kind: 'a phone number',
    caught: ['Ring the social worker on 07700 900123', 'mobile 07700900456', 'foster carer on (01632) 960 123', 'on +44 7700 900789', 'Dad gave 0161 496 0123', 'ring 020 7946 0958'],
    passed: ['NSPCC helpline 0808 800 5000', 'Childline 0800 1111', 'Police non-emergency 101', 'Samaritans on 116 123', 'freephone (0800) 123 4567', '+44 808 800 5000', 'Open from 2027-01-05 to 2027-02-06', '1,204 contacts and 0 complaints'],
  },
  {
    kind: 'what may be an NHS number',
    caught: ['NHS number 943 476 5919 on the chronology', 'NHS no. 4857773457 matches', 'the NHS number 450-557-7104', 'records for 6401572833 requested'],
    // The same shapes with a wrong check digit, a check digit of 10 (no such number), and ten repeated digits.
    passed: ['NHS number 943 476 5918 on the chronology', 'NHS no. 4857773458 matches', 'reference 1234567890', 'placeholder 111 111 1111', 'Case ref 2027-0042'],
  },
  {
    kind: 'a National Insurance number',
    caught: ['NI number JH 84 21 57 B', 'DWP confirmed AB123456C', 'run together in lower case ce123456a', 'NI number tz 674 532 c', 'NINO PR 45 67 89 D'],
    passed: [
      'QQ 12 34 56 C is the HMRC example', 'DA123456A', 'FA123456A', 'AO123456B (O second)', 'BG123456A', 'GB123456A', 'NK123456A', 'KN 12 34 56 A',
      'TN 12 34 56 A', 'NT123456B', 'ZZ123456D', 'AB123456E (suffix E)', 'on 20 03 27 a meeting was held',
    ],
  },
  {
    kind: 'a postcode',
    caught: ['Family moved to SN1 2JH in March', 'in SN25 4AB', 'new address sn3 4rt', 'EC1A 1BB', 'W1A 0AX', 'to RV1 4AB'],
    passed: ['Q3 2026', 'the M6', 'B2B supplier', 'the A1 road', 'M4 junction 16', 'in Q2 2nd review', 'SN1 2CI', 'QA1 2AB', 'SN1 on its own', 'A419 and B4006'],
  },
  {
    kind: 'a street address',
    caught: ['Home visit to 14 Oak Road', "3a St Mary's Close", 'at 112 Victoria Rd since', 'Flat 3, Kingfisher House', 'moved to 6-8 Church Lane', '2 Station Ave', 'at 4 The Parade'],
    passed: [
      'Section 11', 'Working Together 2023', 'Children Act 2004', '15 working days', 'Stage 2 Review', 'There were 3 Family Court hearings', '2 Car Park spaces',
      'Consultant paediatrician Dr Ahmed', 'the rate stayed flat 2 quarters running', 'Ward 7 staff', 'Priority 2 Safe Place scheme', 'Meeting held at the Family Court, Islington Street',
    ],
  },
  {
    kind: 'a name with a date of birth or age',
    caught: [
      'Discharge of Amelia Jones, 15, was delayed', 'Mum Jane Smith (34) declined', 'Jane Smith age 7 attends', 'Jane, 7 years old, was seen',
      'The child was born 03/04/2019', 'Jayden Smith, aged 4, was referred', 'Case notes for Maya (DOB 01/02/2020)', "Liam O'Connor (17)", 'Oliver Price who is 9 years old',
      'Sophie Turner, a 12 year old', 'Her mum, Sarah, 29, declined', 'Isla Bennett is 14 and was excluded', "Jayden's date of birth is the 3rd of May 2019",
    ],
    passed: [
      'Children aged 5 and under make up 40% of new plans.', 'Child A (aged 4) and Child B (aged 2)', 'Wiltshire Police (42), Swindon Borough Council (31)', 'Year 9 pupils',
      'Toddlers aged 2 and 3', 'Babies born in 2026 are tracked', 'Stage 2 Review', 'partner agencies, 12 responded', 'Referrals by source: Health Visiting (14)',
    ],
  },
];

describe.each(table)('$kind', ({ kind, caught, passed }) => {
  it.each(caught)('catches %j', (text) => {
    expect(identifyingDetailsFound(text)).toContain(kind);
  });
  it.each(passed)('lets %j through', (text) => {
    expect(identifyingDetailsFound(text)).toEqual([]);
  });
});

describe('the NHS number check digit', () => {
  it.each([
    ['9434765919', true],
    ['4010232137', true],
    ['6123456784', true],
    ['9434765918', false],
    ['1234567890', false], // the check digit would be 10: no NHS number has it
    ['0000000000', false],
    ['943476591', false],
  ])('%s is valid: %s', (digits, valid) => {
    expect(isNhsNumber(digits)).toBe(valid);
  });
});

describe('the message', () => {
  it('says what was found, what to do and why, short enough to show beside a field', () => {
    expect(identifyingDetailsProblem('Family moved to SN1 2JH; NHS 943 476 5919')).toBe(
      'This looks like it contains what may be an NHS number and a postcode. Use case references only: take them out and send again. Case details belong in the case system, not in chat.',
    );
    const everything = 'a@b.org 07700 900123 943 476 5919 AB123456C SN1 2JH 14 Oak Road Jane Smith (4)';
    expect(identifyingDetailsFound(everything)).toHaveLength(7);
    expect(identifyingDetailsProblem(everything)).toMatch(/^This looks like it contains 7 kinds of identifying detail, such as an email address\. .*Case details belong in the case system/);
    for (const text of [everything, ...table.flatMap((t) => t.caught)]) expect(identifyingDetailsProblem(text)!.length).toBeLessThanOrEqual(200);
  });

  it('is undefined when nothing is found', () => {
    expect(identifyingDetailsProblem('Rapid review for CR-2031 held on day 10.')).toBeUndefined();
  });
});

describe('guardIdentifyingDetails', () => {
  it('adds the note to each flagged field that has no other error yet, and leaves the rest', () => {
    const errors = guardIdentifyingDetails({ a: 'ring 07700 900123', b: 'SN1 2JH', c: 'fine', d: '  ' }, ['a', 'b', 'c', 'd'], { b: 'B is too long.' });
    expect(errors).toEqual({ a: expect.stringContaining('a phone number'), b: 'B is too long.' });
  });
});

describe('confirming a false positive', () => {
  const ticked = { [CONFIRM_NOT_IDENTIFYING]: CONFIRM_NOT_IDENTIFYING_VALUE };
  const form: Form = {
    callbackId: 'example', title: 'Example', submitLabel: 'Send', state: 's1',
    fields: [{ kind: 'longText', id: 'summary', label: 'Summary' }, { kind: 'text', id: 'other', label: 'Other', initial: 'default' }],
  };

  it('unticked: flagged fields are errors, listed in flagged', () => {
    const values = { summary: 'Visit to 14 Oak Road', other: 'fine' };
    expect(guardWithConfirm(values, ['summary', 'other'], {})).toEqual({ errors: { summary: expect.stringContaining('a street address') }, flagged: ['summary'], confirmed: [] });
  });

  it('ticked: flagged fields are no errors, listed in confirmed for the audit', () => {
    const values = { summary: 'Visit to 14 Oak Road', other: 'fine', ...ticked };
    expect(guardWithConfirm(values, ['summary', 'other'], { other: 'Other is wrong.' })).toEqual({ errors: { other: 'Other is wrong.' }, flagged: [], confirmed: ['summary'] });
  });

  it('withConfirmField adds the tick box last when a field was flagged, and keeps what was typed', () => {
    const shown = withConfirmField(form, ['summary'], { summary: 'Visit to 14 Oak Road', other: undefined });
    expect(shown.fields.map((f) => f.id)).toEqual(['summary', 'other', CONFIRM_NOT_IDENTIFYING]);
    expect(shown.fields[0]!.initial).toBe('Visit to 14 Oak Road');
    expect(shown.fields[1]!.initial).toBe('default');
    const box = shown.fields[2]!;
    expect(box).toMatchObject({ kind: 'multiChoice', options: [{ value: CONFIRM_NOT_IDENTIFYING_VALUE, label: 'I have checked: these are not identifying details' }] });
    expect(box.initial).toBeUndefined();
    expect(box.hint).toMatch(/recorded in the audit log with your name/);
  });

  it('withConfirmField keeps a tick, once, and adds nothing when nothing was flagged or ticked', () => {
    const again = withConfirmField(withConfirmField(form, ['summary'], ticked), [], ticked);
    expect(again.fields.filter((f) => f.id === CONFIRM_NOT_IDENTIFYING)).toEqual([expect.objectContaining({ initial: CONFIRM_NOT_IDENTIFYING_VALUE })]);
    expect(withConfirmField(form, [], { summary: 'fine' }).fields.map((f) => f.id)).toEqual(['summary', 'other']);
  });

  it.each(formRenderers)('on $name the tick box is drawn within limits and a tick is read back through build', (renderer) => {
    const shown = withConfirmField(form, ['summary'], { summary: 'Visit to 14 Oak Road' });
    const rendered = renderer.render(shown, { errors: { summary: identifyingDetailsProblem('Visit to 14 Oak Road')! } });
    expect(renderer.problems(rendered)).toEqual([]);
    const box = renderer.inputs(rendered).find((i) => i.id === CONFIRM_NOT_IDENTIFYING);
    // A one-option multi-choice is a tick box on both: Teams an expanded multi-select choice set, Slack checkboxes.
    expect(box?.type).toBe(renderer.name === 'teams' ? 'Input.ChoiceSet' : 'checkboxes');
    if (renderer.name === 'teams') expect(JSON.stringify(rendered)).toMatch(/"id":"confirmNotIdentifying"[^}]*"style":"expanded","isMultiSelect":true/);
    const pressed = renderer.press(withConfirmFieldToRead(form), rendered, { summary: 'Visit to 14 Oak Road', ...ticked }, 'submit');
    expect(pressed?.values).toMatchObject({ summary: 'Visit to 14 Oak Road', ...ticked });
    expect(guardWithConfirm(pressed!.values, ['summary'], {}).confirmed).toEqual(['summary']);
  });

  it('the audit line names who confirmed and the fields, never the text', async () => {
    const created: { data: Record<string, unknown> }[] = [];
    const tx = { auditEvent: { create: async (args: { data: Record<string, unknown> }) => (created.push(args), { id: 1n }) } } as unknown as Tx;
    await auditConfirmedFalsePositive(tx, {
      partnershipId: 'p1', actor: 'Lena Lead', actorMemberId: 'm1', action: 'disputes.identifying.confirmed', subjectType: 'dispute', subjectId: 'd1', fields: ['tried'],
    });
    expect(created).toEqual([{ data: { partnershipId: 'p1', actorMemberId: 'm1', actor: 'Lena Lead', action: 'disputes.identifying.confirmed', subjectType: 'dispute', subjectId: 'd1', data: { fields: ['tried'] } }, select: { id: true } }]);
    await auditConfirmedFalsePositive(tx, { partnershipId: 'p1', actor: 'Lena Lead', actorMemberId: 'm1', action: 'x', subjectType: 'dispute', subjectId: 'd1', fields: [] });
    expect(created).toHaveLength(1);
  });
});
