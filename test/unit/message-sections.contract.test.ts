// One suite, both renderers: tables, pictures, files and private messages must read the same way on Slack and
// Teams, stay inside Slack's documented limits, and parse and validate with the official Adaptive Cards SDK.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/messaging/message.js';
import { checkBlockKitLimits } from '../../src/platforms/slack/block-limits.js';
import { renderSlackMessage, type SlackAttachmentPlacement } from '../../src/platforms/slack/render-message.js';
import { renderAdaptiveCard, type CardAttachmentLinks } from '../../src/platforms/teams/render-card.js';
import { adaptiveCardProblems } from '../support/card-validation.js';
import { visibleCardText } from '../support/card-text.js';
import { base64, pngOfSize, privateMessage, reportMessage, returnsTable, TINY_PNG_BASE64 } from '../support/attachment-fixtures.js';

type Json = Record<string, any>;

interface Rendered {
  /** What a notification or lock screen shows. */
  notification: string;
  /** Everything a person reads on the card. */
  visible: string;
  problems: string[];
  json: unknown;
}

const links: CardAttachmentLinks = {
  linkFor: (sectionIndex) => ({ url: `https://bot.example.org/files/o-1/${sectionIndex}?exp=1772446500&sig=abc`, expiresAt: new Date('2026-03-02T10:15:00Z') }),
};

function slackText(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(slackText);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'text' && typeof value === 'string' ? [value] : slackText(value)));
}

const renderers: Record<'slack' | 'teams', (message: Message) => Rendered> = {
  slack: (message) => {
    const { text, blocks } = renderSlackMessage(message);
    const visible = slackText(blocks).join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    return { notification: text, visible, problems: checkBlockKitLimits(blocks), json: blocks };
  },
  teams: (message) => {
    const card = renderAdaptiveCard(message, { links });
    return { notification: String(card['fallbackText']), visible: visibleCardText(card), problems: adaptiveCardProblems(card), json: card };
  },
};

const bigTable: Message = {
  text: 'All agencies',
  sections: [
    {
      kind: 'table',
      columns: ['Agency', 'Lead', 'Status', 'Due', 'Score', 'Notes'].map((label) => ({ label })),
      rows: Array.from({ length: 200 }, (_, i) => ({
        cells: [{ text: `Agency ${i + 1}` }, { text: 'A. Person' }, { text: i % 3 ? 'Open' : 'Overdue', tone: i % 3 ? undefined : ('attention' as const) }, { text: '14 Mar' }, { text: String(i % 5) }, { text: 'n'.repeat(60) }],
      })),
    },
  ],
};

const raggedTable: Message = {
  text: 'Ragged',
  sections: [
    { kind: 'table', columns: [{ label: 'One' }, { label: 'Two' }], rows: [{ cells: [{ text: 'only one' }] }, { cells: [{ text: 'a' }, { text: 'b' }, { text: 'extra `c`' }] }] },
    { kind: 'table', columns: [{ label: 'Nothing' }], rows: [] },
  ],
};

describe.each(Object.entries(renderers))('%s renderer: message sections contract', (_, render) => {
  it.each([
    ['a report with a table, a picture and a file', reportMessage],
    ['a 200-row table', bigTable],
    ['ragged and empty tables', raggedTable],
    ['a private message', privateMessage(['m-1'])],
  ])('renders %s within the platform limits and validators', (_, message) => {
    const rendered = render(message);
    expect(rendered.problems).toEqual([]);
    expect(rendered.notification.trim()).not.toBe('');
  });

  it('shows every column heading and cell, with each tone carried by a sign and not by colour alone', () => {
    const { visible } = render({ text: 'Returns', sections: [returnsTable] });
    for (const word of ['Section 11 returns', 'Agency', 'Status', 'Score', 'Wiltshire Police', 'Health <acute> & community', 'Education']) expect(visible).toContain(word);
    expect(visible).toContain('✅ Returned');
    expect(visible).toContain('❗ Overdue');
    expect(visible).toContain('⚠️ Due soon');
  });

  it('never drops table rows silently: either every row is shown or the card says how many are hidden', () => {
    const { visible } = render(bigTable);
    const shown = (visible.match(/Agency \d+/g) ?? []).length;
    if (shown < 200) expect(visible).toMatch(new RegExp(`…and ${200 - shown} more`));
    expect(visible).toContain('Agency 1');
  });

  it('keeps cells that are missing or beyond the headings, and a table without rows shows nothing', () => {
    const { visible } = render(raggedTable);
    expect(visible).toContain('only one');
    expect(visible).toContain("extra");
    expect(visible).not.toContain('Nothing');
  });

  it('describes a picture by its alt text and names each file', () => {
    const { visible } = render(reportMessage);
    expect(visible).toContain('All returns (CSV)');
    expect(visible).toContain('section11-returns.csv');
    const json = JSON.stringify(render(reportMessage).json);
    expect(json).toContain('Bar chart: 1 returned, 1 overdue, 1 due soon');
  });

  it('lets notifications of a private message say only its safe text, while the card itself keeps the content', () => {
    const { notification, visible } = render(privateMessage(['m-1']));
    expect(notification).toBe('You have a new confidential update');
    expect(visible).toContain('Child A, 12 Acacia Road');
  });
});

describe('Slack specifics', () => {
  const contextTexts = (message: Message, attachments?: SlackAttachmentPlacement) =>
    renderSlackMessage(message, { attachments }).blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));

  it('lays a table out in fixed-width columns, right-aligning numbers, inside a code block', () => {
    const [, table] = renderSlackMessage({ text: 'x', sections: [returnsTable] }).blocks as Json[];
    // As Slack shows it: &lt; &gt; &amp; are one character each on screen.
    const lines = (table!['text']['text'] as string).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').split('\n');
    expect(lines[0]).toBe('```');
    expect(lines.at(-1)).toBe('```');
    expect(lines[1]).toMatch(/^Agency +\| Status +\| Score$/);
    expect(lines[3]).toMatch(/^Wiltshire Police +\| ✅ Returned +\|     4$/);
    // Column separators line up although the tone signs are wide characters.
    const bars = (line: string) => [...line.matchAll(/\|/g)].map((m) => [...line.slice(0, m.index)].reduce((w, c) => w + (/\p{Extended_Pictographic}/u.test(c) ? 2 : /\uFE0F/.test(c) ? 0 : 1), 0));
    expect(new Set(lines.slice(3, 6).map((l) => bars(l).join(',')))).toHaveProperty('size', 1);
  });

  it('says where the files went: below, in the DM, or that this reply cannot hold them', () => {
    expect(contextTexts(reportMessage)).toEqual([expect.stringContaining('attached below'), expect.stringContaining('attached below')]);
    expect(contextTexts(reportMessage, 'direct-message')[1]).toContain('sent to your direct messages with the bot');
    expect(contextTexts(reportMessage, 'not-attached')[1]).toContain('cannot be attached to this reply');
  });
});

describe('Teams specifics', () => {
  const all = (node: unknown): Json[] => {
    if (Array.isArray(node)) return node.flatMap(all);
    if (typeof node !== 'object' || node === null) return [];
    return [node as Json, ...Object.values(node).flatMap(all)];
  };
  const ofType = (card: unknown, type: string) => all(card).filter((n) => n['type'] === type);

  it('renders a Table with the header row first and a container style per tone', () => {
    const card = renderAdaptiveCard({ text: 'x', sections: [returnsTable] });
    const [table] = ofType(card, 'Table');
    expect(table!['columns']).toEqual([{ width: 1 }, { width: 1 }, { width: 1, horizontalCellContentAlignment: 'Right' }]);
    expect(table!['rows']).toHaveLength(4);
    expect(table!['rows'][0]['cells'][0]['items'][0]).toMatchObject({ text: 'Agency', weight: 'Bolder' });
    expect(ofType(card, 'TableCell').filter((c) => c['style']).map((c) => c['style'])).toEqual(['good', 'attention', 'warning']);
  });

  it('shows a small picture inline as a data URI and a big one, or any file, as a link that says when it expires', () => {
    const card = renderAdaptiveCard(reportMessage, { links });
    expect(ofType(card, 'Image')).toEqual([{ type: 'Image', url: `data:image/png;base64,${TINY_PNG_BASE64}`, altText: 'Bar chart: 1 returned, 1 overdue, 1 due soon' }]);
    expect(ofType(card, 'Action.OpenUrl')).toEqual([{ type: 'Action.OpenUrl', title: 'Download section11-returns.csv', url: links.linkFor(3).url }]);
    expect(visibleCardText(card)).toContain('the link works until 10:15');

    const big = renderAdaptiveCard({ text: 'x', sections: [{ kind: 'image', png: pngOfSize(1_100_000), alt: 'Heat map' }] }, { links });
    expect(ofType(big, 'Image')).toEqual([]);
    expect(ofType(big, 'Action.OpenUrl')[0]).toMatchObject({ title: 'View image', url: links.linkFor(0).url });
  });

  it('says downloads are unavailable rather than showing a dead button when no links can be signed', () => {
    const card = renderAdaptiveCard(reportMessage);
    expect(ofType(card, 'Action.OpenUrl')).toEqual([]);
    expect(visibleCardText(card)).toContain('downloads are not available from this server');
  });

  it('shows the file name from the message, never the raw data', () => {
    const card = JSON.stringify(renderAdaptiveCard(reportMessage, { links }));
    expect(card).not.toContain(base64('Agency,Returned'));
  });
});
