import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../../../shared/platform/chart/png-encode';

describe('PNG encoding', () => {
  // 2 × 2: red, green / blue, half-transparent white.
  const pixels = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 128]);

  it('writes an 8-bit RGBA PNG that a PNG decoder reads back pixel for pixel', () => {
    const png = encodePng(2, 2, pixels);

    const decoded = PNG.sync.read(png, { checkCRC: true });

    expect([decoded.width, decoded.height]).toEqual([2, 2]);
    expect([...decoded.data]).toEqual([...pixels]);
  });

  it('lays out signature, IHDR, one IDAT of unfiltered rows and IEND', () => {
    const png = encodePng(2, 2, pixels);

    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: length 13, width 2, height 2, 8 bits, colour type 6 (RGBA), compression/filter/interlace 0.
    expect(png.readUInt32BE(8)).toBe(13);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([...png.subarray(16, 29)]).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('latin1', 37, 41)).toBe('IDAT');
    // Each row: filter byte 0, then its 8 bytes as given.
    expect([...inflateSync(png.subarray(41, 41 + idatLength))]).toEqual([
      0,
      ...pixels.subarray(0, 8),
      0,
      ...pixels.subarray(8),
    ]);
    expect(png.toString('latin1', 41 + idatLength + 8, 41 + idatLength + 12)).toBe('IEND');
    expect(png.length).toBe(41 + idatLength + 4 + 12);
  });

  it('refuses pixels that do not fill the image', () => {
    expect(() => encodePng(2, 2, pixels.subarray(0, 12))).toThrow(RangeError);
  });
});
