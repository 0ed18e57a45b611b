// One contract for both form renderers: every field kind, paging, errors, the notice banner and the platforms'
// limits. Slack views are checked against Block Kit's documented limits, Teams cards with the Adaptive Cards SDK.
import { describe, expect, it } from 'vitest';
import type { Form, FormField, FormValues } from '../../src/messaging/message.js';
import { validateFields } from '../../src/forms/validate.js';
import { formRenderers, slackRenderer, teamsRenderer } from '../support/form-renderers.js';

const options = (n: number, prefix = 'o') => Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}`, label: `Option ${i}` }));
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `m-${String(i).padStart(4, '0')}`, label: `Member ${String(i).padStart(4, '0')} (Agency)` }));

const everyKind: FormField[] = [
  { kind: 'text', id: 'name', label: 'Name of the lead', required: true, placeholder: 'e.g. Sam', minLength: 2, maxLength: 80 },
  { kind: 'longText', id: 'summary', label: 'Summary', hint: 'Case references only' },
  { kind: 'url', id: 'policy', label: 'Link to the policy' },
  { kind: 'number', id: 'staff', label: 'Staff trained', min: 0, max: 5000, integer: true },
  { kind: 'choice', id: 'rating', label: 'Rating', style: 'radio', options: [{ value: 'good', label: 'Good' }, { value: 'poor', label: 'Poor' }] },
  { kind: 'choice', id: 'sector', label: 'Sector', style: 'select', options: options(30, 's') },
  { kind: 'multiChoice', id: 'areas', label: 'Areas', options: options(6, 'a'), maxSelected: 3 },
  { kind: 'date', id: 'due', label: 'Due date' },
  { kind: 'member', id: 'lead', label: 'Lead', options: members(12) },
];

const typedAnswers: FormValues = {
  name: 'Sam Patel',
  summary: 'Line one\nLine two',
  policy: 'https://example.org/policy',
  staff: '42',
  rating: 'poor',
  sector: 's17',
  areas: 'a1,a4',
  due: '2026-03-14',
  lead: 'm-0007',
};

const form = (extra: Partial<Form> = {}): Form => ({ callbackId: 's11.return', title: 'Section 11 return', submitLabel: 'Next', fields: everyKind, state: '{"s":"r1","p":1,"v":3}', ...extra });
const page2 = form({ progress: { page: 2, of: 3 }, back: { label: 'Back' }, keepsDraft: true });

describe.each(formRenderers)('$name form renderer', (renderer) => {
  it('renders every field kind within the platform limits', () => {
    const rendered = renderer.render(form());
    expect(renderer.problems(rendered)).toEqual([]);
    expect(renderer.inputs(rendered).map((i) => i.id)).toEqual(everyKind.map((f) => f.id));
  });

  it('reads back what was typed into every field kind, unchanged', () => {
    const rendered = renderer.render(form());
    const pressed = renderer.press(form(), rendered, typedAnswers, 'submit');
    expect(pressed).toMatchObject({ callbackId: 's11.return', state: '{"s":"r1","p":1,"v":3}', intent: 'submit', values: typedAnswers });
    expect(validateFields(everyKind, pressed!.values)).toEqual({});
  });

  it('shows saved answers in every field kind when the form is drawn again', () => {
    const rendered = renderer.render(form(), { values: typedAnswers });
    expect(renderer.problems(rendered)).toEqual([]);
    const shown = Object.fromEntries(renderer.inputs(rendered).map((i) => [i.id, i.value]));
    expect(shown).toEqual(typedAnswers);
  });

  it('reads a cleared field as empty, not as its previous answer', () => {
    const rendered = renderer.render(form(), { values: typedAnswers });
    const pressed = renderer.press(form(), rendered, { summary: undefined, areas: undefined, staff: undefined }, 'submit');
    expect(pressed?.values).toMatchObject({ name: 'Sam Patel', summary: undefined, areas: undefined, staff: undefined });
  });

  it('keeps what was typed and shows each error beside its field', () => {
    const errors = { name: 'Give the lead’s full name.', staff: 'Staff trained must be a whole number.' };
    const rendered = renderer.render(form(), { values: typedAnswers, errors });
    expect(renderer.problems(rendered)).toEqual([]);
    expect(renderer.texts(rendered).filter((t) => t.includes('full name') || t.includes('whole number'))).toHaveLength(2);
    expect(Object.fromEntries(renderer.inputs(rendered).map((i) => [i.id, i.value]))).toEqual(typedAnswers);
    // Errors may be out of sight on a long page: one line says how many answers need changing.
    expect(renderer.texts(rendered).filter((t) => t.includes('2 answers need changing: see the note under each.'))).toHaveLength(1);
    expect(renderer.texts(renderer.render(form(), { values: typedAnswers })).some((t) => t.includes('need changing'))).toBe(false);
  });

  it('shows the step, a Back button that sends the page unvalidated, and keeps a draft when left', () => {
    const rendered = renderer.render(page2);
    expect(renderer.problems(rendered)).toEqual([]);
    expect(renderer.texts(rendered)).toContain('Step 2 of 3');
    expect(renderer.buttons(rendered)).toEqual(expect.arrayContaining(['Back', 'Next']));
    // Back carries a half-filled page, required answers missing: nothing may stop it on the way.
    const back = renderer.press(page2, rendered, { name: undefined, summary: 'half a thought' }, 'back');
    expect(back).toMatchObject({ intent: 'back', values: { name: undefined, summary: 'half a thought' } });
    expect(renderer.press(page2, rendered, { summary: 'left for later' }, 'close')).toMatchObject({ intent: 'close', values: { summary: 'left for later' } });
  });

  it('has no Back, Reload or draft-keeping on a plain form', () => {
    const rendered = renderer.render(form());
    for (const intent of ['back', 'reload', 'close'] as const) expect(renderer.press(form(), rendered, {}, intent)).toBeUndefined();
  });

  it('shows the review page as read-only answers with its submit button', () => {
    const review = form({ fields: [], submitLabel: 'Submit return', progress: { page: 3, of: 3 }, back: { label: 'Back' }, keepsDraft: true, summary: [{ label: 'Lead', value: 'Sam Patel (Police)' }, { label: 'Staff trained', value: '42' }] });
    const rendered = renderer.render(review);
    expect(renderer.problems(rendered)).toEqual([]);
    expect(renderer.inputs(rendered)).toEqual([]);
    const texts = renderer.texts(rendered);
    expect(texts).toContain('Step 3 of 3');
    for (const shown of ['Lead', 'Sam Patel (Police)', 'Staff trained', '42']) expect(texts.some((t) => t.includes(shown)), shown).toBe(true);
    expect(renderer.buttons(rendered)).toEqual(expect.arrayContaining(['Submit return', 'Back']));
    expect(renderer.press(review, rendered, {}, 'submit')).toMatchObject({ intent: 'submit', values: {} });
  });

  it('shows a notice banner whose Reload button asks for the latest answers', () => {
    const text = 'Changed by Sam Patel at 14:02: your page was not saved. Reload to see their answers.';
    const rendered = renderer.render({ ...page2, notice: { text, tone: 'warning', reload: { label: 'Reload' } } });
    expect(renderer.problems(rendered)).toEqual([]);
    expect(renderer.texts(rendered).some((t) => t.includes('Changed by Sam Patel at 14:02'))).toBe(true);
    expect(renderer.press(page2, rendered, {}, 'reload')).toMatchObject({ intent: 'reload', state: page2.state });
  });

  it('stays valid with very long labels, many options and a long review', () => {
    const big = form({
      title: 'A very long form title that no modal could ever hold',
      submitLabel: 'Send this return to the partnership now',
      intro: 'x'.repeat(4000),
      fields: [
        { kind: 'text', id: 'a'.repeat(300), label: 'L'.repeat(2500), hint: 'h'.repeat(2500), placeholder: 'p'.repeat(200), maxLength: 9000 },
        { kind: 'choice', id: 'many', label: 'Many', style: 'radio', options: options(12) },
        { kind: 'multiChoice', id: 'lots', label: 'Lots', options: options(140) },
        { kind: 'member', id: 'who', label: 'Who', options: members(450) },
      ],
      summary: Array.from({ length: 120 }, (_, i) => ({ label: `Question ${i}`, value: 'v'.repeat(3500) })),
      notice: { text: 'n'.repeat(4000), tone: 'info' },
    });
    expect(renderer.problems(renderer.render(big))).toEqual([]);
  });
});

describe('Slack specifics', () => {
  it('pages with Back inside the modal and asks Slack to report closing only for forms that keep a draft', () => {
    const view = slackRenderer.render(page2) as Record<string, any>;
    expect(view['notify_on_close']).toBe(true);
    // Closing saves the draft, and the button says so (Teams shows the same words on its button).
    expect(view['close'].text).toBe('Save for later');
    expect((slackRenderer.render(form()) as Record<string, any>)['close'].text).toBe('Cancel');
    expect((slackRenderer.render(form()) as Record<string, any>)['notify_on_close']).toBeUndefined();
  });

  it('uses radio buttons for a short radio choice and a drop-down beyond ten options', () => {
    const types = (f: Form) => slackRenderer.inputs(slackRenderer.render(f)).map((i) => i.type);
    expect(types(form())).toEqual(['plain_text_input', 'plain_text_input', 'url_text_input', 'number_input', 'radio_buttons', 'static_select', 'multi_static_select', 'datepicker', 'static_select']);
    expect(types(form({ fields: [{ kind: 'choice', id: 'c', label: 'C', style: 'radio', options: options(11) }] }))).toEqual(['static_select']);
  });

  it('offers every one of 450 members through groups of 100', () => {
    const view = slackRenderer.render(form({ fields: [{ kind: 'member', id: 'who', label: 'Who', options: members(450) }] })) as Record<string, any>;
    const groups = view['blocks'].find((b: any) => b.type === 'input').element.option_groups;
    expect(groups.map((g: any) => g.options.length)).toEqual([100, 100, 100, 100, 50]);
    expect(groups[0].label.text).toBe('Member 0000 (Agency) – Member 0099 (Agency)');
  });

  it('fits the answers of a long form on one review page', () => {
    const summary = Array.from({ length: 150 }, (_, i) => ({ label: `Question ${i + 1}`, value: `Answer ${i + 1} `.repeat(8) }));
    const view = slackRenderer.render(form({ fields: [], summary }));
    expect(slackRenderer.problems(view)).toEqual([]);
    const text = slackRenderer.texts(view).join('\n');
    for (const row of summary) expect(text).toContain(`*${row.label}*`);
  });

  it('refuses a form state longer than private_metadata holds rather than cutting it', () => {
    expect(() => slackRenderer.render(form({ state: 's'.repeat(3001) }))).toThrow(/3000/);
    expect(slackRenderer.problems(slackRenderer.render(form({ state: 's'.repeat(3000) })))).toEqual([]);
  });
});

describe('Teams specifics', () => {
  const card = (f: Form) => teamsRenderer.render(f) as Record<string, any>;
  const inputsOf = (c: unknown) => JSON.parse(JSON.stringify(c), (_k, v) => v).body.flatMap(function flat(n: any): any[] {
    return [n, ...(n.items ?? []).flatMap(flat)];
  }).filter((n: any) => String(n.type).startsWith('Input.'));

  it('uses the right Adaptive Card input for every kind', () => {
    const shapes = inputsOf(card(form())).map((i: any) => [i.type, i.style ?? null, i.isMultiSelect ?? false]);
    expect(shapes).toEqual([
      ['Input.Text', 'text', false],
      ['Input.Text', 'text', false],
      ['Input.Text', 'Url', false],
      ['Input.Number', null, false],
      ['Input.ChoiceSet', 'expanded', false],
      ['Input.ChoiceSet', 'filtered', false],
      ['Input.ChoiceSet', 'expanded', true],
      ['Input.Date', null, false],
      ['Input.ChoiceSet', 'compact', false],
    ]);
  });

  it('lets Teams check required answers and number ranges only where no button must skip the checks', () => {
    const plain = inputsOf(card(form()));
    expect(plain[0]).toMatchObject({ isRequired: true, label: 'Name of the lead' });
    expect(plain[3]).toMatchObject({ min: 0, max: 5000 });
    const paged = inputsOf(card(page2));
    expect(paged[0]).toMatchObject({ isRequired: false, label: 'Name of the lead (required)' });
    expect(paged[3]).not.toHaveProperty('min');
    expect(paged[3]).not.toHaveProperty('max');
  });

  it('reloads without sending inputs, and Back and Save for later send them', () => {
    const c = card({ ...page2, notice: { text: 'Changed', reload: { label: 'Reload' } } });
    const actions = JSON.stringify(c).match(/"associatedInputs":"none"/g) ?? [];
    expect(actions).toHaveLength(1);
    expect(teamsRenderer.buttons(c)).toEqual(['Reload', 'Next', 'Back', 'Save for later']);
  });

  it('refuses field ids that would collide with the form state or the button intent', () => {
    for (const id of ['state', 'intent']) expect(() => card(form({ fields: [{ kind: 'text', id, label: 'x' }] }))).toThrow(/reserved/);
  });
});
