import { Resvg } from '@resvg/resvg-js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { HEAT_COLOURS, heatMapSvg, renderHeatMapPng, type HeatMapInput, type HeatScaleEntry } from '../../src/features/section11/heat-map.js';

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => path.join(fontDir, f));

const scale: HeatScaleEntry[] = [
  { key: 'met', label: 'Met', letter: 'M', colour: 'green' },
  { key: 'partial', label: 'Partially met', letter: 'P', colour: 'amber' },
  { key: 'not-met', label: 'Not met', letter: 'N', colour: 'red' },
  { key: 'na', label: 'Not applicable', letter: 'X', colour: 'grey' },
];
const colourOf = (key: string) => HEAT_COLOURS[scale.find((entry) => entry.key === key)!.colour];

const standards = Array.from({ length: 8 }, (_, j) => ({ key: `std-${j + 1}`, number: String(j + 1), name: `Standard ${j + 1} of Section 11` }));
const ratings = (keys: (string | undefined)[]) => Object.fromEntries(standards.map((standard, j) => [standard.key, keys[j]]));

const threeAgencies: HeatMapInput = {
  title: 'Section 11 audit 2027: ratings',
  subtitle: 'Self-assessed (S) and moderated (M) ratings, as of Tue 2 Mar 2027',
  standards,
  scale,
  agencies: [
    {
      name: 'Northumbria Police',
      self: ratings(['met', 'met', 'partial', 'met', 'na', 'met', 'partial', 'met']),
      moderated: ratings(['not-met', 'met', 'partial', 'partial', 'na', 'met', 'not-met', 'met']),
    },
    {
      name: 'North East and North Cumbria Integrated Care Board',
      self: ratings(['partial', 'met', undefined, 'met', 'met', 'met', 'met', 'na']),
      moderated: ratings(['partial', 'not-met', 'met', 'met', 'met', 'partial', 'met', 'na']),
    },
    {
      name: 'Sunderland City Council',
      self: ratings(['met', 'partial', 'met', 'not-met', 'met', 'met', 'met', 'met']),
      moderated: ratings(['met', 'partial', 'met', 'not-met', 'partial', 'met', 'met', 'met']),
    },
  ],
};

type Kind = 'self' | 'moderated';
interface Box { x: number; y: number; width: number; height: number }

/** Where the SVG puts a grid cell (each cell's rect is labelled with its row, column and kind). */
function cellBox(svg: string, agency: number, standard: number, kind: Kind): Box {
  const tag = svg.match(new RegExp(`<rect data-agency="${agency}" data-standard="${standard}" data-kind="${kind}"[^>]*>`))?.[0];
  if (!tag) throw new Error(`no cell ${agency}/${standard}/${kind} in the SVG`);
  const attr = (name: string) => Number(tag.match(new RegExp(` ${name}="([^"]+)"`))?.[1]);
  return { x: attr('x'), y: attr('y'), width: attr('width'), height: attr('height') };
}

function svgSize(svg: string): { width: number; height: number } {
  const open = svg.match(/<svg [^>]*>/)?.[0] ?? '';
  return { width: Number(open.match(/ width="(\d+)"/)?.[1]), height: Number(open.match(/ height="(\d+)"/)?.[1]) };
}

function rgbAt(png: PNG, x: number, y: number): [number, number, number] {
  const i = (Math.floor(y) * png.width + Math.floor(x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function expectColour(actual: [number, number, number], hex: string, where: string): void {
  const expected = rgbOf(hex);
  const off = Math.max(...actual.map((c, i) => Math.abs(c - expected[i]!)));
  expect(off, `${where}: rgb(${actual.join(',')}) is not ${hex}`).toBeLessThanOrEqual(3);
}

/** Pixels inside the fill near a cell's two opposite corners: clear of the letter, clear of anti-aliased edges. */
function cornerSamples(png: PNG, box: Box, k: number): [number, number, number][] {
  const inset = 3;
  return [
    rgbAt(png, (box.x + inset) * k, (box.y + inset) * k),
    rgbAt(png, (box.x + box.width - inset) * k, (box.y + box.height - inset) * k),
  ];
}

function countPixels(png: PNG, box: Box, test: (rgb: [number, number, number]) => boolean): number {
  let count = 0;
  for (let y = Math.floor(box.y); y < box.y + box.height; y++) {
    for (let x = Math.floor(box.x); x < box.x + box.width; x++) if (test(rgbAt(png, x, y))) count++;
  }
  return count;
}

const darkPixels = (png: PNG, box: Box) => countPixels(png, box, ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b < 100);
const inkedPixels = (png: PNG, box: Box) => countPixels(png, box, (rgb) => Math.max(...rgb) < 200);

function differingPixels(a: PNG, b: PNG, box: Box): number {
  let count = 0;
  for (let y = Math.floor(box.y); y < box.y + box.height; y++) {
    for (let x = Math.floor(box.x); x < box.x + box.width; x++) {
      if (rgbAt(a, x, y).some((c, i) => c !== rgbAt(b, x, y)[i])) count++;
    }
  }
  return count;
}

describe('the Section 11 heat map', () => {
  const svg = heatMapSvg(threeAgencies);
  const png = PNG.sync.read(renderHeatMapPng(threeAgencies));

  it('is the SVG at its natural size when that fits in 1024×1024', () => {
    const natural = svgSize(svg);
    expect(natural.width).toBeGreaterThan(0);
    expect(natural.height).toBeGreaterThan(0);
    expect(natural.width).toBeLessThanOrEqual(1024);
    expect(natural.height).toBeLessThanOrEqual(1024);
    expect({ width: png.width, height: png.height }).toEqual(natural);
  });

  it("fills each cell with its rating's colour, self and moderated alike, on a white background", () => {
    const checks: [number, number, Kind][] = [
      [0, 0, 'self'], // met
      [0, 0, 'moderated'], // not met
      [0, 2, 'self'], // partially met
      [0, 4, 'moderated'], // not applicable
      [1, 1, 'moderated'], // not met
      [2, 3, 'self'], // not met
      [2, 4, 'moderated'], // partially met
    ];
    for (const [agency, standard, kind] of checks) {
      const key = threeAgencies.agencies[agency]![kind][standards[standard]!.key]!;
      for (const sample of cornerSamples(png, cellBox(svg, agency, standard, kind), 1)) {
        expectColour(sample, colourOf(key), `agency ${agency}, standard ${standard + 1}, ${kind}`);
      }
    }
    expectColour(rgbAt(png, 2, 2), '#FFFFFF', 'top-left background');
    expectColour(rgbAt(png, png.width - 3, png.height - 3), '#FFFFFF', 'bottom-right background');
  });

  it('leaves an unrated cell white inside a thin border, with a dash', () => {
    const box = cellBox(svg, 1, 2, 'self');
    for (const sample of cornerSamples(png, box, 1)) expectColour(sample, '#FFFFFF', 'unrated cell');
    const [r, g, b] = rgbAt(png, box.x, box.y + box.height / 2);
    expect(Math.max(r, g, b), 'the border is drawn').toBeLessThan(200);
    const inside = { x: box.x + 2, y: box.y + 2, width: box.width - 4, height: box.height - 4 };
    expect(inkedPixels(png, inside), 'the dash is drawn').toBeGreaterThan(3);
  });

  it("draws every rated cell's letter in the shipped font: other letters, same colours, change the cells' pixels", () => {
    const relettered: HeatMapInput = { ...threeAgencies, scale: scale.map((entry, i) => ({ ...entry, letter: 'ABCD'[i]! })) };
    const other = PNG.sync.read(renderHeatMapPng(relettered));
    expect({ width: other.width, height: other.height }).toEqual({ width: png.width, height: png.height });
    for (const [agency, row] of threeAgencies.agencies.entries()) {
      for (const [standard, { key }] of standards.entries()) {
        for (const kind of ['self', 'moderated'] as const) {
          if (row[kind][key] === undefined) continue;
          const box = cellBox(svg, agency, standard, kind);
          expect(differingPixels(png, other, box), `letters in agency ${agency}, standard ${standard + 1}, ${kind}`).toBeGreaterThan(10);
          expect(darkPixels(png, box), `a dark letter in agency ${agency}, standard ${standard + 1}, ${kind}`).toBeGreaterThan(10);
        }
      }
    }
  });

  it("writes each agency's name in the column left of the grid", () => {
    for (const agency of threeAgencies.agencies.keys()) {
      const first = cellBox(svg, agency, 0, 'self');
      const nameColumn = { x: 0, y: first.y, width: first.x - 1, height: first.height };
      expect(darkPixels(png, nameColumn), `agency ${agency}'s name`).toBeGreaterThan(50);
    }
  });

  it('escapes agency names with & < > " \' into the SVG and still renders them', () => {
    const name = `Smith & Jones <Care> "Homes" 'Ltd'`;
    const input: HeatMapInput = { ...threeAgencies, agencies: [{ ...threeAgencies.agencies[0]!, name }] };
    const escapedSvg = heatMapSvg(input);
    expect(escapedSvg).toContain('Smith &amp; Jones &lt;Care&gt; &quot;Homes&quot; &apos;Ltd&apos;');
    expect(escapedSvg).not.toContain(name);
    const image = PNG.sync.read(renderHeatMapPng(input));
    expect(image.width).toBeGreaterThan(0);
    const first = cellBox(escapedSvg, 0, 0, 'self');
    expect(darkPixels(image, { x: 0, y: first.y, width: first.x - 1, height: first.height })).toBeGreaterThan(50);
  });

  it('is small enough for a partnership of 16 agencies to travel inside a Teams message, with the same pixels as the full-colour rendering', () => {
    const keys = ['met', 'partial', 'not-met', 'na', undefined];
    const agencies = Array.from({ length: 16 }, (_, i) => ({
      name: `Agency ${i + 1}: NHS Foundation Trust for a long place name`,
      self: Object.fromEntries(standards.map((s, j) => [s.key, keys[(i + j) % keys.length]])),
      moderated: i < 6 ? Object.fromEntries(standards.map((s, j) => [s.key, keys[(i + 2 * j) % 4]])) : {},
    }));
    const input: HeatMapInput = { ...threeAgencies, agencies };
    const buffer = renderHeatMapPng(input);
    // A Teams message is refused over about 100 KB where a client counts the picture in it, as base64 (4 bytes per 3).
    expect(buffer.length * (4 / 3)).toBeLessThan(75_000);
    // A palette PNG (colour type 3), losslessly: every pixel as resvg drew it.
    expect(buffer[25]).toBe(3);
    const drawn = new Resvg(heatMapSvg(input), { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
    expect(Buffer.from(PNG.sync.read(buffer).data).equals(Buffer.from(drawn.pixels))).toBe(true);
  });

  it('scales 30 agencies × 12 standards down to fit 1024×1024, under 1 MB, keeping the cells and their colours', () => {
    const wide = Array.from({ length: 12 }, (_, j) => ({
      key: `std-${j + 1}`,
      number: j === 1 ? '2a' : String(j + 1),
      name: `Standard ${j + 1}: the agency shows its commitment to safeguarding and promoting the welfare of children`,
    }));
    const keys = ['met', 'partial', 'not-met', 'na', undefined];
    const agencies = Array.from({ length: 30 }, (_, i) => ({
      name: `Agency ${i + 1}: a long partnership member name that must be shortened`,
      self: Object.fromEntries(wide.map((s, j) => [s.key, keys[(i + j) % keys.length]])),
      moderated: Object.fromEntries(wide.map((s, j) => [s.key, keys[(2 * i + j) % 4]])),
    }));
    const input: HeatMapInput = { ...threeAgencies, standards: wide, agencies };
    const bigSvg = heatMapSvg(input);
    const natural = svgSize(bigSvg);
    expect(Math.max(natural.width, natural.height), 'the natural size needs scaling').toBeGreaterThan(1024);
    expect(bigSvg).toContain('…');

    const buffer = renderHeatMapPng(input);
    const image = PNG.sync.read(buffer);
    expect(buffer.length).toBeLessThan(1_000_000);
    expect(image.width).toBeLessThanOrEqual(1024);
    expect(image.height).toBeLessThanOrEqual(1024);
    expect(Math.max(image.width, image.height)).toBe(1024);
    const k = image.width / natural.width;
    expect(Math.abs(image.height - natural.height * k)).toBeLessThanOrEqual(1);

    for (const [agency, standard, kind] of [[0, 0, 'self'], [29, 11, 'moderated'], [14, 6, 'moderated']] as const) {
      const key = agencies[agency]![kind][wide[standard]!.key];
      if (key === undefined) throw new Error('pick a rated cell');
      for (const sample of cornerSamples(image, cellBox(bigSvg, agency, standard, kind), k)) {
        expectColour(sample, colourOf(key), `agency ${agency}, standard ${standard + 1}, ${kind}`);
      }
    }
  });
});
