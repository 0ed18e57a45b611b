import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormField } from '../../src/messaging/message.js';
import { formDefinitionProblems, isCalendarDate, isWebAddress, validateFields } from '../../src/forms/validate.js';

const one = (field: FormField, value: string | undefined) => validateFields([field], { [field.id]: value })[field.id];
const opts = [{ value: 'police', label: 'Police' }, { value: 'health', label: 'Health' }, { value: 'la', label: 'Local authority' }];

describe('validateFields', () => {
  it('asks for required answers, treating blank space as no answer', () => {
    const field: FormField = { kind: 'text', id: 'name', label: 'Name', required: true };
    expect(one(field, undefined)).toBe('Name is required.');
    expect(one(field, '   ')).toBe('Name is required.');
    expect(one(field, 'Sam')).toBeUndefined();
    expect(one({ ...field, required: false }, undefined)).toBeUndefined();
  });

  it('checks text length both ways', () => {
    const field: FormField = { kind: 'longText', id: 'why', label: 'Why', minLength: 10, maxLength: 20 };
    expect(one(field, 'too short')).toBe('Why needs at least 10 characters.');
    expect(one(field, 'x'.repeat(21))).toBe('Why can have at most 20 characters (it has 21).');
    expect(one(field, 'just about right')).toBeUndefined();
  });

  it('accepts numbers in range, whole numbers where asked', () => {
    const field: FormField = { kind: 'number', id: 'staff', label: 'Staff', min: 0, max: 100, integer: true };
    expect(one(field, 'ten')).toBe('Staff must be a number.');
    expect(one(field, '2.5')).toBe('Staff must be a whole number.');
    expect(one(field, '-1')).toBe('Staff must be between 0 and 100.');
    expect(one(field, '101')).toBe('Staff must be between 0 and 100.');
    expect(one({ kind: 'number', id: 'n', label: 'N', min: 5 }, '4.9')).toBe('N must be at least 5.');
    expect(one({ kind: 'number', id: 'n', label: 'N', max: 5 }, '5.1')).toBe('N must be at most 5.');
    expect(one(field, ' 42 ')).toBeUndefined();
  });

  it('accepts only http and https web addresses', () => {
    const field: FormField = { kind: 'url', id: 'link', label: 'Link' };
    for (const bad of ['example.org', 'javascript:alert(1)', 'ftp://example.org/file', 'https://exa mple.org', 'mailto:a@b.c']) {
      expect(one(field, bad), bad).toBe('Link must be a web address starting with https:// or http://.');
    }
    expect(one(field, 'https://example.org/policy?v=2')).toBeUndefined();
    expect(one(field, 'http://intranet.local/x')).toBeUndefined();
  });

  it('accepts real calendar dates only', () => {
    const field: FormField = { kind: 'date', id: 'due', label: 'Due' };
    for (const bad of ['2026-02-30', '2026-13-01', '14/03/2026', '2026-3-1', '2025-02-29']) expect(one(field, bad), bad).toBe('Due must be a real date (YYYY-MM-DD).');
    expect(one(field, '2024-02-29')).toBeUndefined();
  });

  it('accepts only offered options, and counts several choices', () => {
    expect(one({ kind: 'choice', id: 'a', label: 'Agency', options: opts }, 'fire')).toBe('Choose one of the options for Agency.');
    expect(one({ kind: 'member', id: 'm', label: 'Lead', options: [{ value: 'm1', label: 'Sam' }] }, 'm2')).toBe('Choose a member of the partnership for Lead.');
    const multi: FormField = { kind: 'multiChoice', id: 'areas', label: 'Areas', options: opts, minSelected: 2, maxSelected: 2 };
    expect(one(multi, 'police')).toBe('Choose at least 2 for Areas.');
    expect(one(multi, 'police,health,la')).toBe('Choose at most 2 for Areas.');
    expect(one(multi, 'police,police')).toBe('Choose only from the options for Areas.');
    expect(one(multi, 'police,fire')).toBe('Choose only from the options for Areas.');
    expect(one(multi, 'police, health')).toBeUndefined();
  });

  it("shows a field's own error text for whatever rule it breaks", () => {
    const field: FormField = { kind: 'number', id: 'staff', label: 'Staff', required: true, min: 0, errorText: 'Give the number of staff trained this year (0 or more).' };
    expect(one(field, undefined)).toBe('Give the number of staff trained this year (0 or more).');
    expect(one(field, '-3')).toBe('Give the number of staff trained this year (0 or more).');
    expect(one(field, '3')).toBeUndefined();
  });

  it('never rejects an answer that keeps every rule (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.string({ minLength: 1, maxLength: 40 }), fc.subarray(opts.map((o) => o.value), { minLength: 1 }), (n, text, chosen) => {
        const fields: FormField[] = [
          { kind: 'number', id: 'n', label: 'N', min: -1000, max: 1000, integer: true, required: true },
          { kind: 'text', id: 't', label: 'T', maxLength: 40 },
          { kind: 'multiChoice', id: 'm', label: 'M', options: opts, required: true },
        ];
        expect(validateFields(fields, { n: String(n), t: text, m: chosen.join(',') })).toEqual({});
      }),
    );
  });

  it('agrees with the calendar on every date (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(isCalendarDate(d.toISOString().slice(0, 10))).toBe(true);
      }),
    );
    expect(isWebAddress('https://')).toBe(false);
  });
});

describe('formDefinitionProblems', () => {
  it('finds repeated ids, commas in option values and impossible bounds', () => {
    expect(
      formDefinitionProblems([
        { kind: 'text', id: 'a', label: 'A', minLength: 5, maxLength: 2 },
        { kind: 'text', id: 'a', label: 'A again' },
        { kind: 'multiChoice', id: 'm', label: 'M', options: [{ value: 'x,y', label: 'X and Y' }, { value: 'z', label: 'Z' }, { value: 'z', label: 'Z' }] },
        { kind: 'number', id: 'n', label: 'N', min: 3, max: 1 },
      ]),
    ).toEqual(['a: minLength is above maxLength', 'field id "a" is used twice', 'm: option value "x,y" contains a comma', 'm: option value "z" is used twice', 'n: min is above max']);
    expect(formDefinitionProblems([{ kind: 'choice', id: 'c', label: 'C', options: opts }])).toEqual([]);
  });
});
