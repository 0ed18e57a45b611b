// Hostile input to the one form validator every form goes through (Slack modals and Teams cards, every feature's
// forms): whatever is submitted, it never throws, each message is short and names the field, never echoing what
// was typed; and answers that keep a field's rules are accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldProblem, validateFields } from '../../src/forms/validate.js';
import type { FieldOption, FormField, FormValues } from '../../src/messaging/message.js';

const label = fc.string({ minLength: 1, maxLength: 40 }).filter((l) => l.trim() !== '');
const option: fc.Arbitrary<FieldOption> = fc.record({ value: fc.stringMatching(/^[a-z0-9-]{1,20}$/), label: fc.string({ minLength: 1, maxLength: 20 }) });
const options = fc.uniqueArray(option, { minLength: 1, maxLength: 6, selector: (o) => o.value });
const common = { id: fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), label, required: fc.boolean() };

const field: fc.Arbitrary<FormField> = fc.oneof(
  fc.record({ ...common, kind: fc.constantFrom('text' as const, 'longText' as const), minLength: fc.option(fc.nat(20), { nil: undefined }), maxLength: fc.option(fc.integer({ min: 20, max: 3000 }), { nil: undefined }) }),
  fc.record({ ...common, kind: fc.constant('url' as const) }),
  fc.record({ ...common, kind: fc.constant('number' as const), min: fc.option(fc.integer({ min: -100, max: 0 }), { nil: undefined }), max: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }), integer: fc.boolean() }),
  fc.record({ ...common, kind: fc.constant('date' as const) }),
  fc.record({ ...common, kind: fc.constant('choice' as const), options }),
  fc.record({ ...common, kind: fc.constant('member' as const), options: fc.option(options, { nil: undefined }) }),
  fc.record({ ...common, kind: fc.constant('multiChoice' as const), options, minSelected: fc.option(fc.nat(2), { nil: undefined }), maxSelected: fc.option(fc.integer({ min: 2, max: 6 }), { nil: undefined }) }),
);
const fields = fc.uniqueArray(field, { maxLength: 8, selector: (f) => f.id });

const hostileValue = fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(',', ' ', '-', '.', '1', 'e', '+', 'a', '/', ':', '\u0000', '𝟙'), maxLength: 50 }),
  fc.constantFrom('NaN', 'Infinity', '1e308', '-0', '0x10', '2027-02-29', '2027-2-1', 'javascript:alert(1)', 'https://', 'http://x', '__proto__', 'constructor'),
);
const MARKER = 'ZZsecretZZ';

describe('validateFields on anything submitted', () => {
  it('never throws; each message is short, about a field of the form, and does not repeat what was typed', () => {
    fc.assert(
      fc.property(fields, fc.dictionary(fc.string({ maxLength: 16 }), hostileValue), fc.boolean(), (formFields, values, typedMarker) => {
        const submitted: FormValues = { ...values };
        if (typedMarker) for (const f of formFields) submitted[f.id] = `${MARKER}${submitted[f.id] ?? ''}`;
        const errors = validateFields(formFields, submitted);
        for (const [id, message] of Object.entries(errors)) {
          const f = formFields.find((candidate) => candidate.id === id);
          expect(f).toBeDefined();
          expect(message.trim()).not.toBe('');
          expect(message.length).toBeLessThanOrEqual(f!.label.length + 120);
          expect(message).not.toContain(MARKER);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers a megabyte in a text field with a short message', () => {
    const message = fieldProblem({ id: 'summary', label: 'Summary', kind: 'longText', maxLength: 3000 }, 'x'.repeat(1_000_000));
    expect(message).toBe('Summary can have at most 3000 characters (it has 1000000).');
  });
});

describe('validateFields accepts answers that keep the rules', () => {
  const validValue = (f: FormField): fc.Arbitrary<string> => {
    switch (f.kind) {
      case 'text':
      case 'longText':
        return fc.string({ minLength: f.minLength ?? 0, maxLength: f.maxLength ?? 200 }).filter((v) => v.trim().length >= Math.max(f.minLength ?? 0, f.required ? 1 : 0) && v.length <= (f.maxLength ?? Infinity));
      case 'url':
        return fc.webUrl({ validSchemes: ['https', 'http'] });
      case 'number':
        return fc.integer({ min: f.min ?? -1000, max: f.max ?? 1000 }).map(String);
      case 'date':
        return fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2999, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case 'choice':
        return fc.constantFrom(...f.options.map((o) => o.value));
      case 'member':
        return fc.constantFrom(...(f.options ?? [{ value: 'anyone', label: 'Anyone' }]).map((o) => o.value));
      case 'multiChoice': {
        const low = Math.max(f.minSelected ?? 0, f.required ? 1 : 0);
        const high = Math.min(f.maxSelected ?? f.options.length, f.options.length);
        return fc.shuffledSubarray(f.options.map((o) => o.value), { minLength: Math.min(low, high), maxLength: high }).map((chosen) => chosen.join(','));
      }
    }
  };
  const satisfiable = (f: FormField) => f.kind !== 'multiChoice' || Math.max(f.minSelected ?? 0, f.required ? 1 : 0) <= Math.min(f.maxSelected ?? f.options.length, f.options.length);

  it('with no errors', () => {
    fc.assert(
      fc.property(field.filter(satisfiable).chain((f) => fc.tuple(fc.constant(f), validValue(f))), ([f, value]) => {
        expect(validateFields([f], { [f.id]: value })).toEqual({});
      }),
      { numRuns: 500 },
    );
  });
});
