import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { base58, createBase58check } from '@scure/base';
import { InvalidAddressError } from './errors';
import type { AddressFamily } from './types';

export interface ParsedAddress {
  /** EVM: lower-case 0x hex; Solana and Tron: base58 as given. */
  readonly address: string;
  readonly family: AddressFamily;
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const HEX = /^[0-9a-fA-F]*$/;
const DOMAIN = /^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)*\.([a-z]{2,})$/iu;
/** Bitcoin's base58check (double sha256 checksum), also Tron's. */
const base58check = createBase58check(sha256);
/** A Tron address: base58check of 21 bytes whose first is 0x41, always 34 characters starting with T. */
const TRON_PREFIX = 0x41;
/** SegWit / Taproot (bech32): mainnet bc1, testnet tb1, regtest bcrt1. */
const BECH32_BITCOIN = /^(bc|tb|bcrt)1[02-9ac-hj-np-z]{6,87}$/i;
/** Version bytes of legacy Bitcoin addresses: P2PKH 0x00 (1…), P2SH 0x05 (3…), testnet 0x6f / 0xc4 (m…, n…, 2…). */
const BITCOIN_VERSIONS = new Set([0x00, 0x05, 0x6f, 0xc4]);
const BITCOIN_REASON =
  "Bitcoin addresses aren't supported: OKX's DEX API has no Bitcoin balances, so I can't read this wallet. Paste an EVM (0x…), Solana or Tron (T…) address";

/**
 * Parses what a user pasted as a wallet address. Every rejection says what is wrong in words a user can act
 * on, because the bot shows the reason as is.
 */
/** Whether two wallet addresses are the same: EVM hex compares case-insensitively (checksums), base58 (Solana) exactly. */
export function sameAddress(a: string, b: string): boolean {
  return a.startsWith('0x') && b.startsWith('0x') ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export function parseWalletAddress(input: string): ParsedAddress {
  const value = input.trim();
  const fail = (reason: string): never => {
    throw new InvalidAddressError(value, reason);
  };
  if (value === '')
    return fail('the address is empty: paste a wallet address (0x… for EVM chains, base58 for Solana, T… for Tron)');
  const domain = DOMAIN.exec(value);
  if (domain) return fail(domainReason(domain[2]!.toLowerCase()));
  if (/^0x/i.test(value)) return { address: parseEvm(value, fail), family: 'evm' };
  if (HEX.test(value) && value.length === 40) return fail('the 0x prefix is missing: EVM addresses start with 0x');
  if (HEX.test(value) && value.length === 64) return fail(hashReason('64 hex characters'));
  if (BECH32_BITCOIN.test(value) || isLegacyBitcoin(value)) return fail(BITCOIN_REASON);
  if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(value)) return { address: parseTron(value, fail), family: 'tron' };
  return { address: parseSolana(value, fail), family: 'solana' };
}

/** 21 checksummed bytes with a Bitcoin version byte; a 32-byte Solana key never decodes like that. */
function isLegacyBitcoin(value: string): boolean {
  const payload = decodeBase58check(value);
  return payload !== undefined && payload.length === 21 && BITCOIN_VERSIONS.has(payload[0]!);
}

function parseTron(value: string, fail: (reason: string) => never): string {
  const payload = decodeBase58check(value);
  if (payload === undefined)
    return fail('checksum mismatch — check for a typo (a Tron address is 34 characters starting with T)');
  if (payload.length !== 21 || payload[0] !== TRON_PREFIX)
    return fail('this is not a Tron address: it does not decode to a Tron account (21 bytes starting with 0x41)');
  return value;
}

function decodeBase58check(value: string): Uint8Array | undefined {
  try {
    return base58check.decode(value);
  } catch {
    return undefined;
  }
}

function domainReason(tld: string): string {
  if (tld === 'eth')
    return 'this looks like an ENS name: names are not supported yet, paste the 0x… address it points to';
  if (tld === 'sol')
    return 'this looks like a .sol domain: names are not supported yet, paste the Solana address it points to';
  return 'this looks like a domain name, not a wallet address: paste the address itself';
}

function hashReason(shape: string): string {
  return `this looks like a transaction hash (${shape}), not a wallet address — and if it is a private key, never share it`;
}

function parseEvm(value: string, fail: (reason: string) => never): string {
  const body = value.slice(2);
  const bad = [...body].findIndex((char) => !HEX.test(char));
  if (bad >= 0)
    return fail(
      `invalid character "${[...body][bad]}" at position ${bad + 3}: an EVM address has only 0-9 and a-f after 0x`,
    );
  if (body.length === 64) return fail(hashReason('66 characters'));
  if (body.length !== 40)
    return fail(`wrong length: an EVM address has 40 hex characters after 0x, this one has ${body.length}`);
  const isMixedCase = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (isMixedCase && toChecksumAddress(body) !== `0x${body}`) return fail('checksum mismatch — check for a typo');
  return `0x${body.toLowerCase()}`;
}

function parseSolana(value: string, fail: (reason: string) => never): string {
  const bad = [...value].find((char) => !BASE58_ALPHABET.includes(char));
  if (bad !== undefined) {
    const shown = /\s/.test(bad) ? 'a space' : `"${bad}"`;
    return fail(`invalid base58 character ${shown}: Solana addresses use letters and digits except 0, O, I and l`);
  }
  const bytes = base58.decode(value);
  if (bytes.length === 64) return fail('this looks like a Solana transaction signature, not a wallet address');
  if (bytes.length !== 32)
    return fail(`wrong length: a Solana address decodes to 32 bytes, this one to ${bytes.length}`);
  return value;
}

/** EIP-55: a hex letter is upper-case when the matching nibble of Keccak-256(lower-case hex) is 8 or more. */
export function toChecksumAddress(address: string): string {
  const lower = address.replace(/^0x/i, '').toLowerCase();
  // Ethereum's Keccak-256 (padding 0x01), not NIST SHA3-256 (0x06): noble's keccak_256, not sha3_256.
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let result = '0x';
  for (let i = 0; i < lower.length; i += 1) {
    const char = lower[i]!;
    result += '89abcdef'.includes(hash[i]!) ? char.toUpperCase() : char;
  }
  return result;
}
