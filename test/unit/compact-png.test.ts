import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { compactPng } from '../../src/messaging/compact-png.js';

/** RGBA pixels of a width × 1 strip where pixel i has colour `colour(i)`. */
function strip(width: number, colour: (i: number) => [number, number, number, number]): Uint8Array {
  const data = new Uint8Array(width * 4);
  for (let i = 0; i < width; i++) data.set(colour(i), i * 4);
  return data;
}
const decoded = (png: Buffer) => new Uint8Array(PNG.sync.read(png).data);
const never = () => {
  throw new Error('the fallback was not expected');
};

describe('compactPng: a picture with few colours as a palette PNG', () => {
  it('keeps every pixel exactly', () => {
    const opaque = strip(300, (i) => [i % 7, 100, (i * 3) % 11, 255]);
    const png = compactPng(opaque, 300, 1, never);
    expect(png[25], 'colour type 3: a palette').toBe(3);
    expect(decoded(png)).toEqual(opaque);
  });

  it('hands over to the full-colour PNG when there are more colours than a palette holds, or see-through pixels', () => {
    const many = strip(257, (i) => [i % 256, Math.floor(i / 256), 0, 255]);
    const fallback = Buffer.from('full colour');
    expect(compactPng(many, 257, 1, () => fallback)).toBe(fallback);
    const exactly256 = strip(256, (i) => [i, 0, 0, 255]);
    expect(decoded(compactPng(exactly256, 256, 1, never))).toEqual(exactly256);
    const seeThrough = strip(40, (i) => [200, i % 4, 0, i % 2 === 0 ? 255 : 64]);
    expect(compactPng(seeThrough, 40, 1, () => fallback)).toBe(fallback);
  });
});
