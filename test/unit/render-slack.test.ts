import type { ActionsBlock, Button, HeaderBlock, InputBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Form, Message, MessageAction } from '../../src/messaging/message.js';
import { checkBlockKitLimits } from '../../src/platforms/slack/block-limits.js';
import { readSlackViewValues, renderSlackModal, slackFieldErrors } from '../../src/platforms/slack/render-form.js';
import { originalActionId, renderSlackMessage } from '../../src/platforms/slack/render-message.js';
import { expectWithinBlockKitLimits } from '../support/card-validation.js';

const approve: MessageAction = { id: 'approve', label: 'Approve', style: 'primary', value: 'case-1' };
const withdraw: MessageAction = {
  id: 'withdraw',
  label: 'Withdraw',
  style: 'danger',
  confirm: { title: 'Withdraw the referral?', text: 'This cannot be undone.', confirm: 'Withdraw', deny: 'Keep' },
};
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Action ${i + 1}`, status: 'Open', tone: 'warning' as const }));

const everything: Message = {
  title: 'Case review *due*',
  text: 'Case review due for A & B',
  sections: [
    { kind: 'text', text: 'The review for <case 12> is *due* on _Friday_. Use `CR-12`.' },
    { kind: 'facts', facts: [{ label: 'Lead agency', value: 'Police' }, { label: 'Due', value: '14 March' }] },
    { kind: 'divider' },
    { kind: 'list', title: 'Actions', items: [{ title: 'Share chronology', detail: 'Health', status: 'Overdue', tone: 'attention' }, { title: 'Book room' }] },
    { kind: 'context', text: 'Sent by Partnership Bot' },
    { kind: 'actions', actions: [approve, withdraw, { id: 'open', label: 'Open record', url: 'https://example.org/case/12' }] },
  ],
};

const edgeCases: Record<string, Message> = {
  everything,
  'empty sections': {
    text: 'Nothing to report',
    sections: [{ kind: 'text', text: '' }, { kind: 'facts', facts: [] }, { kind: 'list', items: [] }, { kind: 'actions', actions: [] }, { kind: 'context', text: ' ' }],
  },
  '80-item list': { title: 'Open actions', text: 'Open actions', sections: [{ kind: 'list', items: items(80) }, { kind: 'actions', actions: [approve] }] },
  '25 facts': { text: 'Facts', sections: [{ kind: 'facts', facts: Array.from({ length: 25 }, (_, i) => ({ label: `Label ${i}`, value: 'v'.repeat(3000) })) }] },
  'long title and text': { title: 'T'.repeat(400), text: 'x', sections: [{ kind: 'text', text: '&'.repeat(5000) }, { kind: 'context', text: 'c'.repeat(4000) }] },
  'duplicate action ids': { text: 'x', sections: [{ kind: 'actions', actions: [approve, approve] }, { kind: 'actions', actions: [approve, { ...approve, label: 'L'.repeat(200) }] }] },
  '60 text sections': { text: 'x', sections: [...Array.from({ length: 60 }, (_, i) => ({ kind: 'text' as const, text: `Paragraph ${i}` })), { kind: 'actions', actions: [approve] }] },
  '30 buttons': { text: 'x', sections: [{ kind: 'actions', actions: Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, label: `B${i}` })) }] },
};

const sectionTexts = (blocks: KnownBlock[]) => blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
const contextTexts = (blocks: KnownBlock[]) => blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));
const buttons = (blocks: KnownBlock[]) => blocks.flatMap((b) => (b.type === 'actions' ? (b as ActionsBlock).elements : [])) as Button[];

describe('renderSlackMessage', () => {
  it.each(Object.entries(edgeCases))('stays within Block Kit limits: %s', (_, message) => {
    const { text, blocks } = renderSlackMessage(message);
    expectWithinBlockKitLimits(blocks);
    expect(text.trim()).not.toBe('');
  });

  it('renders title, escaped mrkdwn, facts, list statuses, context and buttons', () => {
    const { text, blocks } = renderSlackMessage(everything);
    expect(text).toBe('Case review due for A &amp; B');
    expect((blocks[0] as HeaderBlock).text.text).toBe('Case review due');
    expect(sectionTexts(blocks)).toContain('The review for &lt;case 12&gt; is *due* on _Friday_. Use `CR-12`.');
    const fields = blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []) : [])).map((f) => f.text);
    expect(fields).toEqual(['*Lead agency*\nPolice', '*Due*\n14 March']);
    expect(sectionTexts(blocks)).toContain('Share chronology  ·  *Overdue*\nHealth');
    expect(blocks.some((b) => b.type === 'divider')).toBe(true);
    expect(contextTexts(blocks)).toEqual(['Sent by Partnership Bot']);
    const [approveButton, withdrawButton, linkButton] = buttons(blocks);
    expect(approveButton).toMatchObject({ action_id: 'approve', value: 'case-1', style: 'primary', text: { text: 'Approve' } });
    expect(withdrawButton?.confirm).toMatchObject({ title: { text: 'Withdraw the referral?' }, confirm: { text: 'Withdraw' }, deny: { text: 'Keep' }, style: 'danger' });
    expect(linkButton).toMatchObject({ url: 'https://example.org/case/12', text: { text: 'Open record' } });
    expect(linkButton?.style).toBeUndefined();
  });

  it('collapses the tail of a long list into "…and N more" and keeps the buttons', () => {
    const { blocks } = renderSlackMessage(edgeCases['80-item list']!);
    expect(blocks).toHaveLength(50);
    expect(sectionTexts(blocks)[0]).toBe('Action 1  ·  *Open*');
    expect(sectionTexts(blocks)).toHaveLength(47);
    expect(blocks[48]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 33 more' }] });
    expect(blocks[49]?.type).toBe('actions');
  });

  it('keeps buttons when plain sections overflow, and splits more than 25 buttons over actions blocks', () => {
    expect(renderSlackMessage(edgeCases['60 text sections']!).blocks.at(-1)?.type).toBe('actions');
    const { blocks } = renderSlackMessage(edgeCases['30 buttons']!);
    expect(blocks.map((b) => b.type)).toEqual(['actions', 'actions']);
    expect(buttons(blocks)).toHaveLength(30);
  });

  it('splits 25 facts into sections of at most 10 and keeps every label', () => {
    const { blocks } = renderSlackMessage(edgeCases['25 facts']!);
    expect(blocks.map((b) => (b as SectionBlock).fields?.length)).toEqual([10, 10, 5]);
    const fields = blocks.flatMap((b) => (b as SectionBlock).fields ?? []);
    expect(fields[24]?.text.startsWith('*Label 24*\nvvv')).toBe(true);
    expect(fields[24]?.text.endsWith('…')).toBe(true);
  });

  it('truncates long title and text with an ellipsis without breaking an escape', () => {
    const { blocks } = renderSlackMessage(edgeCases['long title and text']!);
    const header = (blocks[0] as HeaderBlock).text.text;
    expect(header).toHaveLength(150);
    expect(header.endsWith('…')).toBe(true);
    expect(sectionTexts(blocks)[0]).toMatch(/^(&amp;)+…$/);
  });

  it('makes repeated action ids unique and recoverable', () => {
    const ids = buttons(renderSlackMessage(edgeCases['duplicate action ids']!).blocks).map((b) => b.action_id);
    expect(ids).toEqual(['approve', 'approve#2', 'approve#3', 'approve#4']);
    expect(ids.map((id) => originalActionId(id ?? ''))).toEqual(['approve', 'approve', 'approve', 'approve']);
  });

  it('shows the fallback text when every section is empty', () => {
    const { blocks } = renderSlackMessage(edgeCases['empty sections']!);
    expect(sectionTexts(blocks)).toEqual(['Nothing to report']);
  });

  it('refuses a button value it would have to cut', () => {
    expect(() => renderSlackMessage({ text: 'x', sections: [{ kind: 'actions', actions: [{ ...approve, value: 'v'.repeat(2001) }] }] })).toThrow(RangeError);
  });
});

describe('checkBlockKitLimits', () => {
  it('reports the limits a hand-made payload breaks', () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(checkBlockKitLimits(tooMany)).toEqual(['51 blocks (max 50)']);
    const problems = checkBlockKitLimits([
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }, { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'ok' } }] },
      { type: 'section', text: { type: 'mrkdwn', text: '' } },
    ]);
    expect(problems).toHaveLength(4);
  });
});

const everyField: Form = {
  callbackId: 'referral.create',
  title: 'Create a multi-agency referral',
  submitLabel: 'Send referral to the partnership now',
  intro: 'Tell us about the *concern*.',
  state: '{"partnership":"p1"}',
  fields: [
    { kind: 'text', id: 'subject', label: 'Subject', required: true, placeholder: 'e.g. Child A', maxLength: 5000, hint: 'No names' },
    { kind: 'longText', id: 'summary', label: 'Summary', maxLength: 500 },
    { kind: 'choice', id: 'agency', label: 'Agency', required: true, options: Array.from({ length: 120 }, (_, i) => ({ value: `a${i}`, label: `Agency ${i} `.repeat(10) })) },
    { kind: 'date', id: 'due', label: 'Due date', initial: '2025-03-14' },
  ],
};

function typeInto(view: ReturnType<typeof renderSlackModal>, typed: Record<string, string | undefined>) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks as KnownBlock[]) {
    if (block.type !== 'input') continue;
    const { element, block_id } = block as InputBlock;
    const value = typed[block_id ?? ''];
    const actionId = (element as { action_id: string }).action_id;
    if (element.type === 'static_select') state[block_id!] = { [actionId]: { type: element.type, selected_option: value ? { value } : null } };
    else if (element.type === 'datepicker') state[block_id!] = { [actionId]: { type: element.type, selected_date: value ?? null } };
    else state[block_id!] = { [actionId]: { type: element.type, value: value ?? null } };
  }
  return state;
}

describe('renderSlackModal', () => {
  it('renders every field kind within Block Kit limits', () => {
    const view = renderSlackModal(everyField);
    expectWithinBlockKitLimits(view);
    expect(view.callback_id).toBe('referral.create');
    expect(view.private_metadata).toBe('{"partnership":"p1"}');
    expect(view.title.text).toHaveLength(24);
    expect(view.submit?.text).toHaveLength(24);
    const inputs = view.blocks.filter((b): b is InputBlock => b.type === 'input');
    expect(inputs.map((b) => [b.block_id, b.element.type, b.optional])).toEqual([
      ['subject', 'plain_text_input', false],
      ['summary', 'plain_text_input', true],
      ['agency', 'static_select', false],
      ['due', 'datepicker', true],
    ]);
    expect(inputs[0]?.hint?.text).toBe('No names');
    expect(inputs[0]?.element).toMatchObject({ max_length: 3000, multiline: false, placeholder: { text: 'e.g. Child A' } });
    expect(inputs[1]?.element).toMatchObject({ max_length: 500, multiline: true });
    expect(inputs[3]?.element).toMatchObject({ initial_date: '2025-03-14' });
  });

  it('keeps typed values when re-opened and drops values Slack would reject', () => {
    const view = renderSlackModal(everyField, { values: { subject: 'Child A', summary: undefined, agency: 'a7', due: '14/03/2025' }, privateMetadata: 'meta' });
    expectWithinBlockKitLimits(view);
    expect(view.private_metadata).toBe('meta');
    const elements = view.blocks.filter((b): b is InputBlock => b.type === 'input').map((b) => b.element as unknown as Record<string, unknown>);
    expect(elements[0]?.['initial_value']).toBe('Child A');
    expect(elements[1]?.['initial_value']).toBeUndefined();
    expect(elements[2]?.['initial_option']).toMatchObject({ value: 'a7' });
    expect(elements[3]?.['initial_date']).toBeUndefined();
  });

  it('reads back what was typed into every field kind', () => {
    const view = renderSlackModal(everyField);
    const typed = { subject: 'Child A', summary: 'Line one\nLine two', agency: 'a99', due: '2025-04-01' };
    expect(readSlackViewValues(everyField, typeInto(view, typed))).toEqual(typed);
    expect(readSlackViewValues(everyField, typeInto(view, {}))).toEqual({ subject: undefined, summary: undefined, agency: undefined, due: undefined });
  });

  it('maps field errors onto the input blocks', () => {
    expect(slackFieldErrors({ subject: 'Give a subject' })).toEqual({ response_action: 'errors', errors: { subject: 'Give a subject' } });
  });
});

describe('attachments in a long message', () => {
  it('keeps the line saying a file is attached when other blocks must make room', () => {
    const message: Message = {
      text: 'Report',
      sections: [
        ...Array.from({ length: 60 }, (_, i) => ({ kind: 'text' as const, text: `Paragraph ${i}` })),
        { kind: 'file', name: 'returns.csv', mimeType: 'text/csv', data: Buffer.from('a,b').toString('base64'), title: 'Returns' },
      ],
    };
    const { blocks } = renderSlackMessage(message);
    expectWithinBlockKitLimits(blocks);
    expect(contextTexts(blocks).at(-1)).toBe('📎 *Returns* (returns.csv) · attached below');
    expect(contextTexts(blocks)).toContain('…and 12 more');
  });
});
