import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { keccak256, parseTransaction, recoverTransactionAddress, type Hex } from 'viem';

/** A signed EVM transaction as the chain will see it (viem decodes every type: legacy, 2930, 1559, 4844, 7702). */
export interface DecodedEvmTx {
  readonly chainId?: number;
  readonly to: string;
  readonly data: string;
  readonly value: string;
  /** Recovered from the signature, lower case. */
  readonly signer: string;
  readonly txHash: string;
}

export class SignedTxError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'SignedTxError';
  }
}

export async function decodeSignedEvmTx(signedTx: string): Promise<DecodedEvmTx> {
  if (!/^0x[0-9a-fA-F]+$/.test(signedTx)) throw new SignedTxError('the signed transaction is not hex');
  const serialized = signedTx as Hex;
  try {
    const tx = parseTransaction(serialized);
    const signer = await recoverTransactionAddress({ serializedTransaction: serialized as never });
    return {
      ...(tx.chainId !== undefined ? { chainId: tx.chainId } : {}),
      to: (tx.to ?? '').toLowerCase(),
      data: (tx.data ?? '0x').toLowerCase(),
      value: (tx.value ?? 0n).toString(),
      signer: signer.toLowerCase(),
      txHash: keccak256(serialized),
    };
  } catch (error) {
    throw new SignedTxError('the signed transaction could not be decoded', { cause: error });
  }
}

/**
 * Solana's wire format: compact-u16 signature count, the 64-byte signatures, then the message (legacy, or v0 with its
 * version byte). The message's header is 3 bytes; then the compact-u16 account count and the 32-byte keys, the
 * first being the fee payer (the first required signer).
 */
export interface DecodedSolanaTx {
  readonly signatures: readonly Uint8Array[];
  readonly message: Uint8Array;
  /** base58 */
  readonly feePayer: string;
}

export function decodeSolanaTx(encoded: string): DecodedSolanaTx {
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(encoded);
  } catch (error) {
    throw new SignedTxError('the Solana transaction is not base58', { cause: error });
  }
  const [count, afterCount] = readCompactU16(bytes, 0);
  const messageStart = afterCount + count * 64;
  if (count === 0 || messageStart >= bytes.length) throw new SignedTxError('the Solana transaction has no signatures');
  const signatures = Array.from({ length: count }, (_, index) =>
    bytes.slice(afterCount + index * 64, afterCount + (index + 1) * 64),
  );
  const message = bytes.slice(messageStart);
  const versioned = (message[0]! & 0x80) !== 0;
  const header = versioned ? 1 : 0;
  const [accounts, afterAccounts] = readCompactU16(message, header + 3);
  if (accounts === 0 || afterAccounts + 32 > message.length)
    throw new SignedTxError('the Solana transaction names no fee payer');
  return { signatures, message, feePayer: base58.encode(message.slice(afterAccounts, afterAccounts + 32)) };
}

/** The fee payer's signature (the first) over the message, checked with ed25519; the tx id is that signature. */
export function verifySolanaTx(decoded: DecodedSolanaTx): { readonly isValid: boolean; readonly txHash: string } {
  const signature = decoded.signatures[0]!;
  let isValid = false;
  try {
    isValid = ed25519.verify(signature, decoded.message, base58.decode(decoded.feePayer));
  } catch {
    isValid = false;
  }
  return { isValid, txHash: base58.encode(signature) };
}

function readCompactU16(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let index = 0; index < 3; index += 1) {
    const byte = bytes[offset + index];
    if (byte === undefined) throw new SignedTxError('the Solana transaction is cut short');
    value |= (byte & 0x7f) << (7 * index);
    if ((byte & 0x80) === 0) return [value, offset + index + 1];
  }
  throw new SignedTxError('the Solana transaction has a bad length prefix');
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
