// The Section 11 ratings heat map: agencies down, standards across, a self-assessed (S) and a moderated (M) cell
// under each standard. Drawn as SVG and rasterised with resvg, so no browser is needed; resvg draws text only in the
// fonts it is given, so the DejaVu files ship as a dependency.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { compactPng } from '../../messaging/compact-png.js';

export type HeatColour = 'green' | 'amber' | 'red' | 'grey';
export interface HeatScaleEntry { key: string; label: string; letter: string; colour: HeatColour }
export interface HeatMapInput {
  title: string;
  subtitle?: string;
  /** Columns: `number` is the short header, `name` goes in the legend under the grid. */
  standards: { key: string; number: string; name: string }[];
  /** Rows; the records map standard keys to scale keys (undefined: not rated). */
  agencies: { name: string; self: Record<string, string | undefined>; moderated: Record<string, string | undefined> }[];
  scale: HeatScaleEntry[];
}

// Okabe–Ito bluish green, orange and vermillion, which stay apart with the common colour-vision deficiencies, and a
// neutral grey for "not applicable". Every cell carries its letter as well, so colour is never the only cue.
export const HEAT_COLOURS: Record<HeatColour, string> = { green: '#009E73', amber: '#E69F00', red: '#D55E00', grey: '#BBBBBB' };

/** Teams shows inline images only up to 1024×1024 px. */
const MAX_SIDE = 1024;
const FONT = 'DejaVu Sans';
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontFiles = [path.join(fontDir, 'DejaVuSans.ttf'), path.join(fontDir, 'DejaVuSans-Bold.ttf')];

const PAD = 16;
const CELL_W = 24;
const CELL_H = 22;
const PAIR_GAP = 2;
const STANDARD_GAP = 10;
const ROW_GAP = 2;
const NAME_GAP = 12;
const NAME_MAX_CHARS = 40;
const LEGEND_MIN_WIDTH = 520;
const SIZE = { title: 18, subtitle: 13, header: 13, sub: 11, name: 13, letter: 13, legend: 12 };
const INK = '#1A1A1A';
const MUTED = '#595959'; // 7:1 on white
const BORDER = '#8C8C8C';

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Whitespace collapsed and characters XML 1.0 forbids dropped, so any agency name makes a valid document. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/\s+/g, ' ').trim();
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

// No text measuring without loading the fonts, so widths are estimated from DejaVu Sans's advances: mixed case
// averages about 0.53 em and capitals about 0.62 em (0.6 and 0.7 bold); the estimate takes the wider.
function textWidth(text: string, size: number, bold = false): number {
  return [...text].length * size * (bold ? 0.7 : 0.62);
}

function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('').trimEnd()}…`;
}

function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if ([...next].length <= maxChars || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Black or white, whichever contrasts more with the fill (WCAG contrast ratio). */
function letterColour(fill: string): string {
  const l = relativeLuminance(fill);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#FFFFFF';
}

interface TextStyle { size: number; bold?: boolean; anchor?: 'start' | 'middle' | 'end'; fill?: string }

function text(x: number, baseline: number, content: string, style: TextStyle): string {
  const weight = style.bold ? ' font-weight="bold"' : '';
  const anchor = style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : '';
  return `<text x="${x}" y="${baseline}" font-size="${style.size}"${weight}${anchor} fill="${style.fill ?? INK}">${esc(content)}</text>`;
}

/** The baseline that centres a line of text of this size in a box starting at `top`. */
function centredBaseline(top: number, height: number, size: number): number {
  return round(top + height / 2 + size * 0.36);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A filled cell with its letter, or an empty white one with a dash; `attrs` label it (tests find cells by them). */
function cell(x: number, y: number, entry: HeatScaleEntry | undefined, rated: boolean, attrs = ''): string {
  const centre = x + CELL_W / 2;
  const baseline = centredBaseline(y, CELL_H, SIZE.letter);
  if (!entry) {
    // A key the scale does not know shows as '?' rather than passing for "not rated".
    const rect = `<rect${attrs} x="${x + 0.5}" y="${y + 0.5}" width="${CELL_W - 1}" height="${CELL_H - 1}" fill="#FFFFFF" stroke="${BORDER}" stroke-width="1"/>`;
    return rect + text(centre, baseline, rated ? '?' : '–', { size: SIZE.letter, bold: true, anchor: 'middle', fill: MUTED });
  }
  const fill = HEAT_COLOURS[entry.colour];
  return (
    `<rect${attrs} x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${fill}"/>` +
    text(centre, baseline, clean(entry.letter), { size: SIZE.letter, bold: true, anchor: 'middle', fill: letterColour(fill) })
  );
}

interface Drawn { svg: string; width: number; height: number }

function draw(input: HeatMapInput): Drawn {
  const scale = new Map(input.scale.map((entry) => [entry.key, entry]));
  const title = clean(input.title);
  const subtitle = input.subtitle === undefined ? '' : clean(input.subtitle);
  const names = input.agencies.map((agency) => truncate(clean(agency.name), NAME_MAX_CHARS));
  const parts: string[] = [];

  const nameWidth = Math.ceil(Math.max(textWidth('Agency', SIZE.sub, true), ...names.map((name) => textWidth(name, SIZE.name))));
  const gridLeft = PAD + nameWidth + NAME_GAP;
  const pitch = 2 * CELL_W + PAIR_GAP + STANDARD_GAP;
  const gridRight = gridLeft + Math.max(0, input.standards.length * pitch - STANDARD_GAP);
  const right = Math.ceil(
    Math.max(gridRight, PAD + textWidth(title, SIZE.title, true), PAD + textWidth(subtitle, SIZE.subtitle), PAD + LEGEND_MIN_WIDTH),
  );

  let y = PAD;
  parts.push(text(PAD, y + SIZE.title, title, { size: SIZE.title, bold: true }));
  y += 26;
  if (subtitle) {
    parts.push(text(PAD, y + SIZE.subtitle, subtitle, { size: SIZE.subtitle, fill: MUTED }));
    y += 22;
  }
  y += 8;

  input.standards.forEach((standard, j) => {
    const left = gridLeft + j * pitch;
    parts.push(text(left + CELL_W + PAIR_GAP / 2, y + SIZE.header, clean(standard.number), { size: SIZE.header, bold: true, anchor: 'middle' }));
    parts.push(text(left + CELL_W / 2, y + 18 + SIZE.sub, 'S', { size: SIZE.sub, anchor: 'middle', fill: MUTED }));
    parts.push(text(left + CELL_W + PAIR_GAP + CELL_W / 2, y + 18 + SIZE.sub, 'M', { size: SIZE.sub, anchor: 'middle', fill: MUTED }));
  });
  parts.push(text(PAD, y + 18 + SIZE.sub, 'Agency', { size: SIZE.sub, bold: true, fill: MUTED }));
  y += 36;

  // The estimate errs wide, but a name in an unusually wide font run must still never run into the cells.
  parts.push(`<clipPath id="names"><rect x="0" y="${y}" width="${gridLeft - NAME_GAP / 2}" height="${input.agencies.length * (CELL_H + ROW_GAP)}"/></clipPath>`);
  const nameParts: string[] = [];
  input.agencies.forEach((agency, i) => {
    const top = y + i * (CELL_H + ROW_GAP);
    nameParts.push(text(PAD, centredBaseline(top, CELL_H, SIZE.name), names[i] ?? '', { size: SIZE.name }));
    input.standards.forEach((standard, j) => {
      const left = gridLeft + j * pitch;
      for (const [kind, values, x] of [['self', agency.self, left], ['moderated', agency.moderated, left + CELL_W + PAIR_GAP]] as const) {
        const value = values[standard.key];
        const attrs = ` data-agency="${i}" data-standard="${j}" data-kind="${kind}"`;
        parts.push(cell(x, top, value === undefined ? undefined : scale.get(value), value !== undefined, attrs));
      }
    });
  });
  parts.push(`<g clip-path="url(#names)">${nameParts.join('')}</g>`);
  y += Math.max(0, input.agencies.length * (CELL_H + ROW_GAP) - ROW_GAP) + 20;

  // Legend: the scale as swatches that flow onto further lines, then what S and M mean, then the standards' names.
  const legendWidth = right - PAD;
  let x = PAD;
  const swatches: [HeatScaleEntry | undefined, string][] = [...input.scale.map((e): [HeatScaleEntry, string] => [e, clean(e.label)]), [undefined, 'Not rated']];
  for (const [entry, label] of swatches) {
    const width = CELL_W + 6 + textWidth(label, SIZE.legend) + 18;
    if (x > PAD && x + width > PAD + legendWidth) {
      x = PAD;
      y += CELL_H + 6;
    }
    parts.push(cell(x, y, entry, false));
    parts.push(text(x + CELL_W + 6, centredBaseline(y, CELL_H, SIZE.legend), label, { size: SIZE.legend }));
    x += Math.ceil(width);
  }
  y += CELL_H + 10;
  parts.push(text(PAD, y + SIZE.legend, 'S: self-assessed by the agency. M: moderated by the partnership.', { size: SIZE.legend, fill: MUTED }));
  y += 26;

  const numberWidth = Math.ceil(Math.max(0, ...input.standards.map((s) => textWidth(clean(s.number), SIZE.legend, true)))) + 10;
  const nameChars = Math.max(10, Math.floor((legendWidth - numberWidth) / (SIZE.legend * 0.62)));
  for (const standard of input.standards) {
    parts.push(text(PAD, y + SIZE.legend, clean(standard.number), { size: SIZE.legend, bold: true }));
    for (const line of wrap(clean(standard.name), nameChars)) {
      parts.push(text(PAD + numberWidth, y + SIZE.legend, line, { size: SIZE.legend }));
      y += 17;
    }
  }

  const width = right + PAD;
  const height = Math.ceil(y + PAD);
  const svg =
    // Crisp cell edges: when the map is scaled down, blended edges would take it past a palette PNG's 256 colours.
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" shape-rendering="crispEdges">` +
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>${parts.join('')}</svg>`;
  return { svg, width, height };
}

export function heatMapSvg(input: HeatMapInput): string {
  return draw(input).svg;
}

/** The heat map as a PNG, scaled down (never up) to fit within 1024×1024. */
export function renderHeatMapPng(input: HeatMapInput): Buffer {
  const { svg, width, height } = draw(input);
  let fitTo: ResvgRenderOptions['fitTo'] = { mode: 'original' };
  if (width > MAX_SIDE || height > MAX_SIDE) fitTo = width >= height ? { mode: 'width', value: MAX_SIDE } : { mode: 'height', value: MAX_SIDE };
  const rendered = new Resvg(svg, { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT }, fitTo }).render();
  // A palette PNG: the same pixels at about a third of the size, so the map fits inline in a Teams message.
  return compactPng(rendered.pixels, rendered.width, rendered.height, () => rendered.asPng());
}
