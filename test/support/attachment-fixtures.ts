// Messages with tables, pictures and files, shared by the renderer contract tests and the delivery tests.
import type { Message } from '../../src/messaging/message.js';

/** A real 2×2 PNG (red, blue / black, white). */
export const TINY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8DAAMIM/////w8AH+4F+7C4l8kAAAAASUVORK5CYII=';

export const RETURNS_CSV = 'Agency,Returned,Score\r\nWiltshire Police,Yes,4\r\n"Health, acute",No,\r\n';

export const base64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

/** A PNG signature followed by `size` bytes: big enough to test size rules, not a picture anyone will look at. */
export function pngOfSize(size: number): string {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size)]).toString('base64');
}

export const returnsTable: Extract<Message['sections'][number], { kind: 'table' }> = {
  kind: 'table',
  title: 'Section 11 returns',
  columns: [{ label: 'Agency' }, { label: 'Status' }, { label: 'Score', align: 'right' }],
  rows: [
    { cells: [{ text: 'Wiltshire Police' }, { text: 'Returned', tone: 'good' }, { text: '4' }] },
    { cells: [{ text: 'Health <acute> & community' }, { text: 'Overdue', tone: 'attention' }, { text: '' }] },
    { cells: [{ text: 'Education' }, { text: 'Due soon', tone: 'warning' }, { text: '3' }] },
  ],
};

/** A report a business manager would get: a table, a chart and the CSV behind it. */
export const reportMessage: Message = {
  title: 'Section 11 audit: returns so far',
  text: 'Section 11 audit: 1 of 3 returned',
  sections: [
    { kind: 'text', text: 'Returns for the *2026* round.' },
    returnsTable,
    { kind: 'image', png: TINY_PNG_BASE64, alt: 'Bar chart: 1 returned, 1 overdue, 1 due soon', title: 'Returns by status' },
    { kind: 'file', name: 'section11-returns.csv', mimeType: 'text/csv', data: base64(RETURNS_CSV), title: 'All returns (CSV)' },
  ],
};

export const privateMessage = (memberIds: string[]): Message => ({
  title: 'Rapid review RR-7: decision needed',
  text: 'Rapid review RR-7 concerns Child A at 12 Acacia Road',
  audience: { kind: 'private', memberIds, safeText: 'You have a new confidential update' },
  sections: [{ kind: 'text', text: 'Child A, 12 Acacia Road: the panel needs your decision by Friday.' }],
});
