import { base58 } from '@scure/base';

/**
 * The Solana transaction wire format (legacy and v0 messages), just enough for the sandbox: build an unsigned swap
 * transaction and read a signed one back. Layout: compact-u16 signature count, 64-byte signatures, then the message
 * (optional version byte 0x80|v, header [required signatures, read-only signed, read-only unsigned], compact-u16 +
 * 32-byte account keys, 32-byte recent blockhash, compact-u16 + instructions, v0: compact-u16 + lookup tables).
 */
export interface SolanaInstruction {
  readonly programIndex: number;
  readonly accountIndexes: readonly number[];
  readonly data: Uint8Array;
}

export interface SolanaMessage {
  readonly version: 'legacy' | 0;
  readonly header: readonly [number, number, number];
  readonly accountKeys: readonly string[];
  readonly recentBlockhash: string;
  readonly instructions: readonly SolanaInstruction[];
}

export interface DecodedSolanaTransaction {
  readonly signatures: readonly Uint8Array[];
  /** The exact message bytes the signatures cover. */
  readonly messageBytes: Uint8Array;
  readonly message: SolanaMessage;
}

export class SolanaWireError extends Error {
  override name = 'SolanaWireError';
}

function compactU16(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    if (rest === 0) return [...out, low];
    out.push(low | 0x80);
  }
}

export function encodeSolanaMessage(message: SolanaMessage): Uint8Array {
  const bytes: number[] = message.version === 0 ? [0x80] : [];
  bytes.push(...message.header, ...compactU16(message.accountKeys.length));
  for (const key of message.accountKeys) bytes.push(...base58.decode(key));
  bytes.push(...base58.decode(message.recentBlockhash), ...compactU16(message.instructions.length));
  for (const instruction of message.instructions)
    bytes.push(
      instruction.programIndex,
      ...compactU16(instruction.accountIndexes.length),
      ...instruction.accountIndexes,
      ...compactU16(instruction.data.length),
      ...instruction.data,
    );
  if (message.version === 0) bytes.push(...compactU16(0));
  return Uint8Array.from(bytes);
}

/** An unsigned transaction as a wallet receives it: one zeroed signature slot per required signer. */
export function encodeUnsignedSolanaTransaction(message: SolanaMessage): Uint8Array {
  const messageBytes = encodeSolanaMessage(message);
  const slots = message.header[0];
  return Uint8Array.from([...compactU16(slots), ...new Uint8Array(64 * slots), ...messageBytes]);
}

function createReader(bytes: Uint8Array) {
  let at = 0;
  const take = (length: number): Uint8Array => {
    if (at + length > bytes.length) throw new SolanaWireError('transaction is truncated');
    const slice = bytes.subarray(at, at + length);
    at += length;
    return slice;
  };
  const compact = (): number => {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = take(1)[0]!;
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new SolanaWireError('bad compact-u16');
  };
  return { take, compact, offset: () => at, done: () => at === bytes.length };
}

export function decodeSolanaTransaction(bytes: Uint8Array): DecodedSolanaTransaction {
  const reader = createReader(bytes);
  const signatures = Array.from({ length: reader.compact() }, () => reader.take(64));
  const messageStart = reader.offset();
  const first = reader.take(1)[0]!;
  const version = first & 0x80 ? first & 0x7f : 'legacy';
  if (version !== 'legacy' && version !== 0) throw new SolanaWireError(`unsupported message version ${version}`);
  const header = [version === 'legacy' ? first : reader.take(1)[0]!, ...reader.take(2)] as [number, number, number];
  const accountKeys = Array.from({ length: reader.compact() }, () => base58.encode(reader.take(32)));
  const recentBlockhash = base58.encode(reader.take(32));
  const instructions = Array.from({ length: reader.compact() }, () => ({
    programIndex: reader.take(1)[0]!,
    accountIndexes: [...reader.take(reader.compact())],
    data: Uint8Array.from(reader.take(reader.compact())),
  }));
  if (version === 0 && reader.compact() !== 0) throw new SolanaWireError('address lookup tables are not supported');
  if (!reader.done()) throw new SolanaWireError('trailing bytes after the message');
  if (signatures.length !== header[0] || accountKeys.length < header[0])
    throw new SolanaWireError('signature count does not match the message header');
  return {
    signatures,
    messageBytes: Uint8Array.from(bytes.subarray(messageStart)),
    message: { version, header, accountKeys, recentBlockhash, instructions },
  };
}
