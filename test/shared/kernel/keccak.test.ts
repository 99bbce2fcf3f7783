import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keccak256, sponge256 } from '../../../shared/kernel/keccak';

describe('keccak256', () => {
  it.each([
    ['', 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
    ['abc', '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
    ['The quick brown fox jumps over the lazy dog', '4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15'],
    ['transfer(address,uint256)', 'a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b'],
  ])('hashes %j to the Ethereum Keccak-256 vector', (input, expected) => {
    expect(keccak256(input)).toBe(expected);
    expect(keccak256(new TextEncoder().encode(input))).toBe(expected);
  });

  it('is not NIST SHA3-256 (different padding)', () => {
    expect(keccak256('')).not.toBe(createHash('sha3-256').update('').digest('hex'));
  });

  it('hashes UTF-8 text by its bytes', () => {
    expect(keccak256('é')).toBe(keccak256(new Uint8Array([0xc3, 0xa9])));
  });

  it.each([135, 136, 137, 272, 1000])('runs the same permutation as node:crypto sha3-256 at %i bytes (block edges)', (length) => {
    const bytes = new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff);
    expect(sponge256(bytes, 0x06)).toBe(createHash('sha3-256').update(bytes).digest('hex'));
  });

  it('matches node:crypto sha3-256 for arbitrary inputs when given the SHA3 suffix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => sponge256(bytes, 0x06) === createHash('sha3-256').update(bytes).digest('hex')),
      { numRuns: 60 },
    );
  });
});
