/**
 * Keccak-256 as used by Ethereum (original Keccak padding 0x01…0x80, not NIST SHA3-256's 0x06…0x80).
 * node:crypto has no Keccak, and the domain may not import libraries, so this is a small, clear
 * implementation over 64-bit BigInt lanes: fast enough for EIP-55 checksums of 20-byte addresses.
 */
const MASK_64 = (1n << 64n) - 1n;
const RATE_BYTES = 136; // 1600-bit state minus 2 × 256-bit capacity
const ROUNDS = 24;

function rotl(value: bigint, shift: number): bigint {
  if (shift === 0) return value;
  const bits = BigInt(shift);
  return ((value << bits) | (value >> (64n - bits))) & MASK_64;
}

/** Round constants from the reference LFSR (x^8 + x^6 + x^5 + x^4 + 1), as in the Keccak specification. */
function roundConstants(): bigint[] {
  let lfsr = 1;
  const constants: bigint[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let constant = 0n;
    for (let j = 0; j < 7; j += 1) {
      if ((lfsr & 1) === 1) constant ^= 1n << BigInt((1 << j) - 1);
      lfsr = (lfsr & 0x80) !== 0 ? ((lfsr << 1) ^ 0x71) & 0xff : (lfsr << 1) & 0xff;
    }
    constants.push(constant);
  }
  return constants;
}

/** Rho offsets by lane index x + 5y, walking (x, y) → (y, 2x + 3y) from (1, 0). */
function rotationOffsets(): number[] {
  const offsets: number[] = new Array<number>(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t += 1) {
    offsets[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return offsets;
}

const ROUND_CONSTANTS = roundConstants();
const ROTATION_OFFSETS = rotationOffsets();

/** Lane read: indexes are always within the 25-lane state, so the assertion is safe. */
function lane(state: readonly bigint[], index: number): bigint {
  return state[index]!;
}

function permute(state: bigint[]): void {
  const columns: bigint[] = new Array<bigint>(5).fill(0n);
  const moved: bigint[] = new Array<bigint>(25).fill(0n);
  for (const roundConstant of ROUND_CONSTANTS) {
    for (let x = 0; x < 5; x += 1) {
      columns[x] = lane(state, x) ^ lane(state, x + 5) ^ lane(state, x + 10) ^ lane(state, x + 15) ^ lane(state, x + 20);
    }
    for (let x = 0; x < 5; x += 1) {
      const d = lane(columns, (x + 4) % 5) ^ rotl(lane(columns, (x + 1) % 5), 1);
      for (let y = 0; y < 25; y += 5) state[x + y] = lane(state, x + y) ^ d;
    }
    for (let x = 0; x < 5; x += 1) {
      for (let y = 0; y < 5; y += 1) moved[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(lane(state, x + 5 * y), ROTATION_OFFSETS[x + 5 * y]!);
    }
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x += 1) {
        state[x + y] = lane(moved, x + y) ^ (~lane(moved, ((x + 1) % 5) + y) & MASK_64 & lane(moved, ((x + 2) % 5) + y));
      }
    }
    state[0] = lane(state, 0) ^ roundConstant;
  }
}

function padded(data: Uint8Array, domainSuffix: number): Uint8Array {
  const length = (Math.floor(data.length / RATE_BYTES) + 1) * RATE_BYTES;
  const message = new Uint8Array(length);
  message.set(data);
  message[data.length] = domainSuffix;
  message[length - 1] = message[length - 1]! | 0x80;
  return message;
}

/** Keccak-256 digest as 64 lower-case hex characters. Strings are hashed as UTF-8. */
export function keccak256(data: Uint8Array | string): string {
  return sponge256(typeof data === 'string' ? new TextEncoder().encode(data) : data, 0x01);
}

/**
 * The 256-bit sponge with a chosen domain suffix: 0x01 is Keccak-256, 0x06 is NIST SHA3-256. Exposed so
 * tests can check the permutation against node:crypto's sha3-256 on inputs of any length.
 */
export function sponge256(bytes: Uint8Array, domainSuffix: 0x01 | 0x06): string {
  const message = padded(bytes, domainSuffix);
  const state: bigint[] = new Array<bigint>(25).fill(0n);
  for (let offset = 0; offset < message.length; offset += RATE_BYTES) {
    for (let i = 0; i < RATE_BYTES / 8; i += 1) {
      let value = 0n;
      for (let b = 7; b >= 0; b -= 1) value = (value << 8n) | BigInt(message[offset + 8 * i + b]!);
      state[i] = lane(state, i) ^ value;
    }
    permute(state);
  }
  let hex = '';
  for (let i = 0; i < 4; i += 1) {
    const value = lane(state, i);
    for (let b = 0; b < 8; b += 1) hex += ((value >> BigInt(8 * b)) & 0xffn).toString(16).padStart(2, '0');
  }
  return hex;
}
