// A table as fixed-width text in code blocks: Block Kit (in the @slack/types we use) has no table block.
import type { SectionBlock } from '@slack/types';
import type { MessageSection, TableCell } from '../../messaging/message.js';
import { toPlainText, toSlackMrkdwn } from '../../messaging/markdown.js';
import { withToneMark } from '../../messaging/tone.js';
import { SLACK_LIMITS, truncateMrkdwn } from './block-limits.js';

type TableSection = Extract<MessageSection, { kind: 'table' }>;

const MAX_COLUMN_WIDTH = 30;
const FENCE = '```';
const COLUMN_GAP = ' | ';

/**
 * One section block per chunk of rows, each inside Slack's 3000-character section limit, each repeating the
 * header so a reader never has to scroll back to know which column is which. Empty when there are no rows.
 */
export function renderSlackTable(table: TableSection): SectionBlock[] {
  if (table.rows.length === 0) return [];
  const columnCount = Math.max(table.columns.length, ...table.rows.map((r) => r.cells.length));
  const header = Array.from({ length: columnCount }, (_, i) => cellText({ text: table.columns[i]?.label ?? '' }));
  const body = table.rows.map((row) => Array.from({ length: columnCount }, (_, i) => cellText(row.cells[i] ?? { text: '' })));
  const widths = header.map((label, i) => Math.max(displayWidth(label), ...body.map((cells) => displayWidth(cells[i]!))));
  const align = (i: number) => table.columns[i]?.align ?? 'left';
  const line = (cells: string[]) => toSlackMrkdwn(cells.map((cell, i) => pad(cell, widths[i]!, align(i))).join(COLUMN_GAP).trimEnd());
  const head = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-')];

  const budget = SLACK_LIMITS.sectionText - 2 * (FENCE.length + 1);
  const fixed = head.join('\n').length + 1;
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = fixed;
  for (const cells of body) {
    const text = truncateMrkdwn(line(cells), budget - fixed);
    if (current.length > 0 && used + text.length + 1 > budget) {
      chunks.push(current);
      current = [];
      used = fixed;
    }
    current.push(text);
    used += text.length + 1;
  }
  chunks.push(current);
  return chunks.map((rows) => ({ type: 'section', text: { type: 'mrkdwn', text: `${FENCE}\n${[...head, ...rows].join('\n')}\n${FENCE}` } }));
}

function cellText(cell: TableCell): string {
  const words = toPlainText(cell.text).replace(/\s+/g, ' ').replace(/`/g, "'").trim();
  return truncateToWidth(withToneMark(words, cell.tone), MAX_COLUMN_WIDTH);
}

/** Emoji take two columns in a monospaced font; variation selectors and joiners take none. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/[\uFE0F\u200D]/.test(char)) continue;
    width += /\p{Extended_Pictographic}/u.test(char) ? 2 : 1;
  }
  return width;
}

function truncateToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  for (const char of text) {
    if (displayWidth(`${out}${char}…`) > max) break;
    out += char;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(width - displayWidth(text), 0));
  return align === 'right' ? fill + text : text + fill;
}
