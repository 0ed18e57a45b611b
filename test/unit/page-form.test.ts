// The review page of a paged form as a person reads it, on both platforms.
import { describe, expect, it } from 'vitest';
import { pageForm, type FormPage } from '../../src/forms/page-form.js';
import { formRenderers } from '../support/form-renderers.js';

const pages: FormPage[] = [
  {
    title: 'About your agency',
    fields: [
      { kind: 'date', id: 'lastAudit', label: 'Date of your last audit', required: true },
      { kind: 'longText', id: 'evidence', label: 'Evidence' },
    ],
  },
];
const view = { formKey: 's11.return', title: 'Section 11 return', subject: 's11:r1', pages, version: 1, review: { submitLabel: 'Send return' } };
const review = pageForm({ ...view, page: 1, values: { lastAudit: '2026-01-14', evidence: 'Audit of 20 cases.\nSupervision notes checked.' } });

describe('the review page', () => {
  it('shows a date in words, as people write it, not as 2026-01-14', () => {
    expect(review.summary).toContainEqual({ label: 'Date of your last audit', value: 'Wed 14 Jan 2026' });
    const odd = pageForm({ ...view, page: 1, values: { lastAudit: 'next Tuesday' } });
    expect(odd.summary).toContainEqual({ label: 'Date of your last audit', value: 'next Tuesday' });
  });

  it('tells the person which button sends the answers', () => {
    expect(review.intro).toBe('*Check your answers*\nUse Back to change anything, then press *Send return*.');
    expect(review.submitLabel).toBe('Send return');
  });

  it.each(formRenderers)('keeps each line of a long answer on its own line ($name)', (renderer) => {
    const texts = renderer.texts(renderer.render(review)).join('\n');
    // Teams markdown needs a blank line for a break; Slack shows a newline as one.
    expect(texts).toContain(renderer.name === 'teams' ? 'Audit of 20 cases.\n\nSupervision notes checked.' : 'Audit of 20 cases.\nSupervision notes checked.');
  });
});
