import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  decodeSolanaTransaction,
  encodeSolanaMessage,
  encodeUnsignedSolanaTransaction,
  type SolanaMessage,
} from '../../../dev-tools/okx-sandbox/solana-wire';

const KEY_A = base58.encode(new Uint8Array(32).fill(1));
const KEY_B = base58.encode(new Uint8Array(32).fill(2));
const HASH = base58.encode(new Uint8Array(32).fill(9));

const message = (version: SolanaMessage['version'], data = Uint8Array.from([7, 8])): SolanaMessage => ({
  version,
  header: [1, 0, 1],
  accountKeys: [KEY_A, KEY_B],
  recentBlockhash: HASH,
  instructions: [{ programIndex: 1, accountIndexes: [0], data }],
});

describe('Solana wire format (sandbox encoder and decoder)', () => {
  it('lays out a legacy message byte by byte', () => {
    expect([...encodeSolanaMessage(message('legacy'))]).toEqual([
      1,
      0,
      1,
      2,
      ...new Array(32).fill(1),
      ...new Array(32).fill(2),
      ...new Array(32).fill(9),
      1,
      1,
      1,
      0,
      2,
      7,
      8,
    ]);
  });

  it('prefixes v0 with 0x80 and ends it with an empty lookup-table list, and reads both back', () => {
    const v0 = encodeSolanaMessage(message(0));
    expect(v0[0]).toBe(0x80);
    expect(v0[v0.length - 1]).toBe(0);
    for (const version of ['legacy', 0] as const) {
      const decoded = decodeSolanaTransaction(encodeUnsignedSolanaTransaction(message(version)));
      expect(decoded.signatures).toEqual([new Uint8Array(64)]);
      expect(decoded.message).toEqual(message(version));
      expect(decoded.messageBytes).toEqual(encodeSolanaMessage(message(version)));
    }
  });

  it('writes compact-u16 lengths above 127 in two bytes', () => {
    const long = encodeSolanaMessage(message('legacy', new Uint8Array(200)));
    // 200 = 0b1_1001000 → 0xc8 0x01
    expect([...long.subarray(4 + 96 + 4, 4 + 96 + 6)]).toEqual([0xc8, 0x01]);
    expect(
      decodeSolanaTransaction(Uint8Array.from([1, ...new Uint8Array(64), ...long])).message.instructions[0]!.data,
    ).toHaveLength(200);
  });

  it('refuses truncated, trailing, mismatched, versioned-1 and lookup-table transactions', () => {
    const good = encodeUnsignedSolanaTransaction(message('legacy'));
    expect(() => decodeSolanaTransaction(good.subarray(0, good.length - 1))).toThrow('truncated');
    expect(() => decodeSolanaTransaction(Uint8Array.from([...good, 0]))).toThrow('trailing');
    expect(() => decodeSolanaTransaction(Uint8Array.from([0, ...good.subarray(65)]))).toThrow('signature count');
    const v1 = encodeSolanaMessage(message(0));
    v1[0] = 0x81;
    expect(() => decodeSolanaTransaction(Uint8Array.from([1, ...new Uint8Array(64), ...v1]))).toThrow('version 1');
    const withTable = encodeSolanaMessage(message(0));
    withTable[withTable.length - 1] = 1;
    expect(() => decodeSolanaTransaction(Uint8Array.from([1, ...new Uint8Array(64), ...withTable]))).toThrow(
      'lookup tables',
    );
    expect(() => decodeSolanaTransaction(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toThrow('compact-u16');
  });
});
