import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** zlib level 3: about the size resvg's own encoder makes (≈ 50 KB for a value chart) in a fifth of its time. */
const DEFLATE_LEVEL = 3;

/**
 * An 8-bit RGBA PNG (PNG spec: signature, IHDR, one IDAT, IEND) of `rgba` (rows top to bottom). Every row
 * is stored unfiltered (filter byte 0), so building the image data is one copy per row; deflate and CRC-32
 * are node:zlib's. See docs/decisions.md "Report path" for why this is not resvg's `asPng` or pngjs.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const stride = width * 4;
  if (rgba.length !== stride * height)
    throw new RangeError(`expected ${stride * height} RGBA bytes, got ${rgba.length}`);
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA (compression, filter method and interlace stay 0)
  return Buffer.concat([
    SIGNATURE,
    ...chunk('IHDR', header),
    ...chunk('IDAT', deflateSync(rows, { level: DEFLATE_LEVEL })),
    ...chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Length, type, data, then the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer[] {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return [head, data, tail];
}
