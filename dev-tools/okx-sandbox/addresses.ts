import { sha256 } from '@noble/hashes/sha2.js';
import { base58, createBase58check } from '@scure/base';
import { EVM_NATIVE_PLACEHOLDER, SOLANA_NATIVE_PLACEHOLDER, TRON_NATIVE_PLACEHOLDER, findChain } from './chains';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

export type AddressKind = 'evm' | 'solana' | 'tron';

const base58check = createBase58check(sha256);
const TRON = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

export function isEvmAddress(text: string): boolean {
  return EVM_ADDRESS.test(text);
}

export function isSolanaAddress(text: string): boolean {
  return BASE58.test(text) && base58.decode(text).length === 32;
}

/** Base58check of 21 bytes starting 0x41, like the real network (a typo fails the double-sha256 checksum). */
export function isTronAddress(text: string): boolean {
  if (!TRON.test(text)) return false;
  try {
    const payload = base58check.decode(text);
    return payload.length === 21 && payload[0] === 0x41;
  } catch {
    return false;
  }
}

export function addressKind(text: string): AddressKind | undefined {
  if (isEvmAddress(text)) return 'evm';
  if (isTronAddress(text)) return 'tron';
  if (isSolanaAddress(text)) return 'solana';
  return undefined;
}

/** Wallet key: EVM lower case, Solana and Tron base58 as is. */
export function normalizeWallet(address: string): string {
  return isEvmAddress(address) ? address.toLowerCase() : address;
}

/** A token address in the Balance API convention: native = '', EVM lower case; aggregator placeholders mapped to ''. */
export function normalizeToken(chainIndex: string, address: string): string {
  const chain = findChain(chainIndex);
  if (chain?.kind === 'evm' || address.startsWith('0x')) {
    const lower = address.toLowerCase();
    return lower === EVM_NATIVE_PLACEHOLDER ? '' : lower;
  }
  if (address === SOLANA_NATIVE_PLACEHOLDER && chainIndex === '501') return '';
  return address === TRON_NATIVE_PLACEHOLDER && chainIndex === '195' ? '' : address;
}

/** The aggregator's placeholder for a native coin ('' in the Balance API). */
export function aggregatorAddress(chainIndex: string, address: string): string {
  if (address !== '') return address;
  const kind = findChain(chainIndex)?.kind;
  return kind === 'solana'
    ? SOLANA_NATIVE_PLACEHOLDER
    : kind === 'tron'
      ? TRON_NATIVE_PLACEHOLDER
      : EVM_NATIVE_PLACEHOLDER;
}

export function tokenKey(chainIndex: string, address: string): string {
  return `${chainIndex}:${address}`;
}

/** Whether a wallet of this kind can hold assets on the chain. */
export function isWalletOnChain(kind: AddressKind, chainIndex: string): boolean {
  return findChain(chainIndex)?.kind === kind;
}
