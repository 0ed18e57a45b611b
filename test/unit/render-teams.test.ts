import { describe, expect, it } from 'vitest';
import type { Form, Message, MessageAction } from '../../src/messaging/message.js';
import { toPlainText, toTeamsMarkdown } from '../../src/messaging/markdown.js';
import { renderAdaptiveCard } from '../../src/platforms/teams/render-card.js';
import { readAdaptiveAction, renderAdaptiveForm } from '../../src/platforms/teams/render-form.js';
import { adaptiveCardProblems, expectValidAdaptiveCard } from '../support/card-validation.js';

type Json = Record<string, any>;

const approve: MessageAction = { id: 'approve', label: 'Approve', style: 'primary', value: 'case-1' };
const withdraw: MessageAction = {
  id: 'withdraw',
  label: 'Withdraw',
  style: 'danger',
  confirm: { title: 'Withdraw the referral?', text: 'This *cannot* be undone.', confirm: 'Withdraw', deny: 'Keep' },
};

const everything: Message = {
  title: 'Case review *due*',
  text: 'Case review due',
  sections: [
    { kind: 'text', text: 'The review is *due* on _Friday_. Use `CR-12`, not ${title}.' },
    { kind: 'facts', facts: [{ label: 'Lead agency', value: 'Police' }, { label: 'Due', value: '14 March' }] },
    { kind: 'divider' },
    {
      kind: 'list',
      title: 'Actions',
      items: [
        { title: 'Share chronology', detail: 'Health', status: 'Overdue', tone: 'attention' },
        { title: 'Agree terms', status: 'Done', tone: 'good' },
        { title: 'Chase GP', status: 'Due soon', tone: 'warning' },
        { title: 'Read report', status: 'New', tone: 'accent' },
        { title: 'Book room' },
      ],
    },
    { kind: 'context', text: 'Sent by Partnership Bot' },
    { kind: 'actions', actions: [approve, withdraw, { id: 'open', label: 'Open record', url: 'https://example.org/case/12' }] },
  ],
};

const edgeCases: Record<string, Message> = {
  everything,
  'empty sections': {
    text: 'Nothing to report',
    sections: [{ kind: 'text', text: '' }, { kind: 'facts', facts: [] }, { kind: 'list', items: [] }, { kind: 'actions', actions: [] }, { kind: 'divider' }],
  },
  '80-item list': { title: 'Open actions', text: 'x', sections: [{ kind: 'list', items: Array.from({ length: 80 }, (_, i) => ({ title: `Action ${i + 1}`, status: 'Open' })) }] },
  '25 facts': { text: 'x', sections: [{ kind: 'facts', facts: Array.from({ length: 25 }, (_, i) => ({ label: `Label ${i}`, value: `Value ${i}` })) }] },
  'long title': { title: 'T'.repeat(400), text: 'x', sections: [] },
  'duplicate action ids': { text: 'x', sections: [{ kind: 'actions', actions: [approve, approve] }] },
};

/** Every object in the card, depth first, so assertions do not depend on the template's nesting. */
function all(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(all);
  if (typeof node !== 'object' || node === null) return [];
  return [node as Json, ...Object.values(node).flatMap(all)];
}
const ofType = (card: unknown, type: string) => all(card).filter((n) => n['type'] === type);
const texts = (card: unknown) => ofType(card, 'TextBlock').map((t) => t['text'] as string);

describe('renderAdaptiveCard', () => {
  it.each(Object.entries(edgeCases))('parses and validates with the Adaptive Cards SDK: %s', (_, message) => {
    const card = renderAdaptiveCard(message);
    expectValidAdaptiveCard(card);
    expect(card['version']).toBe('1.5');
    expect(card['fallbackText']).toBeTruthy();
  });

  it('shows the title as a large bold heading and converts the markdown subset', () => {
    const card = renderAdaptiveCard(everything);
    const body = card['body'] as Json[];
    expect(body[0]).toMatchObject({ type: 'TextBlock', text: 'Case review due', size: 'Large', weight: 'Bolder' });
    // Template expressions in data are shown as typed, never evaluated.
    expect(texts(card)).toContain('The review is **due** on _Friday_. Use CR-12, not ${title}.');
    expect(texts(card)).toContain('Sent by Partnership Bot');
  });

  it('renders facts as a FactSet and list statuses in their tone colours', () => {
    const card = renderAdaptiveCard(everything);
    expect(ofType(card, 'FactSet')[0]?.['facts']).toEqual([{ title: 'Lead agency', value: 'Police' }, { title: 'Due', value: '14 March' }]);
    const statusColours = Object.fromEntries(
      ofType(card, 'TextBlock')
        .filter((t) => t['weight'] === 'Bolder' && t['color'])
        .map((t) => [t['text'], t['color']]),
    );
    expect(statusColours).toEqual({ Overdue: 'Attention', Done: 'Good', 'Due soon': 'Warning', New: 'Accent' });
    expect(texts(card)).toEqual(expect.arrayContaining(['Actions', 'Share chronology', 'Health', 'Book room']));
    expect(all(card).some((n) => n['separator'] === true)).toBe(true);
  });

  it('turns actions into Execute, OpenUrl and a confirming ShowCard', () => {
    const card = renderAdaptiveCard(everything);
    const [execute, showCard, openUrl] = ofType(card, 'ActionSet')[0]?.['actions'] as Json[];
    expect(execute).toEqual({ type: 'Action.Execute', title: 'Approve', verb: 'approve', data: { value: 'case-1' }, style: 'positive' });
    expect(showCard).toMatchObject({ type: 'Action.ShowCard', title: 'Withdraw', style: 'destructive' });
    expect(texts(showCard)).toEqual(['Withdraw the referral?', 'This **cannot** be undone.']);
    expect(showCard?.['card']['actions']).toEqual([{ type: 'Action.Execute', title: 'Withdraw', verb: 'withdraw', data: {}, style: 'destructive' }]);
    expect(openUrl).toEqual({ type: 'Action.OpenUrl', title: 'Open record', url: 'https://example.org/case/12' });
  });

  it('cuts very long lists and says how many are hidden', () => {
    const shown = texts(renderAdaptiveCard(edgeCases['80-item list']!));
    expect(shown.filter((t) => t.startsWith('Action '))).toHaveLength(50);
    expect(shown).toContain('…and 30 more');
  });

  it('shows the fallback text when every section is empty', () => {
    expect(texts(renderAdaptiveCard(edgeCases['empty sections']!))).toEqual(['Nothing to report']);
  });
});

describe('markdown subset', () => {
  it('leaves arithmetic and snake_case alone', () => {
    expect(toTeamsMarkdown('2 * 3 * 4 and snake_case_name')).toBe('2 * 3 * 4 and snake_case_name');
    expect(toPlainText('*Bold* _it_ `a*b*c` snake_case')).toBe('Bold it a*b*c snake_case');
  });

  it('keeps line breaks, which Teams markdown would otherwise run together into one line', () => {
    expect(toTeamsMarkdown('*About you*\nCase references only.\r\nThank you.')).toBe('**About you**\n\nCase references only.\n\nThank you.');
    expect(toTeamsMarkdown('One paragraph.\n\nAnother.')).toBe('One paragraph.\n\nAnother.');
  });
});

describe('adaptiveCardProblems', () => {
  it('reports what the SDK rejects', () => {
    const problems = adaptiveCardProblems({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlok', text: 'x' }, { type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }],
      actions: [{ type: 'Action.OpenUrl', title: 'Dead link' }],
    });
    expect(problems).toEqual([
      'parse: Unknown element type "TextBlok". Fallback will be used if present.',
      'validate: Duplicate Id "a".',
      'validate: Property "url" must be set.',
    ]);
  });
});

const everyField: Form = {
  callbackId: 'referral.create',
  title: 'Create a referral',
  submitLabel: 'Send',
  intro: 'Tell us about the *concern*.',
  state: '{"partnership":"p1"}',
  fields: [
    { kind: 'text', id: 'subject', label: 'Subject', required: true, placeholder: 'e.g. Child A', maxLength: 5000, hint: 'No names' },
    { kind: 'longText', id: 'summary', label: 'Summary' },
    { kind: 'choice', id: 'agency', label: 'Agency', required: true, options: [{ value: 'police', label: 'Police' }, { value: 'health', label: 'Health' }] },
    { kind: 'date', id: 'due', label: 'Due date', initial: '2025-03-14' },
  ],
};

const inputs = (card: unknown) => all(card).filter((n) => String(n['type']).startsWith('Input.'));

/** What Teams sends for Action.Execute: the action's data with every input's current value merged in. */
function submit(card: Json, typed?: Record<string, string>) {
  const action = (card['actions'] as Json[])[0]!;
  const current = Object.fromEntries(inputs(card).map((i) => [i['id'], i['value'] ?? '']));
  return { action: { type: 'Action.Execute', verb: action['verb'], data: { ...action['data'], ...current, ...typed } }, trigger: 'manual' };
}

describe('renderAdaptiveForm', () => {
  it('renders every field kind as a valid card with an Execute submit', () => {
    const card = renderAdaptiveForm(everyField);
    expectValidAdaptiveCard(card);
    expect(inputs(card).map((i) => [i['type'], i['id'], i['isRequired']])).toEqual([
      ['Input.Text', 'subject', true],
      ['Input.Text', 'summary', false],
      ['Input.ChoiceSet', 'agency', true],
      ['Input.Date', 'due', false],
    ]);
    expect(inputs(card)[0]).toMatchObject({ label: 'Subject', placeholder: 'e.g. Child A', maxLength: 3000, isMultiline: false });
    expect(inputs(card)[1]).toMatchObject({ isMultiline: true });
    expect(inputs(card)[2]?.['choices']).toEqual([{ title: 'Police', value: 'police' }, { title: 'Health', value: 'health' }]);
    expect(inputs(card)[3]?.['value']).toBe('2025-03-14');
    expect(texts(card)).toEqual(['Create a referral', 'Tell us about the **concern**.', 'No names']);
    expect(card['actions']).toEqual([{ type: 'Action.Execute', title: 'Send', verb: 'form:referral.create', style: 'positive', data: { state: '{"partnership":"p1"}' } }]);
  });

  it('keeps typed values and shows each error in red under its field', () => {
    const values = { subject: 'Child A', summary: 'Too short', agency: 'health', due: undefined };
    const card = renderAdaptiveForm(everyField, { values, errors: { summary: 'Say more', agency: 'Pick the lead agency' } });
    expectValidAdaptiveCard(card);
    expect(inputs(card).map((i) => i['value'])).toEqual(['Child A', 'Too short', 'health', '']);
    for (const [fieldId, error] of [['summary', 'Say more'], ['agency', 'Pick the lead agency']]) {
      const container = all(card).find((n) => n['type'] === 'Container' && n['items']?.some((i: Json) => i['id'] === fieldId))!;
      const index = container['items'].findIndex((i: Json) => i['id'] === fieldId);
      expect(container['items'][index + 1]).toMatchObject({ type: 'TextBlock', text: error, color: 'Attention' });
    }
    // Besides the two errors, one line by the buttons says how many answers need changing (they may be out of sight).
    expect(ofType(card, 'TextBlock').filter((t) => t['color'] === 'Attention').map((t) => t['text'])).toEqual(['Say more', 'Pick the lead agency', '2 answers need changing: see the note under each.']);
    expect(ofType(renderAdaptiveForm(everyField, { values }), 'TextBlock').filter((t) => t['color'] === 'Attention')).toEqual([]);
  });

  it('refuses a field id that would collide with the form state', () => {
    expect(() => renderAdaptiveForm({ ...everyField, fields: [{ kind: 'text', id: 'state', label: 'State' }] })).toThrow(/reserved/);
  });
});

describe('readAdaptiveAction', () => {
  it('round-trips the values of every field kind and the form state', () => {
    const values = { subject: 'Child A', summary: 'Line one\nLine two', agency: 'police', due: '2025-04-01' };
    const card = renderAdaptiveForm(everyField, { values });
    expect(readAdaptiveAction(submit(card))).toEqual({ kind: 'form', callbackId: 'referral.create', state: '{"partnership":"p1"}', values });
    const cleared = readAdaptiveAction(submit(card, { subject: '', summary: '', agency: '', due: '' }));
    expect(cleared).toMatchObject({ values: { subject: undefined, summary: undefined, agency: undefined, due: undefined } });
  });

  it('parses button presses from Execute invokes and legacy Submit values', () => {
    const [execute] = ofType(renderAdaptiveCard(everything), 'Action.Execute');
    expect(readAdaptiveAction({ action: execute, trigger: 'manual' })).toEqual({ kind: 'action', actionId: 'approve', value: 'case-1' });
    expect(readAdaptiveAction({ verb: 'approve', value: 'case-1' })).toEqual({ kind: 'action', actionId: 'approve', value: 'case-1' });
    expect(readAdaptiveAction({ verb: 'form:x', state: 's', subject: 'A' })).toEqual({ kind: 'form', callbackId: 'x', state: 's', values: { subject: 'A' } });
  });

  it('ignores values that are not ours', () => {
    expect(readAdaptiveAction(undefined)).toBeUndefined();
    expect(readAdaptiveAction({ text: 'hello' })).toBeUndefined();
    expect(readAdaptiveAction({ action: { type: 'Action.Execute' } })).toBeUndefined();
  });
});

describe('action rows', () => {
  it('wraps more than five buttons onto further rows, keeping every button and the card valid', () => {
    const actions: MessageAction[] = Array.from({ length: 7 }, (_, i) => ({ id: `a${i}`, label: `Button ${i + 1}`, value: String(i) }));
    const card = renderAdaptiveCard({ title: 'Many buttons', text: 'Many buttons', sections: [{ kind: 'actions', actions }] });
    expectValidAdaptiveCard(card);
    const json = JSON.stringify(card);
    for (let i = 1; i <= 7; i++) expect(json).toContain(`Button ${i}`);
    const sets = json.match(/"type":"ActionSet"/g) ?? [];
    expect(sets).toHaveLength(2);
  });
});

describe('attachments on a card', () => {
  it('links each file to its own section, even after a row of buttons has wrapped onto two', () => {
    const actions: MessageAction[] = Array.from({ length: 7 }, (_, i) => ({ id: `a${i}`, label: `Button ${i + 1}` }));
    const csv = Buffer.from('a,b\r\n1,2\r\n').toString('base64');
    const message: Message = {
      text: 'Files',
      sections: [
        { kind: 'actions', actions },
        { kind: 'file', name: 'first.csv', mimeType: 'text/csv', data: csv },
        { kind: 'file', name: 'second.csv', mimeType: 'text/csv', data: csv },
      ],
    };
    const links = { linkFor: (i: number) => ({ url: `https://bot.example.org/files/o/${i}?exp=1&sig=s`, expiresAt: new Date('2026-07-01T09:00:00Z') }) };
    const card = renderAdaptiveCard(message, { links });
    expectValidAdaptiveCard(card);
    expect(ofType(card, 'Action.OpenUrl').map((a) => [a['title'], a['url']])).toEqual([
      ['Download first.csv', 'https://bot.example.org/files/o/1?exp=1&sig=s'],
      ['Download second.csv', 'https://bot.example.org/files/o/2?exp=1&sig=s'],
    ]);
    // 09:00 UTC in July is 10:00 in London.
    expect(texts(card).some((t) => t.includes('the link works until 10:00'))).toBe(true);
  });
});

describe('angle brackets', () => {
  /** What Teams does to card text it reads as HTML: anything that looks like a tag is dropped. */
  const asTeamsShowsIt = (text: string) => text.replace(/<[A-Za-z/!?][^>]*>/g, '').replace(/\u2060/g, '');
  const usage = 'Usage: cycle start <plan> "<title>" [start date] [lead]';

  it('keeps `<placeholders>` in every kind of card text, so a usage line reads as written', () => {
    const card = renderAdaptiveCard({
      title: 'Help for <plan>',
      text: usage,
      sections: [
        { kind: 'text', text: usage },
        { kind: 'context', text: '`calendar [group <key>]`' },
        { kind: 'facts', facts: [{ label: '<label>', value: 'cycle move <number> <stage> <date>' }] },
        { kind: 'list', title: 'Commands <all>', items: [{ title: 'cycle status <number>', detail: 'see <it>', status: '<new>' }] },
        { kind: 'table', columns: [{ label: '<command>' }], rows: [{ cells: [{ text: 'tasks <who>' }] }] },
        { kind: 'actions', actions: [{ ...withdraw, confirm: { title: 'Cancel <cycle>?', text: 'It stops <all> reminders.', confirm: 'Cancel', deny: 'Keep' } }] },
      ],
    });
    expectValidAdaptiveCard(card);
    const shown = texts(card).map(asTeamsShowsIt);
    expect(shown).toContain('Help for <plan>');
    expect(shown).toContain(usage);
    expect(shown).toContain('calendar [group <key>]');
    expect(shown).toContain('Commands <all>');
    expect(shown).toContain('cycle status <number>');
    expect(shown).toContain('see <it>');
    expect(shown).toContain('<new>');
    expect(shown).toContain('tasks <who>');
    expect(shown).toContain('Cancel <cycle>?');
    expect(shown).toContain('It stops <all> reminders.');
    const facts = ofType(card, 'FactSet').flatMap((f) => f['facts'] as Json[]);
    expect(facts.map((f) => [asTeamsShowsIt(f['title']), asTeamsShowsIt(f['value'])])).toEqual([['<label>', 'cycle move <number> <stage> <date>']]);
  });

  it('keeps them in forms too (intro, hints, errors, answers on the review page)', () => {
    const form: Form = {
      callbackId: 'f',
      title: 'Move <stage>',
      intro: 'Type the date as <yyyy-mm-dd>.',
      fields: [{ kind: 'text', id: 'date', label: 'New date', hint: 'For example <2027-03-01>' }],
      summary: [{ label: 'Stage', value: '<papers>' }],
      submitLabel: 'Send',
    };
    const card = renderAdaptiveForm(form, { errors: { date: 'Write it as <yyyy-mm-dd>.' } });
    const shown = all(card).flatMap((n) => ['text', 'title', 'value'].map((k) => n[k]).filter((v): v is string => typeof v === 'string')).map(asTeamsShowsIt);
    for (const expected of ['Move <stage>', 'Type the date as <yyyy-mm-dd>.', 'For example <2027-03-01>', 'Write it as <yyyy-mm-dd>.', '<papers>']) expect(shown).toContain(expected);
  });

  it('leaves comparisons, arrows and markdown as they were', () => {
    const card = renderAdaptiveCard({ text: 'x', sections: [{ kind: 'text', text: 'a < b, 3 <= 4, -> *bold* <3' }] });
    expect(texts(card)).toContain('a < b, 3 <= 4, -> **bold** <3');
  });
});
