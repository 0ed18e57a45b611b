import { stringify } from 'csv-stringify/sync';
import type { MessageSection } from './message.js';

/**
 * A CSV download as a message section: UTF-8 with a byte-order mark (so Excel reads £ and accents), and any cell
 * starting with = + - @ escaped so a spreadsheet never runs it as a formula (text people typed ends up in these cells).
 */
export function csvFileSection(name: string, title: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): MessageSection {
  const text = stringify([header as string[], ...rows.map((r) => r.map((cell) => String(cell)))], { bom: true, escape_formulas: true });
  return { kind: 'file', name, title, mimeType: 'text/csv', data: Buffer.from(text, 'utf8').toString('base64') };
}
