#!/usr/bin/env node
// Writes the placeholder Teams icons (manifest/teams/color.png and outline.png) using node:zlib only.
//
//   node scripts/make-placeholder-icons.mjs
//
// color.png   192x192: the letters "PB" in white on a square of the accent colour (read from manifest.json).
// outline.png  32x32:  the letters "PB" and a thin frame, white on a transparent background, as Teams requires
//                      (only white pixels and transparency, no other colours).
// The PNGs are committed; run this again only to regenerate them. Replace them with real artwork whenever you like:
// test/unit/manifests.test.ts checks sizes and the outline rule, not the picture.

import { crc32, deflateSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const teamsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'manifest', 'teams');

// 5x7 bitmap glyphs.
const GLYPHS = {
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
};

/** An RGBA canvas, all transparent. */
function canvas(width, height) {
  return { width, height, px: new Uint8Array(width * height * 4) };
}

function fillRect(c, x0, y0, w, h, [r, g, b, a]) {
  for (let y = Math.max(0, y0); y < Math.min(c.height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(c.width, x0 + w); x++) {
      const i = (y * c.width + x) * 4;
      c.px[i] = r;
      c.px[i + 1] = g;
      c.px[i + 2] = b;
      c.px[i + 3] = a;
    }
  }
}

/** Draws `text` centred, each glyph cell `scale` pixels square, `gap` cells between letters. */
function drawText(c, text, scale, gap, colour) {
  const glyphW = 5;
  const glyphH = 7;
  const totalW = (text.length * glyphW + (text.length - 1) * gap) * scale;
  const left = Math.floor((c.width - totalW) / 2);
  const top = Math.floor((c.height - glyphH * scale) / 2);
  [...text].forEach((ch, n) => {
    const rows = GLYPHS[ch];
    if (!rows) throw new Error(`no glyph for ${ch}`);
    const gx = left + n * (glyphW + gap) * scale;
    rows.forEach((row, ry) => {
      [...row].forEach((bit, rx) => {
        if (bit === '1') fillRect(c, gx + rx * scale, top + ry * scale, scale, scale, colour);
      });
    });
  });
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([len, typeAndData, crc]);
}

/** Encodes an RGBA canvas as a non-interlaced 8-bit RGBA PNG (filter type 0 on every row). */
function encodePng(c) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(c.width, 0);
  ihdr.writeUInt32BE(c.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const stride = c.width * 4;
  const raw = Buffer.alloc((stride + 1) * c.height);
  for (let y = 0; y < c.height; y++) {
    raw[y * (stride + 1)] = 0;
    Buffer.from(c.px.buffer, y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hexToRgba(hex) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`accentColor must be #rrggbb, got ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16), 255];
}

const manifest = JSON.parse(readFileSync(join(teamsDir, 'manifest.json'), 'utf8'));
const accent = hexToRgba(manifest.accentColor);
const WHITE = [255, 255, 255, 255];

// Colour icon: full-bleed accent square, white "PB".
const color = canvas(192, 192);
fillRect(color, 0, 0, 192, 192, accent);
drawText(color, 'PB', 12, 1, WHITE);
writeFileSync(join(teamsDir, 'color.png'), encodePng(color));

// Outline icon: white frame (1 px, inset 1 px) and white "PB", everything else transparent.
const outline = canvas(32, 32);
fillRect(outline, 1, 1, 30, 1, WHITE);
fillRect(outline, 1, 30, 30, 1, WHITE);
fillRect(outline, 1, 1, 1, 30, WHITE);
fillRect(outline, 30, 1, 1, 30, WHITE);
drawText(outline, 'PB', 2, 1, WHITE);
writeFileSync(join(teamsDir, 'outline.png'), encodePng(outline));

console.log(`wrote ${join(teamsDir, 'color.png')} (192x192) and ${join(teamsDir, 'outline.png')} (32x32)`);
