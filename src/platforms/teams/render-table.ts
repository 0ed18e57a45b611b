// A table section as an Adaptive Card 1.5 Table: header row first, each toned cell styled and marked with a sign.
import type { MessageSection, StatusTone, TableCell } from '../../messaging/message.js';
import { teamsMarkdown } from './teams-text.js';
import { withToneMark } from '../../messaging/tone.js';

type TableSection = Extract<MessageSection, { kind: 'table' }>;
type Json = Record<string, unknown>;

/** Teams rejects messages over ~100 KB, so very long tables are cut here rather than failing at send time. */
export const TEAMS_MAX_TABLE_ROWS = 50;

const CELL_STYLE: Record<StatusTone, string | undefined> = {
  good: 'good',
  warning: 'warning',
  attention: 'attention',
  accent: 'accent',
  neutral: undefined,
};

export interface TeamsTableView {
  columns: Json[];
  rows: Json[];
  hiddenRows: number;
}

export function teamsTableView(table: TableSection): TeamsTableView | undefined {
  if (table.rows.length === 0) return undefined;
  const columnCount = Math.max(table.columns.length, ...table.rows.map((r) => r.cells.length));
  const indexes = Array.from({ length: columnCount }, (_, i) => i);
  const columns = indexes.map((i) => ({
    width: 1,
    ...(table.columns[i]?.align === 'right' ? { horizontalCellContentAlignment: 'Right' } : {}),
  }));
  const header = { type: 'TableRow', cells: indexes.map((i) => cell({ text: table.columns[i]?.label ?? '' }, true)) };
  const shown = table.rows.slice(0, TEAMS_MAX_TABLE_ROWS);
  const rows = shown.map((row) => ({ type: 'TableRow', cells: indexes.map((i) => cell(row.cells[i] ?? { text: '' }, false)) }));
  return { columns, rows: [header, ...rows], hiddenRows: table.rows.length - shown.length };
}

function cell(value: TableCell, isHeader: boolean): Json {
  const style = CELL_STYLE[value.tone ?? 'neutral'];
  const text = withToneMark(teamsMarkdown(value.text.replace(/\s+/g, ' ').trim()), value.tone);
  return {
    type: 'TableCell',
    ...(style ? { style } : {}),
    // An empty TextBlock is flagged by validators; a space keeps the cell and says nothing.
    items: [{ type: 'TextBlock', text: text || ' ', wrap: true, ...(isHeader ? { weight: 'Bolder' } : {}) }],
  };
}
