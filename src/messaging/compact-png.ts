import { encode } from 'fast-png';

/** PNG's palette holds at most this many colours. */
const PALETTE_MAX = 256;

/**
 * A rendered picture with few colours (a chart, a heat map) as a palette PNG: lossless, and a fraction of the size of
 * the RGBA one, so it fits inside a chat message. `rgba` is the raw pixels, 4 bytes each. A picture with more colours
 * than a palette holds, or with see-through pixels, is returned as `fallback`.
 */
export function compactPng(rgba: Uint8Array, width: number, height: number, fallback: () => Buffer): Buffer {
  const indexOf = new Map<number, number>();
  const palette: [number, number, number][] = [];
  const indices = new Uint8Array(width * height);
  const view = new DataView(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  for (let p = 0; p < width * height; p++) {
    const colour = view.getUint32(p * 4);
    let index = indexOf.get(colour);
    if (index === undefined) {
      if (palette.length === PALETTE_MAX || rgba[p * 4 + 3] !== 255) return fallback();
      index = palette.length;
      indexOf.set(colour, index);
      palette.push([rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!]);
    }
    indices[p] = index;
  }
  return Buffer.from(encode({ width, height, data: indices, channels: 1, depth: 8, palette }));
}
